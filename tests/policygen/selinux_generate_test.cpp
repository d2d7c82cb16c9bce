// SELinux repairs from scan to proof on Debian's policy: the generated module
// installs into a copy of the policy store with semodule -p, the rebuilt policy
// passes the scan, and removing it (rollback's inverse) makes the scan fail again.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/example_root.h"
#include "tests/support/run_program.h"

namespace modgate {
namespace {

namespace stdfs = std::filesystem;
using nlohmann::json;

constexpr const char* kCronRules = R"(schema = 1
name = "cron-scenario"
[[subject]]
id = "cron"
discover = "cron"
[[proxy]]
id = "corp"
url = "https://goproxy.corp.example:3000"
[[cache]]
id = "goproxy"
path = "/var/cache/goproxy"
kind = "proxy-storage"
writers = ["cron"]
[[rule]]
id = "CRON-PROXY"
title = "The nightly job reaches the corporate proxy"
severity = "high"
check = "proxy-reachable"
proxies = ["corp"]
[[rule]]
id = "CRON-CACHE"
title = "The nightly job writes the proxy cache"
severity = "high"
check = "cache-writable"
)";

constexpr const char* kHookRules = R"(schema = 1
name = "hook-scenario"
[[subject]]
id = "hook"
selinux_domain = "@DOMAIN@"
user = "www-data"
[[proxy]]
id = "public"
url = "https://proxy.golang.org"
[[rule]]
id = "HOOK-PROXY"
title = "The hook reaches the public proxy"
severity = "high"
check = "proxy-reachable"
)";

class SelinuxGenerate : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::make_unique<test::ExampleRoot>("cron-corporate-proxy");
    root_->root().installPolicyStore();
    root_->root().mkdir("/var/cache/goproxy");
    ASSERT_EQ(::chown((root_->path() + "/var/cache/goproxy").c_str(), 1001, 1001), 0);
  }
  std::string path() const { return root_->path(); }
  test::ProgramRun generate(const std::string& rules, std::vector<std::string> extra = {}) {
    root_->root().write("/rules.toml", rules);
    std::vector<std::string> argv = {MODGATE_CLI, "generate", "--rules", path() + "/rules.toml",
                                     "--root",    path(),     "--out",   path() + "/out",
                                     "--targets", "selinux"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return test::runProgram(argv);
  }
  json scan(const std::string& policy) {
    auto run = test::runProgram({MODGATE_CLI, "scan", "--rules", path() + "/rules.toml", "--root", path(), "--policy",
                                 policy, "--format", "json"});
    return json::parse(run.out);
  }
  /// A fresh copy of the root's store and /etc/selinux, for semodule -p.
  std::string storeCopy() {
    std::string alt = path() + "/alt";
    stdfs::remove_all(alt);
    stdfs::create_directories(alt + "/var/lib/selinux");
    stdfs::create_directories(alt + "/etc");
    stdfs::copy(path() + "/var/lib/selinux/default", alt + "/var/lib/selinux/default", stdfs::copy_options::recursive);
    stdfs::copy(path() + "/etc/selinux", alt + "/etc/selinux", stdfs::copy_options::recursive);
    return alt;
  }
  /// The module installs into a store copy and the rebuilt policy passes the scan;
  /// removing it again (what rollback.sh does) brings the failures back.
  void expectModuleFixesAndRemovalRestores(const std::string& package) {
    EXPECT_FALSE(allSelinuxPass(scan(path() + "/etc/selinux/default/policy/policy.33")));
    std::string alt = storeCopy();
    auto install = test::runProgram({"/usr/sbin/semodule", "-p", alt, "-n", "-X", "400", "-i", package});
    ASSERT_EQ(install.exit_status, 0) << install.err;
    std::string rebuilt = alt + "/etc/selinux/default/policy/policy.33";
    EXPECT_TRUE(allSelinuxPass(scan(rebuilt))) << scan(rebuilt).dump(2);
    auto remove = test::runProgram({"/usr/sbin/semodule", "-p", alt, "-n", "-X", "400", "-r", "modgate_go"});
    ASSERT_EQ(remove.exit_status, 0) << remove.err;
    EXPECT_FALSE(allSelinuxPass(scan(rebuilt)));
  }
  static bool allSelinuxPass(const json& report) {
    bool any = false;
    for (const auto& result : report["results"]) {
      if (result["mac"].get<std::string>().find("selinux") == std::string::npos) continue;
      any = true;
      if (result["status"] != "pass") return false;
    }
    return any;
  }
  std::unique_ptr<test::ExampleRoot> root_;
};

TEST_F(SelinuxGenerate, CronJobModuleInstallsAndTheRebuiltPolicyPasses) {
  auto run = generate(kCronRules, {"--verify-store"});
  ASSERT_EQ(run.exit_status, 0) << run.err << run.out;
  EXPECT_NE(run.out.find("CRON-PROXY cron:/etc/cron.d/gomod:4 tcp://goproxy.corp.example:3000: fail -> pass"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("rebuilt a copy of the store with modgate_go; 4/4 denied access vectors allowed"),
            std::string::npos)
      << run.out;
  std::string dir = path() + "/out/selinux";
  for (const char* file : {"modgate_go.te", "modgate_go.cil", "modgate_go.fc", "modgate_go.if", "modgate_go.pp",
                           "apply.sh", "rollback.sh"}) {
    EXPECT_TRUE(stdfs::exists(dir + "/" + file)) << file;
  }
  std::string te = test::slurp(dir + "/modgate_go.te");
  EXPECT_NE(te.find("allow system_cronjob_t ntop_port_t:tcp_socket { name_connect };"), std::string::npos) << te;
  EXPECT_EQ(te.find("port_type"), std::string::npos) << "never an attribute wider than asked";
  // The proof's grant diff is exactly the module's permissions, one tuple each.
  std::size_t module_perms = 0;
  std::istringstream lines(te);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("allow ", 0) != 0) continue;
    auto open = line.find('{');
    auto close = line.find('}');
    ASSERT_NE(open, std::string::npos) << line;
    std::istringstream perms(line.substr(open + 1, close - open - 1));
    for (std::string perm; perms >> perm;) ++module_perms;
  }
  EXPECT_GT(module_perms, 3U);
  EXPECT_NE(
      run.out.find("SELinux grant diff: " + std::to_string(module_perms) + " (source, target, class, permission)"),
      std::string::npos)
      << run.out;

  expectModuleFixesAndRemovalRestores(dir + "/modgate_go.pp");
  std::string rollback = test::slurp(dir + "/rollback.sh");
  EXPECT_NE(rollback.find("-r modgate_go"), std::string::npos);
  auto lint = test::runProgram({"/usr/bin/shellcheck", dir + "/apply.sh", dir + "/rollback.sh"});
  EXPECT_EQ(lint.exit_status, 0) << lint.out;
  auto dry = test::runProgram({"/bin/sh", dir + "/apply.sh"});
  EXPECT_EQ(dry.exit_status, 0) << dry.err;
  EXPECT_NE(dry.out.find("would run: semodule -p"), std::string::npos) << dry.out;
}

TEST_F(SelinuxGenerate, TheTeBuildsWithTheDevelMakefileAndTheCilInstalls) {
  ASSERT_EQ(generate(kCronRules).exit_status, 0);
  std::string dir = path() + "/out/selinux";
  std::string build = path() + "/devel";
  stdfs::create_directories(build);
  stdfs::copy_file(dir + "/modgate_go.te", build + "/modgate_go.te");
  auto make =
      test::runProgram({"/usr/bin/make", "-C", build, "-f", "/usr/share/selinux/devel/Makefile", "modgate_go.pp"});
  EXPECT_EQ(make.exit_status, 0) << make.out << make.err;
  EXPECT_TRUE(stdfs::exists(build + "/modgate_go.pp"));
  auto check =
      test::runProgram({"/usr/bin/checkmodule", "-M", "-m", "-o", build + "/modgate_go.mod", dir + "/modgate_go.te"});
  EXPECT_EQ(check.exit_status, 0) << check.err;
  std::string alt = storeCopy();
  auto install = test::runProgram({"/usr/sbin/semodule", "-p", alt, "-n", "-i", dir + "/modgate_go.cil"});
  ASSERT_EQ(install.exit_status, 0) << install.err;
  EXPECT_TRUE(allSelinuxPass(scan(alt + "/etc/selinux/default/policy/policy.33")));
}

TEST_F(SelinuxGenerate, WebHookGetsTheModuleByDefaultAndTheBooleanWhenMaintainedIsPreferred) {
  std::string rules = kHookRules;
  rules.replace(rules.find("@DOMAIN@"), 8, "httpd_t");
  ASSERT_EQ(generate(rules).exit_status, 0);
  json plan = json::parse(test::slurp(path() + "/out/plan.json"));
  const auto& candidates = plan["selinux"][0]["candidates"];
  std::size_t boolean_extra = 0;
  for (const auto& candidate : candidates) {
    if (candidate["chosen"] == true) {
      EXPECT_EQ(candidate["kind"], "selinux-module") << candidates.dump(2);
    }
    if (candidate["kind"] == "selinux-boolean" && candidate["booleans"].contains("httpd_can_network_connect")) {
      boolean_extra = candidate["extra_grants"];
    }
    if (candidate["kind"] == "selinux-module") {
      EXPECT_EQ(candidate["extra_grants"], 0);
    }
  }
  EXPECT_GT(boolean_extra, 100u) << "httpd_can_network_connect opens every port";
  expectModuleFixesAndRemovalRestores(path() + "/out/selinux/modgate_go.pp");
  stdfs::remove_all(path() + "/out");
  ASSERT_EQ(generate(rules, {"--prefer", "maintained"}).exit_status, 0);
  json maintained = json::parse(test::slurp(path() + "/out/plan.json"));
  for (const auto& candidate : maintained["selinux"][0]["candidates"]) {
    if (candidate["chosen"] == true) {
      EXPECT_EQ(candidate["kind"], "selinux-boolean");
    }
  }
  EXPECT_FALSE(stdfs::exists(path() + "/out/selinux/modgate_go.te")) << "no module when a boolean suffices";
  std::string apply = test::slurp(path() + "/out/selinux/apply.sh");
  EXPECT_NE(apply.find("setsebool -P"), std::string::npos);
  EXPECT_NE(test::slurp(path() + "/out/selinux/rollback.sh").find("=0"), std::string::npos) << "the previous value";
}

TEST_F(SelinuxGenerate, BooleanPlansAreVerifiedInTheStoreToo) {
  std::string rules = kHookRules;
  rules.replace(rules.find("@DOMAIN@"), 8, "httpd_t");
  auto run = generate(rules, {"--prefer", "maintained", "--verify-store"});
  ASSERT_EQ(run.exit_status, 0) << run.err << run.out;
  EXPECT_NE(run.out.find("rebuilt a copy of the store with the booleans"), std::string::npos) << run.out;
}

TEST_F(SelinuxGenerate, ACacheSeveralDomainsWriteGetsOneJointDecision) {
  root_->root().write("/rules.toml", "");
  std::string rules = R"(schema = 1
[[subject]]
id = "cron"
discover = "cron"
[[subject]]
id = "hook"
selinux_domain = "httpd_t"
user = "builder"
[[cache]]
id = "goproxy"
path = "/var/cache/goproxy"
kind = "proxy-storage"
writers = ["cron", "hook"]
[[rule]]
id = "CACHE-WRITE"
title = "The writers can write the proxy cache"
severity = "high"
check = "cache-writable"
)";
  auto run = generate(rules, {"--verify-store"});
  ASSERT_EQ(run.exit_status, 0) << run.err << run.out;
  json plan = json::parse(test::slurp(path() + "/out/plan.json"));
  ASSERT_EQ(plan["selinux"].size(), 2u);
  for (const auto& finding : plan["selinux"]) {
    bool new_type = false;
    for (const auto& candidate : finding["candidates"]) {
      if (candidate["kind"] != "selinux-newtype") continue;
      new_type = true;
      EXPECT_EQ(candidate["relabel"]["type"], "modgate_go_goproxy_t");
      EXPECT_GT(candidate["revokes"], 0u) << "moving the cache off var_t takes it from every var_t reader";
    }
    EXPECT_TRUE(new_type) << finding.dump(2);
  }
  expectModuleFixesAndRemovalRestores(path() + "/out/selinux/modgate_go.pp");
}

TEST_F(SelinuxGenerate, AGenericPortCanBeRelabelledToATypeTheDomainAlreadyReaches) {
  std::string rules = R"(schema = 1
[[subject]]
id = "squid"
selinux_domain = "squid_t"
user = "builder"
[[proxy]]
id = "odd"
url = "https://10.0.0.1:9999"
[[rule]]
id = "SQUID-PROXY"
title = "The cache reaches an upstream on an unreserved port"
severity = "high"
check = "proxy-reachable"
)";
  auto run = generate(rules, {"--prefer", "maintained"});
  ASSERT_EQ(run.exit_status, 0) << run.err << run.out;
  EXPECT_NE(run.out.find("tcp://10.0.0.1:9999: fail -> pass (selinux-port-label)"), std::string::npos) << run.out;
  json plan = json::parse(test::slurp(path() + "/out/plan.json"));
  std::string chosen_type;
  std::size_t labels = 0;
  for (const auto& candidate : plan["selinux"][0]["candidates"]) {
    if (candidate["kind"] == "selinux-port-label") ++labels;
    if (candidate["chosen"] == true) {
      EXPECT_EQ(candidate["kind"], "selinux-port-label");
      chosen_type = candidate["port"]["type"];
      EXPECT_EQ(candidate["extra_grants"], 0u) << "no other domain gains the port";
    }
  }
  EXPECT_GE(labels, 1u);
  std::string apply = test::slurp(path() + "/out/selinux/apply.sh");
  EXPECT_NE(apply.find("semanage port -a -t " + chosen_type + " -p tcp 9999"), std::string::npos) << apply;
  EXPECT_NE(
      test::slurp(path() + "/out/selinux/rollback.sh").find("semanage port -d -t " + chosen_type + " -p tcp 9999"),
      std::string::npos);
}

TEST_F(SelinuxGenerate, CgiScriptsGetBothBooleansWhenMaintainedIsPreferred) {
  std::string rules = kHookRules;
  rules.replace(rules.find("@DOMAIN@"), 8, "httpd_sys_script_t");
  auto run = generate(rules, {"--prefer", "maintained", "--verify-store"});
  ASSERT_EQ(run.exit_status, 0) << run.err << run.out;
  // The booleans set in a store copy (booleans.local) make the rebuilt policy pass;
  // rollback.sh sets them back to the policy's values, where the scan fails.
  EXPECT_NE(run.out.find("rebuilt a copy of the store with the booleans"), std::string::npos) << run.out;
  EXPECT_FALSE(allSelinuxPass(scan(path() + "/etc/selinux/default/policy/policy.33")));
  std::string rollback = test::slurp(path() + "/out/selinux/rollback.sh");
  EXPECT_NE(rollback.find("httpd_enable_cgi"), std::string::npos) << rollback;
  EXPECT_NE(rollback.find("httpd_can_network_connect"), std::string::npos) << rollback;
  json plan = json::parse(test::slurp(path() + "/out/plan.json"));
  bool both = false;
  for (const auto& candidate : plan["selinux"][0]["candidates"]) {
    if (candidate["chosen"] != true) continue;
    EXPECT_EQ(candidate["kind"], "selinux-boolean");
    both = candidate["booleans"].contains("httpd_enable_cgi") &&
           candidate["booleans"].contains("httpd_can_network_connect");
  }
  EXPECT_TRUE(both) << plan.dump(2);
}

TEST_F(SelinuxGenerate, BadSituationsAreClearErrors) {
  std::string alt = storeCopy();
  ASSERT_EQ(generate(kCronRules).exit_status, 0);
  // A module of the same name already in the root's store.
  auto install = test::runProgram(
      {"/usr/sbin/semodule", "-p", path(), "-n", "-X", "400", "-i", path() + "/out/selinux/modgate_go.pp"});
  ASSERT_EQ(install.exit_status, 0) << install.err;
  stdfs::remove_all(path() + "/out");
  auto collision = generate(kCronRules);
  EXPECT_EQ(collision.exit_status, 2);
  EXPECT_NE(collision.err.find("a module named modgate_go is already installed"), std::string::npos) << collision.err;
  EXPECT_FALSE(stdfs::exists(path() + "/out")) << "nothing half-written";
  // No policy store to verify against.
  stdfs::remove_all(path() + "/var/lib/selinux");
  auto no_store = generate(kCronRules, {"--verify-store", "--module-name", "modgate_other"});
  EXPECT_EQ(no_store.exit_status, 3);
  EXPECT_NE(no_store.err.find("the root has no policy store"), std::string::npos) << no_store.err;
  // A rule naming a type the policy lacks.
  std::string rules = kHookRules;
  rules.replace(rules.find("@DOMAIN@"), 8, "no_such_t");
  stdfs::remove_all(path() + "/out");
  auto unknown = generate(rules, {"--module-name", "modgate_third"});
  EXPECT_NE(unknown.exit_status, 0);
  json report = json::parse(
      test::runProgram({MODGATE_CLI, "scan", "--rules", path() + "/rules.toml", "--root", path(), "--format", "json"})
          .out);
  EXPECT_NE(report["subjects"][0]["domain_source"].get<std::string>().find("no_such_t' is not in the policy"),
            std::string::npos);
}

TEST_F(SelinuxGenerate, GoldenArtefactsForTheCronScenario) {
  ASSERT_EQ(generate(kCronRules).exit_status, 0);
  std::string golden = test::kSourceDir + "/tests/golden/selinux-cron";
  bool update = std::getenv("MODGATE_UPDATE_GOLDEN") != nullptr;
  for (const char* file :
       {"modgate_go.te", "modgate_go.cil", "modgate_go.fc", "modgate_go.if", "apply.sh", "rollback.sh"}) {
    std::string text = test::slurp(path() + "/out/selinux/" + file);
    for (std::size_t at; (at = text.find(path())) != std::string::npos;) text.replace(at, path().size(), "@ROOT@");
    if (update) {
      std::ofstream(golden + "/" + file, std::ios::binary | std::ios::trunc) << text;
      continue;
    }
    EXPECT_EQ(text, test::slurp(golden + "/" + file)) << file << " differs from tests/golden/selinux-cron";
  }
}

}  // namespace
}  // namespace modgate
