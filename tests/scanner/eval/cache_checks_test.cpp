// The cache checks on a shared module cache built on a real filesystem.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/fixture_root.h"
#include "tests/support/run_program.h"

namespace modgate {
namespace {

using nlohmann::json;

constexpr const char* kRules = R"(schema = 1
name = "shared-cache"

[[subject]]
id = "builder"
user = "builder"
selinux_domain = "unconfined_t"
env = { GOFLAGS = "-modcacherw" }

[[subject]]
id = "alice"
user = "alice"
selinux_domain = "unconfined_t"
@ALICE_ENV@

[[subject]]
id = "nightly"
user = "builder"
selinux_domain = "system_cronjob_t"
@NIGHTLY_ENV@

[[cache]]
id = "modcache"
path = "/srv/gocache/mod"
kind = "gomodcache"
group = "godev"
mode = "2775"
default_acl = ["group::rwx", "other::r-x"]
recursive = true
writers = ["builder", "alice", "nightly"]

[[rule]]
id = "CACHE-PERM-001"
title = "The shared module cache keeps its group, setgid and default ACL"
severity = "medium"
check = "cache-permissions"

[[rule]]
id = "CACHE-WRITE-001"
title = "Writers can write the module cache"
severity = "high"
check = "cache-writable"
)";

class SharedCache : public ::testing::Test {
 protected:
  void SetUp() override {
    root_.installSelinuxPolicy();
    root_.write("/etc/passwd",
                "root:x:0:0:root:/root:/bin/bash\nbuilder:x:1001:1001::/home/builder:/bin/bash\n"
                "alice:x:1002:1002::/home/alice:/bin/bash\n");
    root_.write("/etc/group", "root:x:0:\nbuilder:x:1001:\nalice:x:1002:\ngodev:x:2000:builder,alice\n");
    writeRules(false);
    // As Go leaves it after alice (umask 022, no -modcacherw) downloaded a module.
    for (const char* dir : {"/srv/gocache/mod", "/srv/gocache/mod/cache/download/example.com/hello/@v",
                            "/srv/gocache/mod/example.com/hello@v1.0.0"}) {
      root_.mkdir(dir);
    }
    root_.write("/srv/gocache/mod/cache/download/example.com/hello/@v/v1.0.0.zip", "zip");
    root_.write("/srv/gocache/mod/cache/lock", "");
    root_.write("/srv/gocache/mod/example.com/hello@v1.0.0/hello.go", "package hello\n");
    own("/srv/gocache/mod", 0, 2000, 02775);
    for (const char* dir :
         {"/srv/gocache/mod/cache", "/srv/gocache/mod/cache/download", "/srv/gocache/mod/cache/download/example.com",
          "/srv/gocache/mod/cache/download/example.com/hello", "/srv/gocache/mod/cache/download/example.com/hello/@v",
          "/srv/gocache/mod/example.com"}) {
      own(dir, 1002, 2000, 02755);
    }
    own("/srv/gocache/mod/example.com/hello@v1.0.0", 1002, 2000, 02555);
    own("/srv/gocache/mod/cache/download/example.com/hello/@v/v1.0.0.zip", 1002, 2000, 0644);
    own("/srv/gocache/mod/cache/lock", 1002, 2000, 0644);
    own("/srv/gocache/mod/example.com/hello@v1.0.0/hello.go", 1002, 2000, 0444);
  }
  /// The rules; with modcacherw, every writer runs go with GOFLAGS=-modcacherw.
  void writeRules(bool modcacherw) {
    std::string text = kRules;
    std::string env = modcacherw ? "env = { GOFLAGS = \"-modcacherw\" }" : "";
    for (const char* marker : {"@ALICE_ENV@", "@NIGHTLY_ENV@"})
      text.replace(text.find(marker), std::string(marker).size(), env);
    root_.write("/rules.toml", text);
  }
  void own(const std::string& logical, uid_t uid, gid_t gid, mode_t mode) {
    std::string path = root_.path() + logical;
    ASSERT_EQ(::chown(path.c_str(), uid, gid), 0);
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
  }
  json scan() {
    auto run = test::runProgram(
        {MODGATE_CLI, "scan", "--rules", root_.path() + "/rules.toml", "--root", root_.path(), "--format", "json"});
    EXPECT_NE(run.exit_status, 2) << run.err;
    return json::parse(run.out);
  }
  static const json* result(const json& report, const std::string& rule, const std::string& subject) {
    for (const auto& item : report["results"]) {
      if (item["rule"] == rule && item["subject"] == subject) return &item;
    }
    return nullptr;
  }
  static bool mentions(const json& item, const std::string& text) {
    for (const auto& line : item["evidence"]) {
      if (line.get<std::string>().find(text) != std::string::npos) return true;
    }
    return false;
  }
  test::TempRoot root_;
};

TEST_F(SharedCache, PermissionsExplainWhatGoLeftBehind) {
  json report = scan();
  const json* perms = result(report, "CACHE-PERM-001", "");
  ASSERT_NE(perms, nullptr) << report.dump(2);
  EXPECT_EQ((*perms)["status"], "fail");
  EXPECT_EQ((*perms)["object"], "/srv/gocache/mod");
  EXPECT_TRUE(mentions(*perms, "1 read-only directories (Go's 0555 module directories)")) << perms->dump(2);
  EXPECT_TRUE(mentions(*perms, "directories whose group class lacks rwx")) << perms->dump(2);
  EXPECT_TRUE(mentions(*perms, "files whose group class lacks rw-"))
      << "download files and locks must be group-writable";
  EXPECT_TRUE(mentions(*perms, "directories without a default ACL"));
  EXPECT_TRUE(mentions(*perms, "alice runs go without GOFLAGS=-modcacherw"));
  EXPECT_FALSE(mentions(*perms, "builder runs go without")) << "builder has -modcacherw in its env";
  EXPECT_FALSE(mentions(*perms, "hello.go")) << "extracted module files are read-only by design";
}

TEST_F(SharedCache, WritableSaysWhetherDacOrSelinuxDenies) {
  json report = scan();
  const json* builder = result(report, "CACHE-WRITE-001", "builder");
  ASSERT_NE(builder, nullptr);
  EXPECT_EQ((*builder)["status"], "fail");
  EXPECT_EQ((*builder)["mac"], "dac");
  EXPECT_NE(
      (*builder)["message"].get<std::string>().find("entries refuse write to builder (uid 1001; groups builder godev)"),
      std::string::npos)
      << builder->dump(2);
  const json* alice = result(report, "CACHE-WRITE-001", "alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ((*alice)["status"], "fail") << "alice cannot add to the read-only module directory either";
  const json* nightly = result(report, "CACHE-WRITE-001", "nightly");
  ASSERT_NE(nightly, nullptr);
  EXPECT_EQ((*nightly)["mac"], "dac+selinux");
  EXPECT_TRUE(mentions(*nightly, "SELinux denied: system_cronjob_t -> var_t dir")) << nightly->dump(2);
}

TEST_F(SharedCache, FixedPermissionsPass) {
  for (const char* dir :
       {"/srv/gocache/mod/cache", "/srv/gocache/mod/cache/download", "/srv/gocache/mod/cache/download/example.com",
        "/srv/gocache/mod/cache/download/example.com/hello", "/srv/gocache/mod/cache/download/example.com/hello/@v",
        "/srv/gocache/mod/example.com", "/srv/gocache/mod/example.com/hello@v1.0.0"}) {
    own(dir, 1002, 2000, 02775);
  }
  own("/srv/gocache/mod/cache/download/example.com/hello/@v/v1.0.0.zip", 1002, 2000, 0664);
  own("/srv/gocache/mod/cache/lock", 1002, 2000, 0664);
  ASSERT_EQ(
      test::runProgram({"/usr/bin/setfacl", "-R", "-d", "-m", "g::rwx,o::r-x", "--", root_.path() + "/srv/gocache/mod"})
          .exit_status,
      0);
  writeRules(true);
  json report = scan();
  EXPECT_EQ((*result(report, "CACHE-PERM-001", ""))["status"], "pass") << result(report, "CACHE-PERM-001", "")->dump(2);
  EXPECT_EQ((*result(report, "CACHE-WRITE-001", "builder"))["status"], "pass");
  EXPECT_EQ((*result(report, "CACHE-WRITE-001", "alice"))["status"], "pass");
  const json* nightly = result(report, "CACHE-WRITE-001", "nightly");
  EXPECT_EQ((*nightly)["mac"], "selinux") << "DAC allows it now; SELinux still denies";
  EXPECT_EQ((*nightly)["status"], "fail");
}

}  // namespace
}  // namespace modgate
