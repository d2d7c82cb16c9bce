// The artefacts of a plan that declares a cache type: the .te compiles with
// checkmodule and with the devel Makefile, the .pp installs into a store copy, and
// the rebuilt policy has the type, its file context and exactly the writers' rules.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "policygen/selinux/selinux_artefacts.h"
#include "scanner/selinux/policy.h"
#include "tests/support/fixture_root.h"
#include "tests/support/run_program.h"

namespace modgate {
namespace {

namespace stdfs = std::filesystem;

TEST(SelinuxNewType, DeclaredCacheTypeCompilesInstallsAndLabels) {
  auto& policy = test::realPolicy();
  policygen::SelinuxPlan plan;
  plan.module_name = "modgate_nt";
  policygen::SelinuxCandidate type;
  type.kind = "selinux-newtype";
  type.path = "/var/cache/go proxy";  // a space, to check the file context escaping
  type.file_type = "modgate_nt_goproxy_t";
  plan.new_types.push_back(type);
  plan.module_rules = {{"system_cronjob_t",
                        "modgate_nt_goproxy_t",
                        "dir",
                        {"search", "getattr", "open", "read", "write", "add_name", "remove_name"}},
                       {"system_cronjob_t",
                        "modgate_nt_goproxy_t",
                        "file",
                        {"create", "open", "read", "write", "rename", "unlink", "lock"}}};
  auto artefacts = policygen::renderSelinuxArtefacts(plan, policy, "/", "default");
  ASSERT_TRUE(artefacts) << artefacts.error().message;
  test::TempRoot work;
  for (const auto& [name, text] : artefacts->files) work.write("/" + name, text);
  const auto& te = artefacts->files.at("modgate_nt.te");
  EXPECT_NE(te.find("type modgate_nt_goproxy_t;"), std::string::npos) << te;
  EXPECT_NE(te.find("typeattribute modgate_nt_goproxy_t file_type;"), std::string::npos);
  EXPECT_EQ(te.find("\ttype modgate_nt_goproxy_t;"), std::string::npos) << "a declared type is not required";
  const auto& fc = artefacts->files.at("modgate_nt.fc");
  EXPECT_NE(fc.find("/var/cache/go\\x20proxy(/.*)?\tsystem_u:object_r:modgate_nt_goproxy_t:s0"), std::string::npos)
      << fc;

  auto package = policygen::compileModulePackage(work.path() + "/modgate_nt.te", fc, work.path());
  ASSERT_TRUE(package) << package.error().message;
  work.write("/modgate_nt.pp", *package);
  auto make = test::runProgram(
      {"/usr/bin/make", "-C", work.path(), "-f", "/usr/share/selinux/devel/Makefile", "modgate_nt.pp"});
  EXPECT_EQ(make.exit_status, 0) << make.out << make.err;

  test::TempRoot alt;
  alt.installSelinuxPolicy();
  alt.installPolicyStore();
  auto install = test::runProgram(
      {"/usr/sbin/semodule", "-p", alt.path(), "-n", "-X", "400", "-i", work.path() + "/modgate_nt.pp"});
  ASSERT_EQ(install.exit_status, 0) << install.err;
  auto rebuilt = selinux::Policy::fromFile(alt.path() + "/etc/selinux/default/policy/policy.33");
  ASSERT_TRUE(rebuilt) << rebuilt.error().message;
  auto cache_type = rebuilt->type("modgate_nt_goproxy_t");
  ASSERT_TRUE(cache_type);
  auto cron = *rebuilt->type("system_cronjob_t");
  auto dir = *rebuilt->securityClass("dir");
  auto file = *rebuilt->securityClass("file");
  EXPECT_TRUE(rebuilt->check(cron, *cache_type, dir, *rebuilt->permissions(dir, {"write", "add_name"}))->granted());
  EXPECT_TRUE(rebuilt->check(cron, *cache_type, file, *rebuilt->permissions(file, {"create", "lock"}))->granted());
  EXPECT_FALSE(
      rebuilt->check(*rebuilt->type("httpd_t"), *cache_type, file, *rebuilt->permissions(file, {"write"}))->granted())
      << "only the writers were given the type";
  std::string contexts = test::slurp(alt.path() + "/etc/selinux/default/contexts/files/file_contexts");
  EXPECT_NE(contexts.find("modgate_nt_goproxy_t"), std::string::npos) << "the module's file context is installed";

  // The in-memory CIL path sees the same policy as the store.
  auto with_cil = policy.withCilModule(plan.moduleCil());
  ASSERT_TRUE(with_cil) << with_cil.error().message;
  auto cil_type = with_cil->type("modgate_nt_goproxy_t");
  ASSERT_TRUE(cil_type);
  auto cil_cron = *with_cil->type("system_cronjob_t");
  EXPECT_TRUE(with_cil
                  ->check(cil_cron, *cil_type, *with_cil->securityClass("dir"),
                          *with_cil->permissions(*with_cil->securityClass("dir"), {"write", "add_name"}))
                  ->granted());

  // The planner works out what every domain may do on the new type without
  // compiling: what rules naming file_type grant, plus the module's own rules.
  // The compiled policy agrees for every domain, on directories and files.
  auto file_type = *policy.type("file_type");
  auto module_perms = [&](selinux::TypeId domain, const char* tclass) {
    selinux::PermMask mask = 0;
    for (const auto& rule : plan.module_rules) {
      if (rule.source == policy.typeName(domain) && rule.tclass == tclass) {
        mask |= *policy.permissions(*policy.securityClass(tclass), rule.perms);
      }
    }
    return mask;
  };
  std::size_t domains = 0;
  for (selinux::TypeId domain : policy.typesOf(*policy.type("domain"))) {
    auto cil_domain = with_cil->type(policy.typeName(domain));
    ASSERT_TRUE(cil_domain) << policy.typeName(domain);
    for (const char* tclass : {"dir", "file"}) {
      // Class and permission values are the policy's own in the CIL rebuild too.
      ASSERT_EQ(*with_cil->securityClass(tclass), *policy.securityClass(tclass));
      EXPECT_EQ(with_cil->teAllowed(*cil_domain, *cil_type, *with_cil->securityClass(tclass)),
                policy.teAllowed(domain, file_type, *policy.securityClass(tclass)) | module_perms(domain, tclass))
          << policy.typeName(domain) << " " << tclass;
    }
    ++domains;
  }
  EXPECT_GT(domains, 500U);
}

}  // namespace
}  // namespace modgate
