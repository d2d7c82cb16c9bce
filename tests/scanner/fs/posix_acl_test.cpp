// ACLs as the kernel stores them (set with the real setfacl) and the POSIX.1e check.
#include "scanner/fs/posix_acl.h"

#include <sys/stat.h>
#include <sys/xattr.h>

#include <gtest/gtest.h>

#include "tests/support/fixture_root.h"
#include "tests/support/run_program.h"

namespace modgate::fs {
namespace {

Acl readAcl(const std::string& path, const char* key) {
  char value[4096];
  ssize_t size = ::getxattr(path.c_str(), key, value, sizeof value);
  EXPECT_GT(size, 0) << path << " " << key;
  auto acl = decodeAcl(std::string_view(value, size > 0 ? static_cast<std::size_t>(size) : 0));
  EXPECT_TRUE(acl);
  return acl.value_or(Acl{});
}

TEST(PosixAcl, DecodesWhatSetfaclStores) {
  test::TempRoot root;
  root.mkdir("/cache");
  std::string dir = root.path() + "/cache";
  auto set = test::runProgram(
      {"/usr/bin/setfacl", "-m", "u:1001:rwx,g:2000:r-x,m::rwx", "-d", "-m", "g::rwx,o::r-x", "--", dir});
  ASSERT_EQ(set.exit_status, 0) << set.err;
  auto set_default = test::runProgram({"/usr/bin/setfacl", "-d", "-m", "g:2000:rwx", "--", dir});
  ASSERT_EQ(set_default.exit_status, 0) << set_default.err;
  Acl access = readAcl(dir, "system.posix_acl_access");
  ASSERT_TRUE(access.find(AclTag::kUser, 1001));
  EXPECT_EQ(access.find(AclTag::kUser, 1001)->perms, 7u);
  EXPECT_EQ(access.find(AclTag::kGroup, 2000)->perms, 5u);
  EXPECT_EQ(access.mask().value_or(0), 7u);
  Acl fallback = readAcl(dir, "system.posix_acl_default");
  EXPECT_EQ(fallback.find(AclTag::kGroupObj)->perms, 7u);
  EXPECT_EQ(fallback.find(AclTag::kGroup, 2000)->perms, 7u);
  EXPECT_EQ(fallback.find(AclTag::kOther)->perms, 5u);
  EXPECT_FALSE(decodeAcl("\x02\x00\x00\x00\x01\x00"));
  EXPECT_FALSE(decodeAcl(std::string("\x03\x00\x00\x00", 4)));
  EXPECT_FALSE(decodeAcl(std::string("\x02\x00\x00\x00\x40\x00\x07\x00\xff\xff\xff\xff", 12)));
}

TEST(PosixAcl, ParsesTheTextForm) {
  auto named = parseAclSpec("d:group:godev:rwx");
  ASSERT_TRUE(named);
  EXPECT_TRUE(named->is_default);
  EXPECT_EQ(named->tag, AclTag::kGroup);
  EXPECT_EQ(named->qualifier, "godev");
  EXPECT_EQ(named->perms, 7u);
  EXPECT_EQ(named->text(), "default:group:godev:rwx");
  auto owner = parseAclSpec("u::r-x");
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->tag, AclTag::kUserObj);
  EXPECT_EQ(owner->perms, 5u);
  EXPECT_EQ(parseAclSpec("other::-")->perms, 0u);
  for (const char* bad : {"group", "g:x", "x::rwx", "m:foo:rwx", "g::rwxx", "g::abc", "g:a b:rwx", ""}) {
    EXPECT_FALSE(parseAclSpec(bad)) << bad;
  }
}

TEST(PosixAcl, PermitsFollowsPosix1e) {
  Identity alice{1001, {1001, 2000}};
  Identity carol{1003, {1003}};
  Identity root_user{0, {0}};
  // Plain mode 2775 owned by 1002:2000.
  EXPECT_TRUE(permits(S_IFDIR | 02775, 1002, 2000, nullptr, alice, 7, true));
  EXPECT_FALSE(permits(S_IFDIR | 02775, 1002, 2000, nullptr, carol, 7, true));
  EXPECT_TRUE(permits(S_IFDIR | 02775, 1002, 2000, nullptr, carol, 5, true));
  // The owner class is exclusive: an owner without w is refused even if the group has it.
  EXPECT_FALSE(permits(S_IFDIR | 0575, 1001, 2000, nullptr, alice, 2, true));
  // A named user entry limited by the mask.
  Acl acl;
  acl.entries = {{AclTag::kUserObj, 0xffffffffu, 7},
                 {AclTag::kUser, 1003, 7},
                 {AclTag::kGroupObj, 0xffffffffu, 5},
                 {AclTag::kMask, 0xffffffffu, 5},
                 {AclTag::kOther, 0xffffffffu, 0}};
  EXPECT_FALSE(permits(S_IFDIR | 0750, 1002, 2000, &acl, carol, 7, true));
  EXPECT_TRUE(permits(S_IFDIR | 0750, 1002, 2000, &acl, carol, 5, true));
  // The group class: the owning group's ACL entry, not the mode's group bits (which show the mask).
  acl.entries[3].perms = 7;
  EXPECT_FALSE(permits(S_IFDIR | 0770, 1002, 2000, &acl, alice, 2, true)) << "GROUP_OBJ is r-x";
  EXPECT_FALSE(permits(S_IFREG | 0640, 1002, 2000, nullptr, carol, 4, false));
  EXPECT_TRUE(permits(S_IFREG | 0000, 1002, 2000, nullptr, root_user, 6, false));
  EXPECT_FALSE(permits(S_IFREG | 0644, 1002, 2000, nullptr, root_user, 1, false)) << "root needs an x bit to execute";
}

}  // namespace
}  // namespace modgate::fs
