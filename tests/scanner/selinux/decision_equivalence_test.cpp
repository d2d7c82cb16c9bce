// modgate decides most questions with its own text-free evaluation of allow rules
// and constraints; libsepol's full computation is the reference. Both must agree on
// every domain of Debian's policy.
#include <gtest/gtest.h>

#include <algorithm>

#include "scanner/selinux/policy.h"
#include "tests/support/fixture_root.h"

namespace modgate::selinux {
namespace {

TEST(DecisionEquivalence, FastPathMatchesLibsepolForEveryDomain) {
  auto loaded = Policy::fromFile(test::kHostPolicy);
  ASSERT_TRUE(loaded) << loaded.error().message;
  Policy& policy = *loaded;
  TypeId domain_attribute = *policy.type("domain");
  std::vector<TypeId> domains;
  for (TypeId type = 1; type <= policy.typeCount(); ++type) {
    if (policy.isAttribute(type)) continue;
    auto attributes = policy.attributesOf(type);
    if (std::find(attributes.begin(), attributes.end(), domain_attribute) != attributes.end()) domains.push_back(type);
  }
  ASSERT_GT(domains.size(), 600u);

  std::vector<TypeId> targets;
  for (const char* name :
       {"http_port_t", "ntop_port_t", "unreserved_port_t", "var_t", "var_lib_t", "user_home_t", "xdg_cache_t", "tmp_t",
        "user_tmp_t", "bin_t", "usr_t", "net_conf_t", "initrc_t", "shadow_t", "security_t"}) {
    targets.push_back(*policy.type(name));
  }
  std::vector<ClassId> classes;
  for (const char* name : {"tcp_socket", "file", "dir", "process"}) classes.push_back(*policy.securityClass(name));

  std::size_t compared = 0, granted = 0, denied_by_rules = 0;
  for (TypeId source : domains) {
    std::vector<TypeId> objects = targets;
    objects.push_back(source);  // the domain's own sockets and process
    for (TypeId target : objects) {
      for (ClassId tclass : classes) {
        PermMask all = 0;
        for (const auto& name : policy.permissionNames(tclass, ~PermMask{0})) {
          all |= *policy.permissions(tclass, {name});
        }
        auto fast = policy.check(source, target, tclass, all);
        auto reference = policy.referenceCheck(source, target, tclass, all);
        ASSERT_TRUE(fast && reference);
        ASSERT_EQ(fast->allowed, reference->allowed)
            << policy.typeName(source) << " -> " << policy.typeName(target) << " : " << policy.className(tclass);
        ASSERT_EQ(fast->reason_bits, reference->reason_bits)
            << policy.typeName(source) << " -> " << policy.typeName(target) << " : " << policy.className(tclass);
        ++compared;
        if (fast->allowed) ++granted;
        if (reference->reason_bits & 0x1u) ++denied_by_rules;
      }
    }
  }
  EXPECT_GT(compared, 40000u);
  EXPECT_GT(granted, 1000u) << "the comparison must cover allowed permissions";
  EXPECT_GT(denied_by_rules, 10000u) << "and denied ones";
}

TEST(DecisionEquivalence, FullContextsAgreeToo) {
  auto loaded = Policy::fromFile(test::kHostPolicy);
  ASSERT_TRUE(loaded);
  Policy& policy = *loaded;
  for (const char* context : {"user_u:user_r:user_t:s0", "staff_u:staff_r:staff_t:s0",
                              "unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023", "system_u:system_r:httpd_t:s0",
                              "sysadm_u:sysadm_r:sysadm_t:s0"}) {
    TypeId source = *policy.contextType(context);
    for (const char* target : {"user_home_t", "var_t", "http_port_t", "shadow_t", "etc_t"}) {
      for (const char* tclass : {"file", "dir", "tcp_socket"}) {
        ClassId class_id = *policy.securityClass(tclass);
        auto fast = policy.check(source, *policy.type(target), class_id, ~PermMask{0}, std::string(context));
        auto reference =
            policy.referenceCheck(source, *policy.type(target), class_id, ~PermMask{0}, std::string(context));
        ASSERT_TRUE(fast && reference);
        EXPECT_EQ(fast->allowed, reference->allowed) << context << " " << target << " " << tclass;
        EXPECT_EQ(fast->reason_bits, reference->reason_bits) << context << " " << target << " " << tclass;
      }
    }
  }
}

}  // namespace
}  // namespace modgate::selinux
