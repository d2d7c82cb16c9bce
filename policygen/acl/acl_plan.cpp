#include "policygen/acl/acl_plan.h"

#include <algorithm>
#include <set>

#include "scanner/fs/posix_acl.h"
#include "scanner/fs/root_path.h"

namespace modgate::policygen {
namespace {

bool failsForPermissions(const eval::Result& result) {
  if (result.status != eval::Status::kFail) return false;
  if (result.check == "cache-permissions") return true;
  return (result.check == "cache-writable" || result.check == "cache-readable") &&
         (result.mac == "dac" || result.mac == "dac+selinux");
}

std::string entryText(fs::AclTag tag, std::uint32_t id, unsigned perms, bool capital_x) {
  std::string who = tag == fs::AclTag::kUserObj    ? "user::"
                    : tag == fs::AclTag::kUser     ? "user:" + std::to_string(id) + ":"
                    : tag == fs::AclTag::kGroupObj ? "group::"
                    : tag == fs::AclTag::kGroup    ? "group:" + std::to_string(id) + ":"
                    : tag == fs::AclTag::kMask     ? "mask::"
                                                   : "other::";
  std::string text = fs::permsText(perms);
  if (capital_x && (perms & 1)) text[2] = 'X';
  return who + text;
}

}  // namespace

std::string symbolicMode(mode_t bits) {
  std::string out;
  auto part = [&](char who, unsigned rwx, bool special) {
    std::string perms;
    if (rwx & 4) perms += 'r';
    if (rwx & 2) perms += 'w';
    if (rwx & 1) perms += 'x';
    if (special) perms += who == 'o' ? 't' : 's';
    if (perms.empty()) return;
    if (!out.empty()) out += ',';
    out += std::string(1, who) + "+" + perms;
  };
  part('u', (bits >> 6) & 7, bits & 04000);
  part('g', (bits >> 3) & 7, bits & 02000);
  part('o', bits & 7, bits & 01000);
  return out;
}

std::vector<AclPlan> planAclRepairs(const std::string& root, const ruleset::RuleSet& rules,
                                    const std::vector<eval::Result>& results, const gotool::Accounts& accounts) {
  std::vector<AclPlan> plans;
  for (const auto& cache : rules.caches) {
    std::vector<std::string> reasons;
    for (const auto& result : results) {
      if (!failsForPermissions(result) || result.cache != cache.id) continue;
      reasons.push_back(result.rule + " " + (result.subject.empty() ? "" : result.subject + " ") + result.object);
    }
    if (reasons.empty()) continue;
    AclPlan plan;
    plan.cache_id = cache.id;
    auto resolved = fs::resolveInRoot(root, cache.path);
    plan.path = resolved ? resolved->logical : cache.path;
    plan.kind = cache.kind;
    plan.reasons = reasons;
    if (!cache.group.empty()) {
      plan.gid = accounts.groupId(cache.group);
      plan.group_name = cache.group;
    }
    mode_t required = cache.mode ? static_cast<mode_t>(*cache.mode & 07777) : 0;
    if (!cache.mode && plan.gid) required = 02770;  // a shared group cache: group rwx and setgid
    plan.directory_bits = required;
    if (plan.kind == "gomodcache") {
      plan.file_bits = required & 0666;
      plan.file_scope = "/cache";  // downloads and locks; extracted sources stay read-only
    } else if (plan.kind == "gocache") {
      plan.file_bits = required & 0444;
    } else {
      plan.file_bits = required & 0666;
    }
    // The owning group's ACL entry too: chmod changes only the mask of an entry with an ACL.
    unsigned group_bits = (required >> 3) & 7;
    std::set<std::string> access, defaults;
    std::vector<fs::AclEntry> access_entries, default_entries;
    if (group_bits) {
      access.insert(entryText(fs::AclTag::kGroupObj, 0, group_bits, true));
      access_entries.push_back({fs::AclTag::kGroupObj, 0xffffffffu, group_bits});
    }
    for (const auto& text : cache.default_acl) {
      auto spec = fs::parseAclSpec(text);
      if (!spec) continue;
      fs::AclEntry entry{spec->tag, 0xffffffffu, spec->perms};
      if (spec->tag == fs::AclTag::kUser) entry.id = accounts.userId(spec->qualifier).value_or(0xffffffffu);
      if (spec->tag == fs::AclTag::kGroup) entry.id = accounts.groupId(spec->qualifier).value_or(0xffffffffu);
      if ((spec->tag == fs::AclTag::kUser || spec->tag == fs::AclTag::kGroup) && entry.id == 0xffffffffu) continue;
      defaults.insert(entryText(entry.tag, entry.id, entry.perms, false));
      default_entries.push_back(entry);
      if (entry.tag == fs::AclTag::kUser || entry.tag == fs::AclTag::kGroup) {
        access.insert(entryText(entry.tag, entry.id, entry.perms, true));
        access_entries.push_back(entry);
      }
    }
    // Writers the group does not cover get a named entry of their own.
    for (const auto& writer : cache.writers) {
      const ruleset::Subject* subject = rules.subject(writer);
      if (!subject || subject->user.empty()) continue;
      const gotool::Account* account = accounts.byName(subject->user);
      if (!account || (plan.gid && std::find(account->gids.begin(), account->gids.end(), *plan.gid) != account->gids.end())) {
        continue;
      }
      access.insert(entryText(fs::AclTag::kUser, account->uid, 7, true));
      defaults.insert(entryText(fs::AclTag::kUser, account->uid, 7, false));
      access_entries.push_back({fs::AclTag::kUser, account->uid, 7});
      default_entries.push_back({fs::AclTag::kUser, account->uid, 7});
    }
    plan.access_entries.assign(access.begin(), access.end());
    plan.default_entries.assign(defaults.begin(), defaults.end());
    plan.change.group = plan.gid;
    plan.change.directory_bits = plan.directory_bits;
    plan.change.file_bits = plan.file_bits;
    std::string scope = plan.path + plan.file_scope + "/";
    plan.change.touches_file = [scope](std::string_view path) { return path.rfind(scope, 0) == 0; };
    plan.change.access_entries = access_entries;
    plan.change.default_entries = default_entries;
    plans.push_back(std::move(plan));
  }
  return plans;
}

}  // namespace modgate::policygen
