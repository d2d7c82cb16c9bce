// A hostile-name corpus (spaces, newlines, quotes, $(...), backslashes, leading '-',
// globs, non-UTF-8, deep nesting, a link pointing outside the root) is scanned without
// changing anything, repaired correctly by the generated scripts, and rolled back
// exactly; nothing outside the cache is touched. Needs root (chown, security xattrs).
#include <dirent.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/fixture_root.h"
#include "tests/support/run_program.h"

namespace modgate {
namespace {

namespace stdfs = std::filesystem;
using nlohmann::json;

std::vector<std::string> hostileNames() {
  return {"with space",    "new\nline",      "single'quote",
          "double\"quote", "$(touch pwned)", "back\\slash",
          "-rf",           "--help",         "*",
          "?[a]",          "tab\tbed",       std::string("non-utf8-\xff\xfe"),
          ".hidden",       "`id`",           "a;b&c|d"};
}

/// Everything observable of every entry below dir: type, mode, owner, size, mtime,
/// content of regular files, and every extended attribute (ACLs and labels included).
std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  std::vector<std::string> pending = {dir};
  while (!pending.empty()) {
    std::string path = pending.back();
    pending.pop_back();
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) continue;
    std::string record = std::to_string(info.st_mode) + "/" + std::to_string(info.st_uid) + "/" +
                         std::to_string(info.st_gid) + "/" + std::to_string(info.st_size) + "/" +
                         std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec);
    char names[4096];
    ssize_t length = ::llistxattr(path.c_str(), names, sizeof names);
    for (ssize_t at = 0; at > -1 && at < length; at += static_cast<ssize_t>(std::strlen(names + at)) + 1) {
      char value[4096];
      ssize_t size = ::lgetxattr(path.c_str(), names + at, value, sizeof value);
      record +=
          std::string("|") + (names + at) + "=" + std::string(value, size > 0 ? static_cast<std::size_t>(size) : 0);
    }
    if (S_ISREG(info.st_mode)) record += "|" + test::slurp(path);
    out[path] = record;
    if (S_ISDIR(info.st_mode)) {
      for (const auto& entry : stdfs::directory_iterator(path)) pending.push_back(entry.path().string());
    }
  }
  return out;
}

TEST(HostileTree, ScannedUnchangedRepairedAndRolledBack) {
  test::TempRoot outside;
  outside.write("/precious", "not yours");
  ASSERT_EQ(::chmod((outside.path() + "/precious").c_str(), 0600), 0);
  test::TempRoot root;
  root.installSelinuxPolicy();
  root.write("/etc/passwd",
             "root:x:0:0:root:/root:/bin/bash\nbuilder:x:1001:1001::/home/builder:/bin/bash\n"
             "alice:x:1002:1002::/home/alice:/bin/bash\n");
  root.write("/etc/group", "root:x:0:\nbuilder:x:1001:\nalice:x:1002:\ngodev:x:2000:builder,alice\n");
  std::string top = "/srv/cache";
  root.mkdir(top);
  for (const auto& name : hostileNames()) {
    root.mkdir(top + "/" + name);
    root.write(top + "/" + name + "/" + name, "data");
  }
  std::string deep = top;
  for (int i = 0; i < 200; ++i) deep += "/d";
  root.mkdir(deep);
  root.write(deep + "/bottom", "x");
  root.symlink(outside.path() + "/precious", top + "/link-out");
  root.symlink("../../../../../../../../../etc", top + "/escape");
  std::string label = "system_u:object_r:var_t:s0";
  ASSERT_EQ(
      ::lsetxattr((root.path() + top + "/with space").c_str(), "security.selinux", label.c_str(), label.size() + 1, 0),
      0);
  test::runProgram({"/bin/chmod", "-R", "go-w", root.path() + top});
  root.write("/rules.toml", R"(schema = 1
[[subject]]
id = "builder"
user = "builder"
selinux_domain = "unconfined_t"
[[cache]]
id = "shared"
path = "/srv/cache"
kind = "generic"
group = "godev"
mode = "2775"
default_acl = ["group::rwx", "other::r-x"]
recursive = true
writers = ["builder"]
[[rule]]
id = "H-PERM"
title = "permissions"
severity = "medium"
check = "cache-permissions"
[[rule]]
id = "H-WRITE"
title = "writable"
severity = "high"
check = "cache-writable"
)");
  std::string cache = root.path() + top;
  auto before = snapshot(cache);
  auto outside_before = snapshot(outside.path());
  auto scan = test::runProgram(
      {MODGATE_CLI, "scan", "--rules", root.path() + "/rules.toml", "--root", root.path(), "--format", "json"});
  EXPECT_EQ(scan.exit_status, 1) << scan.err;
  EXPECT_EQ(snapshot(cache), before) << "a scan changes nothing: contents, modes, owners, ACLs, xattrs";
  json report = json::parse(scan.out);
  for (const auto& result : report["results"]) {
    EXPECT_EQ(result["status"], "fail") << result.dump(2);
    if (result["rule"] == "H-PERM") {
      EXPECT_NE(result["actual"].get<std::string>().find("entries checked"), std::string::npos);
    }
  }

  std::string out = root.path() + "/out";
  auto generate = test::runProgram(
      {MODGATE_CLI, "generate", "--rules", root.path() + "/rules.toml", "--root", root.path(), "--out", out});
  ASSERT_EQ(generate.exit_status, 0) << generate.err << generate.out;
  std::string original = test::runProgram({"/usr/bin/getfacl", "-R", "-p", cache}).out;
  ASSERT_EQ(test::runProgram({"/bin/sh", out + "/acl/shared/apply.sh"}).exit_status, 0);
  EXPECT_EQ(snapshot(cache), before) << "the dry run changes nothing";
  auto apply = test::runProgram({"/bin/sh", out + "/acl/shared/apply.sh", "--apply"});
  ASSERT_EQ(apply.exit_status, 0) << apply.err;
  EXPECT_FALSE(stdfs::exists(root.path() + "/pwned")) << "no name was ever run as a command";
  EXPECT_FALSE(stdfs::exists(cache + "/pwned"));
  for (const auto& name : hostileNames()) {
    struct stat info {};
    ASSERT_EQ(::lstat((cache + "/" + name).c_str(), &info), 0) << name;
    EXPECT_EQ(info.st_gid, 2000u) << name;
    EXPECT_EQ(info.st_mode & 02775, 02775u) << name;
    ASSERT_EQ(::lstat((cache + "/" + name + "/" + name).c_str(), &info), 0) << name;
    EXPECT_EQ(info.st_gid, 2000u) << name;
  }
  struct stat bottom {};
  ASSERT_EQ(::stat((root.path() + deep).c_str(), &bottom), 0);
  EXPECT_EQ(bottom.st_mode & 02775, 02775u) << "200 levels down";
  EXPECT_EQ(snapshot(outside.path()), outside_before) << "the link out of the cache was not followed";
  struct stat link {};
  ASSERT_EQ(::lstat((cache + "/link-out").c_str(), &link), 0);
  EXPECT_EQ(link.st_gid, 0u) << "links are left alone, so rollback has nothing to undo there";

  auto rescan = test::runProgram(
      {MODGATE_CLI, "scan", "--rules", root.path() + "/rules.toml", "--root", root.path(), "--format", "json"});
  EXPECT_EQ(rescan.exit_status, 0) << rescan.out;

  ASSERT_EQ(test::runProgram({"/bin/sh", out + "/acl/shared/rollback.sh"}).exit_status, 0);
  EXPECT_EQ(test::runProgram({"/usr/bin/getfacl", "-R", "-p", cache}).out, original);
  auto restored = snapshot(cache);
  for (auto& [path, record] : before) {
    // ctime is not compared; mtimes, modes, owners, ACLs and contents are.
    EXPECT_EQ(restored[path], record) << path;
  }
  EXPECT_EQ(snapshot(outside.path()), outside_before);
}

}  // namespace
}  // namespace modgate
