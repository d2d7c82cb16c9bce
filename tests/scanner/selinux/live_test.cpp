// Live mode: a selinuxfs tree in the kernel's formats (enforce, booleans/*, policy).
#include <gtest/gtest.h>

#include "scanner/selinux/go_access.h"
#include "scanner/selinux/policy_source.h"
#include "tests/support/fixture_root.h"

namespace modgate::selinux {
namespace {

bool httpdReaches443(const SelinuxHost& host) {
  auto policy = loadPolicy(host);
  EXPECT_TRUE(policy) << (policy ? "" : policy.error().message);
  if (!policy) return false;
  TypeId httpd = *policy->type("httpd_t");
  auto needs = connectNeeds(*policy, httpd, Endpoint{"192.0.2.1", 443, true}, policy->portLabel(6, 443).type, {});
  EXPECT_TRUE(needs);
  auto verdict = evaluateNeeds(*policy, *needs);
  EXPECT_TRUE(verdict);
  return verdict && verdict->allowed;
}

TEST(LiveSelinuxfs, PrefersTheLoadedPolicyAndItsMode) {
  test::TempRoot root;
  root.installSelinuxPolicy();
  root.mountFakeSelinuxfs(/*enforcing=*/true);
  auto host = locatePolicy(root.path());
  ASSERT_TRUE(host) << host.error().message;
  EXPECT_EQ(host->origin, PolicyOrigin::kLive);
  EXPECT_EQ(host->mode, "enforcing");
  EXPECT_EQ(host->policy_path, root.path() + "/sys/fs/selinux/policy");
  EXPECT_EQ(host->live_booleans.at("httpd_can_network_connect"), false);
  EXPECT_FALSE(host->file_contexts.empty());
}

TEST(LiveSelinuxfs, ALiveBooleanThatDiffersFromThePolicyDefaultChangesTheDecision) {
  test::TempRoot root;
  root.installSelinuxPolicy();
  root.mountFakeSelinuxfs(/*enforcing=*/false);
  auto before = locatePolicy(root.path());
  ASSERT_TRUE(before);
  EXPECT_EQ(before->mode, "permissive");
  EXPECT_FALSE(httpdReaches443(*before));

  root.write("/sys/fs/selinux/booleans/httpd_can_network_connect", "1 1");
  auto after = locatePolicy(root.path());
  ASSERT_TRUE(after);
  EXPECT_TRUE(httpdReaches443(*after));

  // The installed policy of the same root still has the default (off).
  auto installed = locatePolicy(root.path(), root.path() + "/etc/selinux/default/policy/policy.33");
  ASSERT_TRUE(installed);
  EXPECT_EQ(installed->origin, PolicyOrigin::kFile);
  EXPECT_FALSE(httpdReaches443(*installed));
}

TEST(LiveSelinuxfs, WorksWithoutAnEtcSelinux) {
  test::TempRoot root;
  root.mountFakeSelinuxfs(/*enforcing=*/true);
  auto host = locatePolicy(root.path());
  ASSERT_TRUE(host) << host.error().message;
  EXPECT_EQ(host->origin, PolicyOrigin::kLive);
  EXPECT_TRUE(host->file_contexts.empty());
}

TEST(LiveSelinuxfs, MalformedEnforceIsNamed) {
  test::TempRoot root;
  root.mountFakeSelinuxfs(true);
  root.write("/sys/fs/selinux/enforce", "yes");
  auto host = locatePolicy(root.path());
  ASSERT_FALSE(host);
  EXPECT_NE(host.error().message.find("enforce"), std::string::npos);
  EXPECT_EQ(host.error().code, ErrorCode::kUnreadable);
}

TEST(LiveSelinuxfs, MalformedBooleanIsNamed) {
  test::TempRoot root;
  root.mountFakeSelinuxfs(true);
  root.write("/sys/fs/selinux/booleans/httpd_can_network_connect", "on");
  auto host = locatePolicy(root.path());
  ASSERT_FALSE(host);
  EXPECT_NE(host.error().message.find("httpd_can_network_connect"), std::string::npos);
}

TEST(LiveSelinuxfs, BooleanUnknownToThePolicyIsAnError) {
  test::TempRoot root;
  root.mountFakeSelinuxfs(true);
  root.write("/sys/fs/selinux/booleans/not_in_policy", "1 1");
  auto host = locatePolicy(root.path());
  ASSERT_TRUE(host);
  auto policy = loadPolicy(*host);
  ASSERT_FALSE(policy);
  EXPECT_NE(policy.error().message.find("not_in_policy"), std::string::npos);
}

}  // namespace
}  // namespace modgate::selinux

namespace modgate::selinux {
namespace {

TEST(SelinuxText, ConfigKeepsValuesAndIgnoresNoise) {
  auto values = parseSelinuxConfig("# comment\n SELINUX = enforcing \nSELINUXTYPE=\"mls\"\njunk\n=novalue\n");
  EXPECT_EQ(values["SELINUX"], "enforcing");
  EXPECT_EQ(values["SELINUXTYPE"], "mls");
  EXPECT_EQ(values.count("junk"), 0u);
}

TEST(SelinuxText, LiveBooleansUseTheKernelsFormat) {
  EXPECT_EQ(parseLiveBoolean("1 1"), true);
  EXPECT_EQ(parseLiveBoolean("0 1\n"), false);  // active 0, pending 1: the active value counts
  EXPECT_FALSE(parseLiveBoolean("1"));
  EXPECT_FALSE(parseLiveBoolean("true true"));
  EXPECT_FALSE(parseLiveBoolean("2 2"));
}

}  // namespace
}  // namespace modgate::selinux
