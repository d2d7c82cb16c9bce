#pragma once

// POSIX.1e access control lists.
//
// Stored form (the system.posix_acl_access / system.posix_acl_default xattrs):
//   u32 version (2), then entries of u16 tag, u16 perms, u32 id, little-endian;
//   tags USER_OBJ 0x01, USER 0x02, GROUP_OBJ 0x04, GROUP 0x08, MASK 0x10, OTHER 0x20.
// Text form (setfacl -m, rule files' default_acl):
//   entry     := [ "d:" | "default:" ] tag ":" [ qualifier ] ":" perms
//   tag       := "u" | "user" | "g" | "group" | "m" | "mask" | "o" | "other"
//   perms     := [r-][w-][x-] (also any order of r, w, x; "-" for none)
// Decoding is done here, not with libacl: the tree walker reads millions of entries
// and this costs one read of a few bytes each. Tests check it against getfacl.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/error.h"

namespace modgate::fs {

enum class AclTag : std::uint16_t {
  kUserObj = 0x01,
  kUser = 0x02,
  kGroupObj = 0x04,
  kGroup = 0x08,
  kMask = 0x10,
  kOther = 0x20
};

struct AclEntry final {
  AclTag tag = AclTag::kOther;
  std::uint32_t id = 0xffffffffu;  ///< uid or gid for kUser/kGroup
  unsigned perms = 0;              ///< 4 read, 2 write, 1 execute
  bool operator==(const AclEntry& other) const { return tag == other.tag && id == other.id && perms == other.perms; }
};

/// An ACL: entries in stored order.
struct Acl final {
  std::vector<AclEntry> entries;
  [[nodiscard]] bool empty() const { return entries.empty(); }
  [[nodiscard]] std::optional<unsigned> mask() const;
  [[nodiscard]] const AclEntry* find(AclTag tag, std::uint32_t id = 0xffffffffu) const;
};

/// Decodes a stored ACL; nullopt when malformed.
std::optional<Acl> decodeAcl(std::string_view bytes);

/// One entry of the text form, with its qualifier still a name (or a number).
struct AclSpec final {
  bool is_default = false;
  AclTag tag = AclTag::kOther;
  std::string qualifier;  ///< user or group name/number; empty for the owner/owning group/mask/other
  unsigned perms = 0;
  [[nodiscard]] std::string text() const;  ///< canonical form, e.g. "default:group:godev:rwx"
};

/// Parses one text entry; kInvalidArgument says what is wrong.
Expected<AclSpec> parseAclSpec(std::string_view text);

/// "rwx", "r-x"...
std::string permsText(unsigned perms);

/// Who asks: a process's uid, primary gid and supplementary gids.
struct Identity final {
  uid_t uid = 0;
  std::vector<gid_t> gids;  ///< primary first
};

/// The access check of POSIX.1e (and Linux's generic_permission): owner entry;
/// named users; owning group and named groups (any matching that grants); other;
/// the mask limits named users and the group class. Root passes reads and writes,
/// and execute when any execute bit is set (directories: always).
bool permits(mode_t mode, uid_t owner, gid_t group, const Acl* access, const Identity& who, unsigned want,
             bool directory);

}  // namespace modgate::fs
