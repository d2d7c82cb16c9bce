// Paths of a root never escape it, whatever its links say.
#include "scanner/fs/root_path.h"

#include <gtest/gtest.h>

#include "tests/support/fixture_root.h"

namespace modgate::fs {
namespace {

TEST(ResolveInRoot, AbsoluteLinksRestartAtTheRoot) {
  test::TempRoot root;
  root.write("/etc/real.conf", "x");
  root.symlink("/etc/real.conf", "/etc/link.conf");
  auto resolved = resolveInRoot(root.path(), "/etc/link.conf");
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_EQ(resolved->logical, "/etc/real.conf");
  EXPECT_EQ(resolved->host, root.path() + "/etc/real.conf");
  EXPECT_TRUE(resolved->exists);
}

TEST(ResolveInRoot, DotDotNeverClimbsAboveTheRoot) {
  test::TempRoot root;
  root.symlink("../../../../../../etc/passwd", "/escape");
  auto resolved = resolveInRoot(root.path(), "/escape");
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->logical, "/etc/passwd");
  EXPECT_EQ(resolved->host, root.path() + "/etc/passwd");
  EXPECT_FALSE(resolved->exists) << "the host's /etc/passwd must not be seen through the root";
  auto direct = resolveInRoot(root.path(), "/../../etc/passwd");
  ASSERT_TRUE(direct);
  EXPECT_EQ(direct->host, root.path() + "/etc/passwd");
}

TEST(ResolveInRoot, MissingTailsAreKeptLiterally) {
  test::TempRoot root;
  root.mkdir("/var/cache");
  auto resolved = resolveInRoot(root.path(), "/var/cache/goproxy/mod");
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->logical, "/var/cache/goproxy/mod");
  EXPECT_FALSE(resolved->exists);
}

TEST(ResolveInRoot, LoopsAndRelativePathsAreErrors) {
  test::TempRoot root;
  root.symlink("/b", "/a");
  root.symlink("/a", "/b");
  auto loop = resolveInRoot(root.path(), "/a/x");
  ASSERT_FALSE(loop);
  EXPECT_NE(loop.error().message.find("too many symbolic links"), std::string::npos);
  auto relative = resolveInRoot(root.path(), "etc/x");
  ASSERT_FALSE(relative);
  EXPECT_EQ(relative.error().code, ErrorCode::kInvalidArgument);
}

TEST(ResolveInRoot, TheHostRootIsUsedAsIs) {
  auto resolved = resolveInRoot("/", "/etc/selinux/config");
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->host, "/etc/selinux/config");
  EXPECT_EQ(joinRoot("/", "/"), "/");
  EXPECT_EQ(joinRoot("/srv/img/", "/etc"), "/srv/img/etc");
}

TEST(ReadRootFile, RefusesOversizedFiles) {
  test::TempRoot root;
  root.write("/big", std::string(100, 'x'));
  auto read = readRootFile(root.path(), "/big", 10);
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("larger than"), std::string::npos);
  auto ok = readRootFile(root.path(), "/big", 100);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->size(), 100u);
}

}  // namespace
}  // namespace modgate::fs
