// `modgate query`'s questions answered on an image root holding Debian's policy.
#include "scanner/selinux/query.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "scanner/selinux/policy_source.h"
#include "tests/support/fixture_root.h"

namespace modgate::selinux {
namespace {

class QueryOnImage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new test::TempRoot();
    root_->installSelinuxPolicy();
    auto host = locatePolicy(root_->path());
    ASSERT_TRUE(host) << host.error().message;
    host_ = new SelinuxHost(*host);
    auto policy = loadPolicy(*host);
    ASSERT_TRUE(policy) << policy.error().message;
    policy_ = new Policy(std::move(*policy));
    auto labeler = FileLabeler::open(root_->path(), host->file_contexts);
    ASSERT_TRUE(labeler) << labeler.error().message;
    labeler_ = new FileLabeler(std::move(*labeler));
  }
  static void TearDownTestSuite() {
    delete labeler_;
    delete policy_;
    delete host_;
    delete root_;
  }
  static QueryResult ask(QueryRequest::Kind kind, const std::string& domain, const std::string& target) {
    QueryRequest request;
    request.kind = kind;
    request.domain = domain;
    request.target = target;
    auto result = runQuery(*policy_, *labeler_, request);
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    return result ? *result : QueryResult{};
  }
  static test::TempRoot* root_;
  static SelinuxHost* host_;
  static Policy* policy_;
  static FileLabeler* labeler_;
};
test::TempRoot* QueryOnImage::root_ = nullptr;
SelinuxHost* QueryOnImage::host_ = nullptr;
Policy* QueryOnImage::policy_ = nullptr;
FileLabeler* QueryOnImage::labeler_ = nullptr;

using Kind = QueryRequest::Kind;

TEST_F(QueryOnImage, FindsTheInstalledPolicyOfTheRoot) {
  EXPECT_EQ(host_->origin, PolicyOrigin::kInstalled);
  EXPECT_EQ(host_->selinux_type, "default");
  EXPECT_EQ(host_->policy_path, root_->path() + "/etc/selinux/default/policy/policy.33");
  EXPECT_EQ(host_->mode, "permissive");
}

TEST_F(QueryOnImage, UnconfinedMayReachAProxyOn443) {
  auto result = ask(Kind::kConnect, "unconfined_t", "proxy.golang.org:443");
  EXPECT_TRUE(result.allowed);
  EXPECT_EQ(result.object, "tcp://proxy.golang.org:443");
  EXPECT_EQ(result.target_type, "http_port_t");
  EXPECT_TRUE(result.missing.empty());
  // A host name means DNS and the resolver files were checked too.
  EXPECT_TRUE(std::any_of(result.checked.begin(), result.checked.end(),
                          [](const CheckedAccess& item) { return item.tclass == "udp_socket"; }));
  EXPECT_TRUE(std::any_of(result.checked.begin(), result.checked.end(),
                          [](const CheckedAccess& item) { return item.target == "net_conf_t"; }));
}

TEST_F(QueryOnImage, CronJobMayNotReach443AndNoBooleanHelps) {
  auto result = ask(Kind::kConnect, "system_cronjob_t", "proxy.golang.org:443");
  EXPECT_FALSE(result.allowed);
  ASSERT_EQ(result.missing.size(), 1u);
  EXPECT_EQ(result.missing[0].target, "http_port_t");
  EXPECT_EQ(result.missing[0].perms, std::vector<std::string>{"name_connect"});
  EXPECT_EQ(result.missing[0].reason, DenialReason::kTypeEnforcement);
  EXPECT_TRUE(result.boolean_search_run);
  EXPECT_TRUE(result.booleans.assignments.empty());
}

TEST_F(QueryOnImage, HttpdIsOfferedTheNetworkBoolean) {
  auto result = ask(Kind::kConnect, "httpd_t", "proxy.golang.org:443");
  EXPECT_FALSE(result.allowed);
  bool offered = std::any_of(
      result.booleans.assignments.begin(), result.booleans.assignments.end(), [](const BooleanAssignment& assignment) {
        return assignment.values == std::map<std::string, bool>{{"httpd_can_network_connect", true}};
      });
  EXPECT_TRUE(offered);
}

TEST_F(QueryOnImage, CorporateProxyOn3000IsNtopPort) {
  auto result = ask(Kind::kConnect, "system_cronjob_t", "10.1.2.3:3000");
  EXPECT_EQ(result.target_type, "ntop_port_t");
  EXPECT_FALSE(result.allowed);
  // An IP literal needs no name resolution.
  EXPECT_TRUE(std::none_of(result.checked.begin(), result.checked.end(),
                           [](const CheckedAccess& item) { return item.tclass == "udp_socket"; }));
}

TEST_F(QueryOnImage, LabelsGoPathsFromFileContexts) {
  auto expect_label = [&](const std::string& path, const std::string& type) {
    auto label = labeler_->label(path, S_IFREG);
    ASSERT_TRUE(label) << label.error().message;
    EXPECT_EQ(label->type().value_or("<none>"), type) << path;
    EXPECT_STREQ(label->typeSource(), "file_contexts");
  };
  expect_label("/usr/bin/go", "bin_t");
  expect_label("/usr/local/go/pkg/tool/linux_amd64/compile", "usr_t");
  expect_label("/usr/lib/go-1.19/pkg/tool/linux_amd64/compile", "lib_t");
  auto cache = labeler_->label("/var/cache/goproxy", S_IFDIR);
  ASSERT_TRUE(cache);
  EXPECT_EQ(cache->type().value_or(""), "var_t");
}

TEST_F(QueryOnImage, CronJobMayNotWriteTheProxyCache) {
  auto result = ask(Kind::kWrite, "system_cronjob_t", "/var/cache/goproxy");
  EXPECT_FALSE(result.allowed);
  EXPECT_EQ(result.target_type, "var_t");
  ASSERT_FALSE(result.missing.empty());
  EXPECT_TRUE(std::all_of(result.missing.begin(), result.missing.end(),
                          [](const MissingAccess& missing) { return missing.target == "var_t"; }));
  auto unconfined = ask(Kind::kWrite, "unconfined_t", "/var/cache/goproxy");
  EXPECT_TRUE(unconfined.allowed);
}

TEST_F(QueryOnImage, FollowsSymlinksInsideTheRootForLabels) {
  // /usr/bin/go is a link into /usr/lib/go-1.19 on Debian; the executable's label is bin_t.
  root_->symlink("../lib/go-1.19/bin/go", "/usr/bin/go");
  root_->write("/usr/lib/go-1.19/bin/go", "#!/bin/false\n");
  auto result = ask(Kind::kExec, "init_t", "/usr/bin/go");
  EXPECT_EQ(result.object, "/usr/lib/go-1.19/bin/go");
  EXPECT_EQ(result.target_type, "bin_t");
  ASSERT_TRUE(result.exec);
  EXPECT_EQ(result.exec->new_domain, "initrc_t");
  EXPECT_TRUE(result.allowed);
}

TEST_F(QueryOnImage, RejectsAttributesAsDomains) {
  QueryRequest request;
  request.kind = Kind::kConnect;
  request.domain = "domain";
  request.target = "1.2.3.4:443";
  auto result = runQuery(*policy_, *labeler_, request);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnknownName);
}

TEST(PolicyLocation, NoPolicyUnderTheRootCannotBeEvaluated) {
  test::TempRoot empty;
  auto host = locatePolicy(empty.path());
  ASSERT_FALSE(host);
  EXPECT_EQ(host.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(isInputError(host.error().code));
}

TEST(PolicyLocation, ConfigWithoutPolicyFileIsNamed) {
  test::TempRoot root;
  root.write("/etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=targeted\n");
  auto host = locatePolicy(root.path());
  ASSERT_FALSE(host);
  EXPECT_NE(host.error().message.find("targeted"), std::string::npos);
}

TEST(PolicyLocation, PicksTheHighestPolicyVersion) {
  test::TempRoot root;
  root.write("/etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=default\n");
  root.write("/etc/selinux/default/policy/policy.31", "old");
  root.copyIn(test::kHostPolicy, "/etc/selinux/default/policy/policy.33");
  root.write("/etc/selinux/default/policy/policy.bak", "junk");
  auto host = locatePolicy(root.path());
  ASSERT_TRUE(host) << host.error().message;
  EXPECT_EQ(host->policy_path, root.path() + "/etc/selinux/default/policy/policy.33");
  EXPECT_EQ(host->mode, "enforcing");
}

TEST(PolicyLocation, UnreadableRootIsNamed) {
  auto missing = locatePolicy("/nonexistent/modgate-root");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kUnreadable);
  test::TempRoot root;
  root.write("/file", "x");
  auto not_dir = locatePolicy(root.path() + "/file");
  ASSERT_FALSE(not_dir);
  EXPECT_NE(not_dir.error().message.find("not a directory"), std::string::npos);
}

}  // namespace
}  // namespace modgate::selinux
