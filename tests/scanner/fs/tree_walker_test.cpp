// The walker on hostile trees: odd names, deep nesting, huge directories, links out.
#include "scanner/fs/tree_walker.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "tests/support/fixture_root.h"
#include "tests/support/run_program.h"

namespace modgate::fs {
namespace {

/// Names that break naive scripts and walkers.
std::vector<std::string> hostileNames() {
  return {"with space",
          "new\nline",
          "single'quote",
          "double\"quote",
          "$(touch pwned)",
          "back\\slash",
          "-rf",
          "--help",
          "*",
          "?[a]",
          "tab\tbed",
          std::string("non-utf8-\xff\xfe"),
          ".hidden",
          "..."};
}

void makeHostileTree(const test::TempRoot& root, const std::string& top) {
  root.mkdir(top);
  for (const auto& name : hostileNames()) {
    root.mkdir(top + "/" + name);
    root.write(top + "/" + name + "/" + name, "x");
  }
  std::string deep = top + "/deep";
  for (int i = 0; i < 300; ++i) deep += "/d";
  root.mkdir(deep);
  root.write(deep + "/bottom", "x");
  root.symlink("/etc", top + "/escape");
  root.symlink("../../../../../../../../etc/passwd", top + "/escape-file");
}

TEST(TreeWalker, VisitsHostileNamesOnceAndNeverFollowsLinks) {
  test::TempRoot root;
  root.write("/etc/passwd", "the root's own passwd\n");
  makeHostileTree(root, "/cache");
  std::set<std::string> paths;
  std::size_t deepest = 0;
  auto stats = walkTree(root.path(), "/cache", {}, [&](const TreeEntry& entry) {
    EXPECT_TRUE(paths.insert(std::string(entry.path)).second) << "visited twice: " << entry.path;
    EXPECT_EQ(entry.path.rfind("/cache", 0), 0u);
    deepest = std::max<std::size_t>(deepest, static_cast<std::size_t>(entry.depth));
  });
  ASSERT_TRUE(stats) << stats.error().message;
  for (const auto& name : hostileNames()) {
    EXPECT_TRUE(paths.count("/cache/" + name + "/" + name)) << name;
  }
  EXPECT_EQ(stats->symlinks, 2u);
  EXPECT_TRUE(paths.count("/cache/escape"));
  EXPECT_FALSE(paths.count("/cache/escape/passwd")) << "a link out of the tree is not followed";
  EXPECT_EQ(deepest, 302u);
  EXPECT_EQ(stats->unreadable + stats->vanished, 0u);
  EXPECT_EQ(stats->entries, paths.size());
}

TEST(TreeWalker, ReadsAclsAndLabelsAndNothingChanges) {
  test::TempRoot root;
  root.mkdir("/cache/sub");
  root.write("/cache/sub/file", "x");
  ASSERT_EQ(test::runProgram(
                {"/usr/bin/setfacl", "-R", "-m", "g:2000:rwX", "-d", "-m", "g:2000:rwx", "--", root.path() + "/cache"})
                .exit_status,
            0);
  std::string label = "system_u:object_r:var_t:s0";
  ASSERT_EQ(
      ::lsetxattr((root.path() + "/cache/sub/file").c_str(), "security.selinux", label.c_str(), label.size() + 1, 0),
      0);
  auto before = test::runProgram({"/usr/bin/getfacl", "-R", "-p", root.path() + "/cache"});
  WalkOptions options;
  options.labels = true;
  std::size_t with_default = 0, with_access = 0;
  std::string seen_label;
  auto stats = walkTree(root.path(), "/cache", options, [&](const TreeEntry& entry) {
    if (entry.access) {
      ++with_access;
      EXPECT_TRUE(entry.access->find(AclTag::kGroup, 2000));
    }
    if (entry.default_acl) ++with_default;
    if (entry.path == "/cache/sub/file") seen_label = std::string(entry.selinux);
  });
  ASSERT_TRUE(stats);
  EXPECT_EQ(with_access, 3u);
  EXPECT_EQ(with_default, 2u);
  EXPECT_EQ(seen_label, label);
  auto after = test::runProgram({"/usr/bin/getfacl", "-R", "-p", root.path() + "/cache"});
  EXPECT_EQ(before.out, after.out);
}

TEST(TreeWalker, AHundredThousandEntriesInOneDirectory) {
  test::TempRoot root;
  root.mkdir("/big");
  std::string dir = root.path() + "/big";
  for (int i = 0; i < 100000; ++i) {
    std::string path = dir + "/f" + std::to_string(i);
    int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    ::close(fd);
  }
  std::size_t files = 0;
  auto stats = walkTree(root.path(), "/big", {}, [&](const TreeEntry& entry) { files += entry.isRegular(); });
  ASSERT_TRUE(stats);
  EXPECT_EQ(files, 100000u);
  EXPECT_EQ(stats->entries, 100001u);
}

TEST(TreeWalker, TheTopIsResolvedInsideTheRoot) {
  test::TempRoot root;
  root.mkdir("/srv/real");
  root.write("/srv/real/x", "x");
  root.symlink("/srv/real", "/var/cache/go");
  auto stats = walkTree(root.path(), "/var/cache/go", {}, [](const TreeEntry&) {});
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->top, "/srv/real");
  EXPECT_EQ(stats->entries, 2u);
  auto missing = walkTree(root.path(), "/nope", {}, [](const TreeEntry&) {});
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->top_exists);
  root.write("/afile", "x");
  EXPECT_FALSE(walkTree(root.path(), "/afile", {}, [](const TreeEntry&) {}));
}

}  // namespace
}  // namespace modgate::fs
