#include "scanner/fs/posix_acl.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>

namespace modgate::fs {
namespace {

std::uint32_t readLe32(const char* at) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(at);
  return static_cast<std::uint32_t>(bytes[0]) | static_cast<std::uint32_t>(bytes[1]) << 8 |
         static_cast<std::uint32_t>(bytes[2]) << 16 | static_cast<std::uint32_t>(bytes[3]) << 24;
}

std::uint16_t readLe16(const char* at) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(at);
  return static_cast<std::uint16_t>(bytes[0] | bytes[1] << 8);
}

bool knownTag(std::uint16_t tag) {
  return tag == 0x01 || tag == 0x02 || tag == 0x04 || tag == 0x08 || tag == 0x10 || tag == 0x20;
}

}  // namespace

std::optional<unsigned> Acl::mask() const {
  const AclEntry* entry = find(AclTag::kMask);
  if (!entry) return std::nullopt;
  return entry->perms;
}

const AclEntry* Acl::find(AclTag tag, std::uint32_t id) const {
  for (const auto& entry : entries) {
    if (entry.tag == tag && (id == 0xffffffffu || entry.id == id)) return &entry;
  }
  return nullptr;
}

std::optional<Acl> decodeAcl(std::string_view bytes) {
  if (bytes.size() < 4 || (bytes.size() - 4) % 8 != 0 || readLe32(bytes.data()) != 2) return std::nullopt;
  Acl acl;
  for (std::size_t at = 4; at < bytes.size(); at += 8) {
    std::uint16_t tag = readLe16(bytes.data() + at);
    std::uint16_t perms = readLe16(bytes.data() + at + 2);
    if (!knownTag(tag) || perms > 7) return std::nullopt;
    acl.entries.push_back({static_cast<AclTag>(tag), readLe32(bytes.data() + at + 4), perms});
  }
  return acl;
}

std::string permsText(unsigned perms) {
  std::string out = "---";
  if (perms & 4) out[0] = 'r';
  if (perms & 2) out[1] = 'w';
  if (perms & 1) out[2] = 'x';
  return out;
}

std::string AclSpec::text() const {
  const char* name = tag == AclTag::kUserObj || tag == AclTag::kUser     ? "user"
                     : tag == AclTag::kGroupObj || tag == AclTag::kGroup ? "group"
                     : tag == AclTag::kMask                              ? "mask"
                                                                         : "other";
  return std::string(is_default ? "default:" : "") + name + ":" + qualifier + ":" + permsText(perms);
}

Expected<AclSpec> parseAclSpec(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return makeError(ErrorCode::kInvalidArgument, "ACL entry '" + std::string(text) + "': " + why);
  };
  AclSpec spec;
  std::string_view rest = text;
  if (rest.rfind("default:", 0) == 0) {
    spec.is_default = true;
    rest.remove_prefix(8);
  } else if (rest.rfind("d:", 0) == 0) {
    spec.is_default = true;
    rest.remove_prefix(2);
  }
  auto first = rest.find(':');
  if (first == std::string_view::npos) return bad("expected TAG:QUALIFIER:PERMS");
  auto second = rest.find(':', first + 1);
  if (second == std::string_view::npos) return bad("expected TAG:QUALIFIER:PERMS");
  std::string_view tag = rest.substr(0, first);
  spec.qualifier = std::string(rest.substr(first + 1, second - first - 1));
  std::string_view perms = rest.substr(second + 1);
  bool named = !spec.qualifier.empty();
  if (tag == "u" || tag == "user") {
    spec.tag = named ? AclTag::kUser : AclTag::kUserObj;
  } else if (tag == "g" || tag == "group") {
    spec.tag = named ? AclTag::kGroup : AclTag::kGroupObj;
  } else if (tag == "m" || tag == "mask") {
    spec.tag = AclTag::kMask;
    if (named) return bad("mask takes no qualifier");
  } else if (tag == "o" || tag == "other") {
    spec.tag = AclTag::kOther;
    if (named) return bad("other takes no qualifier");
  } else {
    return bad("tag must be user, group, mask or other");
  }
  if (named && !std::all_of(spec.qualifier.begin(), spec.qualifier.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.' || c == '$';
      })) {
    return bad("'" + spec.qualifier + "' is not a user or group name");
  }
  if (perms.empty() || perms.size() > 3) return bad("permissions must be like rwx, r-x or -");
  for (char c : perms) {
    if (c == 'r')
      spec.perms |= 4;
    else if (c == 'w')
      spec.perms |= 2;
    else if (c == 'x')
      spec.perms |= 1;
    else if (c != '-')
      return bad("permissions must be like rwx, r-x or -");
  }
  return spec;
}

bool permits(mode_t mode, uid_t owner, gid_t group, const Acl* access, const Identity& who, unsigned want,
             bool directory) {
  if (who.uid == 0) {
    if ((want & 1) == 0 || directory) return true;
    return (mode & 0111) != 0 || (access && std::any_of(access->entries.begin(), access->entries.end(),
                                                        [](const AclEntry& e) { return e.perms & 1; }));
  }
  auto granted = [&](unsigned perms) { return (perms & want) == want; };
  if (who.uid == owner) return granted((mode >> 6) & 7);
  bool has_acl = access && !access->empty();
  unsigned mask = has_acl && access->mask() ? *access->mask() : 7;
  if (has_acl) {
    if (const AclEntry* user = access->find(AclTag::kUser, who.uid)) return granted(user->perms & mask);
  }
  auto member = [&](gid_t gid) { return std::find(who.gids.begin(), who.gids.end(), gid) != who.gids.end(); };
  bool matched = false;
  // Group class: with an ACL, the owning group's permissions are the GROUP_OBJ entry
  // (the mode's group bits show the mask); without, the mode's group bits.
  if (member(group)) {
    matched = true;
    unsigned perms =
        has_acl ? (access->find(AclTag::kGroupObj) ? access->find(AclTag::kGroupObj)->perms : 0) : (mode >> 3) & 7;
    if (granted(perms & mask)) return true;
  }
  if (has_acl) {
    for (const auto& entry : access->entries) {
      if (entry.tag != AclTag::kGroup || !member(entry.id)) continue;
      matched = true;
      if (granted(entry.perms & mask)) return true;
    }
  }
  if (matched) return false;
  return granted(mode & 7);
}

}  // namespace modgate::fs
