// Acceptance: two real users in one group share a module cache. Before the repair
// the second user's real `go mod download` fails and modgate says why; after
// apply.sh --apply and the Go environment drop-in it succeeds and the scan passes;
// rollback.sh restores the original getfacl -R output byte for byte.
// Needs root (it creates and removes users and a group).
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/fixture_root.h"
#include "tests/support/module_proxy.h"
#include "tests/support/run_program.h"

namespace modgate {
namespace {

using nlohmann::json;

constexpr const char* kGroup = "mgtest-go";
constexpr const char* kAlice = "mgtest-alice";
constexpr const char* kBob = "mgtest-bob";

/// Users and a group for the test, removed again whatever happens.
class TestAccounts final {
 public:
  TestAccounts() {
    remove();
    run({"/usr/sbin/groupadd", kGroup});
    for (const char* user : {kAlice, kBob}) run({"/usr/sbin/useradd", "-M", "-U", "-G", kGroup, "-s", "/bin/sh", user});
  }
  ~TestAccounts() { remove(); }
  TestAccounts(const TestAccounts&) = delete;
  TestAccounts& operator=(const TestAccounts&) = delete;

  /// This machine's passwd/group lines for the test accounts, homes under /home.
  static std::string passwdLine(const char* user) {
    auto line = test::runProgram({"/usr/bin/getent", "passwd", user}).out;
    auto fields = split(line.substr(0, line.find('\n')));
    return fields[0] + ":x:" + fields[2] + ":" + fields[3] + "::/home/" + user + ":/bin/sh\n";
  }
  static std::string groupLine(const char* group) {
    auto line = test::runProgram({"/usr/bin/getent", "group", group}).out;
    return line.substr(0, line.find('\n')) + "\n";
  }
  static uid_t uid(const char* user) { return static_cast<uid_t>(std::stoul(split(passwdLine(user))[2])); }
  static gid_t gid(const char* name) { return static_cast<gid_t>(std::stoul(split(groupLine(name))[2])); }

 private:
  static std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::size_t at = 0;
    for (;;) {
      std::size_t next = line.find(':', at);
      out.push_back(line.substr(at, next == std::string::npos ? std::string::npos : next - at));
      if (next == std::string::npos) return out;
      at = next + 1;
    }
  }
  static void run(const std::vector<std::string>& argv) {
    auto result = test::runProgram(argv);
    if (result.exit_status != 0) throw std::runtime_error(argv[0] + ": " + result.err);
  }
  static void remove() {
    for (const char* user : {kAlice, kBob}) test::runProgram({"/usr/sbin/userdel", user});
    test::runProgram({"/usr/sbin/groupdel", kGroup});
  }
};

class SharedModuleCache : public ::testing::Test {
 protected:
  void SetUp() override {
    accounts_ = std::make_unique<TestAccounts>();
    root_.installSelinuxPolicy();
    root_.write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n" + TestAccounts::passwdLine(kAlice) +
                                   TestAccounts::passwdLine(kBob));
    root_.write("/etc/group", "root:x:0:\n" + TestAccounts::groupLine(kAlice) + TestAccounts::groupLine(kBob) +
                                  TestAccounts::groupLine(kGroup));
    proxy_ = root_.path() + "/proxy";
    test::writeModule(proxy_, "example.com/hello", "v1.0.0", {{"hello.go", "package hello\n"}});
    test::writeModule(proxy_, "example.com/world", "v1.0.0", {{"world.go", "package world\n"}});
    test::writeModule(proxy_, "example.com/foo", "v1.0.0", {{"foo.go", "package foo\n"}});
    test::runProgram({"/bin/chmod", "-R", "a+rX", root_.path()});
    // The cache as an admin set it up: root:group 2775.
    root_.mkdir("/srv/gomod");
    std::string cache = root_.path() + "/srv/gomod";
    ASSERT_EQ(::chown(cache.c_str(), 0, TestAccounts::gid(kGroup)), 0);
    ASSERT_EQ(::chmod(cache.c_str(), 02775), 0);
    for (const char* user : {kAlice, kBob}) {
      std::string home = root_.path() + "/home/" + user;
      root_.mkdir("/home/" + std::string(user));
      ASSERT_EQ(::chown(home.c_str(), TestAccounts::uid(user), TestAccounts::gid(user)), 0);
    }
    root_.write("/rules.toml", std::string(R"(schema = 1
name = "shared-modcache"
[[subject]]
id = "alice"
user = ")") + kAlice + R"("
selinux_domain = "unconfined_t"
[[subject]]
id = "bob"
user = ")" + kBob + R"("
selinux_domain = "unconfined_t"
[[cache]]
id = "modcache"
path = "/srv/gomod"
kind = "gomodcache"
group = ")" + kGroup + R"("
mode = "2775"
default_acl = ["group::rwx", "other::r-x"]
recursive = true
writers = ["alice", "bob"]
[[rule]]
id = "MOD-PERM-001"
title = "The shared module cache keeps group, setgid and default ACL"
severity = "medium"
check = "cache-permissions"
[[rule]]
id = "MOD-WRITE-001"
title = "Both builders can write the module cache"
severity = "high"
check = "cache-writable"
)");
  }

  /// `go mod download MODULE@v1.0.0` as user, with umask 022 and its own HOME.
  test::ProgramRun download(const char* user, const std::string& module) {
    std::string home = root_.path() + "/home/" + user;
    return test::runProgram({"/usr/sbin/runuser", "-u", user, "--", "/usr/bin/env", "-i", "PATH=/usr/bin:/bin",
                             "HOME=" + home, "GOPROXY=file://" + proxy_, "GOSUMDB=off", "GO111MODULE=on",
                             "GOMODCACHE=" + root_.path() + "/srv/gomod", "GOCACHE=" + home + "/.cache/go-build",
                             "/usr/bin/go", "mod", "download", module + "@v1.0.0"});
  }
  json scan() {
    auto run = test::runProgram(
        {MODGATE_CLI, "scan", "--rules", root_.path() + "/rules.toml", "--root", root_.path(), "--format", "json"});
    last_scan_status_ = run.exit_status;
    return json::parse(run.out);
  }
  std::string getfacl() { return test::runProgram({"/usr/bin/getfacl", "-R", "-p", root_.path() + "/srv/gomod"}).out; }

  std::unique_ptr<TestAccounts> accounts_;
  test::TempRoot root_;
  std::string proxy_;
  int last_scan_status_ = -1;
};

TEST_F(SharedModuleCache, FailsForTheSecondUserThenWorksAfterTheRepairAndRollsBackExactly) {
  ::umask(022);
  auto alice = download(kAlice, "example.com/hello");
  ASSERT_EQ(alice.exit_status, 0) << alice.err;
  auto bob = download(kBob, "example.com/world");
  ASSERT_NE(bob.exit_status, 0) << "with umask 022 alice's directories refuse bob";
  EXPECT_NE(bob.err.find("permission denied"), std::string::npos) << bob.err;

  json before = scan();
  EXPECT_EQ(last_scan_status_, 1);
  bool explained = false;
  for (const auto& result : before["results"]) {
    if (result["rule"] == "MOD-WRITE-001" && result["subject"] == "bob") {
      EXPECT_EQ(result["status"], "fail");
      EXPECT_EQ(result["mac"], "dac");
      explained =
          result["message"].get<std::string>().find("refuse write to " + std::string(kBob)) != std::string::npos;
    }
  }
  EXPECT_TRUE(explained) << before.dump(2);

  std::string original = getfacl();
  std::string out = root_.path() + "/out";
  auto generate = test::runProgram(
      {MODGATE_CLI, "generate", "--rules", root_.path() + "/rules.toml", "--root", root_.path(), "--out", out});
  ASSERT_EQ(generate.exit_status, 0) << generate.err << generate.out;
  EXPECT_NE(generate.out.find("proof: MOD-WRITE-001 bob /srv/gomod: fail -> pass"), std::string::npos) << generate.out;
  std::string acl_apply = out + "/acl/modcache/apply.sh", acl_rollback = out + "/acl/modcache/rollback.sh";
  std::string goenv_apply = out + "/goenv/apply.sh";
  auto lint =
      test::runProgram({"/usr/bin/shellcheck", acl_apply, acl_rollback, goenv_apply, out + "/goenv/rollback.sh"});
  EXPECT_EQ(lint.exit_status, 0) << lint.out;

  auto dry = test::runProgram({"/bin/sh", acl_apply});
  EXPECT_EQ(dry.exit_status, 0) << dry.err;
  EXPECT_EQ(getfacl(), original) << "a dry run changes nothing";

  ASSERT_EQ(test::runProgram({"/bin/sh", acl_apply, "--apply"}).exit_status, 0);
  std::string repaired = getfacl();
  ASSERT_EQ(test::runProgram({"/bin/sh", acl_apply, "--apply"}).exit_status, 0);
  EXPECT_EQ(getfacl(), repaired) << "a second run changes nothing";

  auto rollback = test::runProgram({"/bin/sh", acl_rollback});
  ASSERT_EQ(rollback.exit_status, 0) << rollback.err;
  EXPECT_EQ(getfacl(), original) << "rollback restores the getfacl -R output byte for byte";

  ASSERT_EQ(test::runProgram({"/bin/sh", acl_apply, "--apply"}).exit_status, 0);
  auto goenv = test::runProgram({"/bin/sh", goenv_apply, "--apply"});
  ASSERT_EQ(goenv.exit_status, 0) << goenv.err;
  EXPECT_EQ(test::slurp(root_.path() + "/home/" + kBob + "/.config/go/env"), "GOFLAGS=-modcacherw\n");

  auto bob_again = download(kBob, "example.com/world");
  EXPECT_EQ(bob_again.exit_status, 0) << bob_again.err;
  auto alice_again = download(kAlice, "example.com/foo");
  EXPECT_EQ(alice_again.exit_status, 0) << alice_again.err;
  struct stat info {};
  ASSERT_EQ(::stat((root_.path() + "/srv/gomod/example.com/foo@v1.0.0").c_str(), &info), 0);
  EXPECT_TRUE(info.st_mode & S_IWGRP) << "with -modcacherw, module directories stay group-writable";

  json after = scan();
  EXPECT_EQ(last_scan_status_, 0) << after.dump(2);
  for (const auto& result : after["results"]) EXPECT_EQ(result["status"], "pass") << result.dump(2);
}

}  // namespace
}  // namespace modgate
