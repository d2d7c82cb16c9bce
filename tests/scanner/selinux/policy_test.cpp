// The engine on Debian's real policy (selinux-policy-default): ports, types,
// permissions, decisions and transitions.
#include "scanner/selinux/policy.h"

#include <gtest/gtest.h>

#include "scanner/selinux/access.h"
#include "scanner/selinux/transitions.h"
#include "tests/support/fixture_root.h"

namespace modgate::selinux {
namespace {

class RealPolicy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { policy_ = &test::realPolicy(); }
  static std::string portType(unsigned port) { return policy_->typeName(policy_->portLabel(6, port).type); }
  static TypeId typeOf(const char* name) {
    auto type = policy_->type(name);
    EXPECT_TRUE(type) << name;
    return type ? *type : 0;
  }
  static Policy* policy_;
};
Policy* RealPolicy::policy_ = nullptr;

TEST_F(RealPolicy, LoadsDebiansPolicyWithItsMlsFlagAndVersion) {
  EXPECT_EQ(policy_->version(), 33u);
  EXPECT_TRUE(policy_->mls());
  EXPECT_GT(policy_->booleanCount(), 200u);
}

TEST_F(RealPolicy, LabelsProxyPortsAsTheKernelDoes) {
  EXPECT_EQ(portType(3000), "ntop_port_t");
  EXPECT_EQ(portType(3128), "http_cache_port_t");
  EXPECT_EQ(portType(8080), "http_cache_port_t");
  EXPECT_EQ(portType(443), "http_port_t");
  EXPECT_EQ(portType(80), "http_port_t");
  EXPECT_EQ(portType(65535), "unreserved_port_t");
  // 443 is inside the reserved range too; the narrower entry comes first.
  auto label = policy_->portLabel(6, 443);
  EXPECT_TRUE(label.from_portcon);
  EXPECT_EQ(label.low, 443u);
  EXPECT_EQ(label.high, 443u);
}

TEST_F(RealPolicy, NamesUnknownTypesClassesAndPermissions) {
  auto type = policy_->type("no_such_t");
  ASSERT_FALSE(type);
  EXPECT_EQ(type.error().code, ErrorCode::kUnknownName);
  EXPECT_NE(type.error().message.find("no_such_t"), std::string::npos);
  auto tclass = policy_->securityClass("tcp_socket");
  ASSERT_TRUE(tclass);
  auto perms = policy_->permissions(*tclass, {"name_connect", "fly"});
  ASSERT_FALSE(perms);
  EXPECT_NE(perms.error().message.find("fly"), std::string::npos);
  auto good = policy_->permissions(*tclass, {"name_connect", "create"});
  ASSERT_TRUE(good);
  auto names = policy_->permissionNames(*tclass, *good);
  EXPECT_EQ(names.size(), 2u);
}

TEST_F(RealPolicy, DecidesNameConnectPerDomain) {
  auto tcp = *policy_->securityClass("tcp_socket");
  auto connect = *policy_->permissions(tcp, {"name_connect"});
  auto http = typeOf("http_port_t");
  auto unconfined = policy_->check(typeOf("unconfined_t"), http, tcp, connect);
  ASSERT_TRUE(unconfined);
  EXPECT_TRUE(unconfined->granted());
  auto cron = policy_->check(typeOf("system_cronjob_t"), http, tcp, connect);
  ASSERT_TRUE(cron);
  EXPECT_FALSE(cron->granted());
  EXPECT_EQ(cron->te_allowed, 0u);
}

TEST_F(RealPolicy, ObjectsAGivenContextCreatesCarryItsUser) {
  // With a full context, a socket is the subject's own context and a new file has
  // its user, so refpolicy's UBAC constraint (u1 == u2 ...) holds for user_t.
  auto tcp = *policy_->securityClass("tcp_socket");
  auto file = *policy_->securityClass("file");
  std::vector<AccessNeed> needs = {
      {typeOf("user_t"), typeOf("user_t"), tcp, *policy_->permissions(tcp, {"create", "connect"}), "socket", "self"},
      {typeOf("user_t"), typeOf("user_home_t"), file, *policy_->permissions(file, {"create", "write"}), "file", "~"}};
  auto verdict = evaluateNeeds(*policy_, needs, std::string("user_u:user_r:user_t:s0"));
  ASSERT_TRUE(verdict);
  EXPECT_TRUE(verdict->allowed);
  // The same needs for a domain without the rules are denied by type enforcement.
  for (auto& need : needs) need.source = typeOf("httpd_t");
  needs[0].target = typeOf("httpd_t");
  auto denied = evaluateNeeds(*policy_, needs);
  ASSERT_TRUE(denied);
  EXPECT_FALSE(denied->allowed);
  ASSERT_EQ(denied->missing.size(), 1u);
  EXPECT_EQ(denied->missing[0].reason, DenialReason::kTypeEnforcement);
  EXPECT_EQ(denied->missing[0].target, "user_home_t");
}

TEST_F(RealPolicy, ValidatesFullContexts) {
  auto good = policy_->contextType("user_u:user_r:user_t:s0");
  ASSERT_TRUE(good);
  EXPECT_EQ(policy_->typeName(*good), "user_t");
  auto bad = policy_->contextType("user_u:system_r:httpd_t:s0");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kUnknownName);
}

TEST_F(RealPolicy, SystemdStartedBinTProgramsRunInInitrcT) {
  auto outcome = execTransition(*policy_, typeOf("init_t"), typeOf("bin_t"));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->new_domain, "initrc_t");
  EXPECT_TRUE(outcome->transitions);
  EXPECT_TRUE(outcome->allowed);
  EXPECT_TRUE(outcome->role_allows);
  EXPECT_TRUE(outcome->missing.empty());
}

TEST_F(RealPolicy, CronJobsRunGoInTheirOwnDomain) {
  auto outcome = execTransition(*policy_, typeOf("system_cronjob_t"), typeOf("bin_t"));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->new_domain, "system_cronjob_t");
  EXPECT_FALSE(outcome->transitions);
  EXPECT_TRUE(outcome->allowed);
}

TEST_F(RealPolicy, HttpdMayNotExecuteUserHomeFiles) {
  auto outcome = execTransition(*policy_, typeOf("httpd_t"), typeOf("user_home_t"));
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(outcome->allowed);
  ASSERT_FALSE(outcome->missing.empty());
  EXPECT_EQ(outcome->missing[0].tclass, "file");
}

TEST_F(RealPolicy, RejectsTruncatedAndRandomPolicies) {
  std::string bytes = test::slurp(test::kHostPolicy);
  for (std::size_t size : {std::size_t{0}, std::size_t{3}, std::size_t{100}, bytes.size() / 2, bytes.size() - 1}) {
    auto truncated = Policy::fromBytes(std::string_view(bytes).substr(0, size), "truncated");
    ASSERT_FALSE(truncated) << size;
    EXPECT_EQ(truncated.error().code, ErrorCode::kInvalidPolicy);
  }
  std::string noise(4096, '\0');
  unsigned state = 12345;
  for (auto& c : noise) {
    state = state * 1103515245u + 12345u;
    c = static_cast<char>(state >> 16);
  }
  EXPECT_FALSE(Policy::fromBytes(noise, "noise"));
  // The magic number with garbage behind it.
  EXPECT_FALSE(Policy::fromBytes(bytes.substr(0, 8) + noise, "magic"));
}

}  // namespace
}  // namespace modgate::selinux
