// Exact boolean remedies read from the conditional rules, conjunctions included.
#include "scanner/selinux/booleans.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "scanner/selinux/go_access.h"
#include "tests/support/fixture_root.h"

namespace modgate::selinux {
namespace {

using Values = std::map<std::string, bool>;

class BooleanSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { policy_ = &test::realPolicy(); }
  /// Boolean assignments that let domain reach an IP literal on port.
  static BooleanSearch connect(const char* domain, unsigned port) {
    TypeId source = *policy_->type(domain);
    Endpoint endpoint{"192.0.2.1", port, true};
    auto needs = connectNeeds(*policy_, source, endpoint, policy_->portLabel(6, port).type, {});
    EXPECT_TRUE(needs);
    return findBooleanAssignments(*policy_, *needs);
  }
  static bool contains(const BooleanSearch& search, const Values& values) {
    return std::any_of(search.assignments.begin(), search.assignments.end(),
                       [&](const BooleanAssignment& assignment) { return assignment.values == values; });
  }
  static Policy* policy_;
};
Policy* BooleanSearchTest::policy_ = nullptr;

TEST_F(BooleanSearchTest, HttpdIsOfferedHttpdCanNetworkConnect) {
  auto search = connect("httpd_t", 443);
  EXPECT_TRUE(search.complete);
  EXPECT_TRUE(contains(search, {{"httpd_can_network_connect", true}}));
  // Port 3000 is ntop_port_t: only the all-ports boolean covers it.
  auto ntop = connect("httpd_t", 3000);
  ASSERT_EQ(ntop.assignments.size(), 1u);
  EXPECT_EQ(ntop.assignments[0].values, (Values{{"httpd_can_network_connect", true}}));
}

TEST_F(BooleanSearchTest, CgiScriptsNeedTwoBooleansTogether) {
  auto search = connect("httpd_sys_script_t", 443);
  EXPECT_TRUE(contains(search, {{"httpd_enable_cgi", true}, {"httpd_can_network_connect", true}}));
  for (const auto& assignment : search.assignments) {
    EXPECT_GE(assignment.values.size(), 2u) << "no single boolean grants a CGI script the network";
  }
  auto it = std::find_if(search.assignments.begin(), search.assignments.end(),
                         [](const BooleanAssignment& a) { return a.values.count("httpd_can_network_connect") != 0; });
  ASSERT_NE(it, search.assignments.end());
  ASSERT_FALSE(it->conditions.empty());
  EXPECT_NE(it->conditions[0].find("&&"), std::string::npos);
}

TEST_F(BooleanSearchTest, GuestNeedsOneBooleanForTheSocketAndAnotherForThePort) {
  auto search = connect("guest_t", 443);
  EXPECT_TRUE(contains(search, {{"allow_kerberos", true}, {"guest_connect_network", true}}));
}

TEST_F(BooleanSearchTest, CronJobsHaveNoBooleanForProxyPorts) {
  EXPECT_TRUE(connect("system_cronjob_t", 443).assignments.empty());
  EXPECT_TRUE(connect("system_cronjob_t", 3000).assignments.empty());
  EXPECT_TRUE(connect("system_cronjob_t", 3128).assignments.empty());
}

TEST_F(BooleanSearchTest, AssignmentsAreMinimal) {
  for (const char* domain : {"httpd_t", "httpd_sys_script_t", "guest_t", "squid_t", "mysqld_t"}) {
    for (unsigned port : {443u, 3000u, 9999u}) {
      auto search = connect(domain, port);
      for (const auto& a : search.assignments) {
        for (const auto& b : search.assignments) {
          if (&a == &b) continue;
          bool a_in_b = std::includes(b.values.begin(), b.values.end(), a.values.begin(), a.values.end());
          EXPECT_FALSE(a_in_b) << domain << " " << port << ": an assignment contains another";
        }
      }
    }
  }
}

TEST_F(BooleanSearchTest, EveryOfferedAssignmentReallyGrantsTheAccess) {
  // Apply each assignment to a private copy of the policy and ask the kernel code again.
  auto copy = Policy::fromFile(test::kHostPolicy);
  ASSERT_TRUE(copy);
  for (const char* domain : {"httpd_t", "httpd_sys_script_t", "guest_t"}) {
    TypeId source = *copy->type(domain);
    Endpoint endpoint{"192.0.2.1", 443, true};
    auto needs = connectNeeds(*copy, source, endpoint, copy->portLabel(6, 443).type, {});
    ASSERT_TRUE(needs);
    auto before = evaluateNeeds(*copy, *needs);
    ASSERT_TRUE(before);
    EXPECT_FALSE(before->allowed) << domain;
    auto search = findBooleanAssignments(*copy, *needs);
    ASSERT_FALSE(search.assignments.empty()) << domain;
    for (const auto& assignment : search.assignments) {
      ASSERT_TRUE(copy->setBooleans(assignment.values));
      auto after = evaluateNeeds(*copy, *needs);
      ASSERT_TRUE(after);
      EXPECT_TRUE(after->allowed) << domain;
      Values reset;
      for (const auto& [name, value] : assignment.values) reset[name] = !value;
      ASSERT_TRUE(copy->setBooleans(reset));
    }
  }
}

TEST_F(BooleanSearchTest, ReadsDescriptionsFromPolicyXml) {
  auto docs = BooleanDocs::load("/usr/share/selinux/devel/policy.xml");
  ASSERT_TRUE(docs) << docs.error().message;
  auto text = docs->describe("httpd_can_network_connect");
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("connect to the network"), std::string::npos);
  EXPECT_FALSE(docs->describe("no_such_boolean"));
  auto missing = BooleanDocs::load("/nonexistent/policy.xml");
  EXPECT_FALSE(missing);
}

}  // namespace
}  // namespace modgate::selinux
