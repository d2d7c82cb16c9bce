#include "scanner/eval/cache_audit.h"

#include <sys/stat.h>
#include <sys/xattr.h>

#include <algorithm>

#include "scanner/fs/posix_acl.h"
#include "scanner/fs/root_path.h"

namespace modgate::eval {
namespace {

constexpr std::size_t kExamples = 5;

struct Who final {
  const gotool::SubjectFacts* facts = nullptr;
  fs::Identity identity;
  bool known = false;
  std::string text;
};

Who identify(const gotool::SubjectFacts& facts, const gotool::Accounts& accounts) {
  Who who;
  who.facts = &facts;
  const gotool::Account* account = accounts.byName(facts.user);
  if (!account) return who;
  who.known = true;
  who.identity.uid = account->uid;
  who.identity.gids = account->gids;
  who.text = account->name + " (uid " + std::to_string(account->uid) + "; groups";
  for (const auto& group : account->groups) who.text += " " + group;
  who.text += ")";
  return who;
}

/// Which regular files a kind of cache needs writable (the rest are only read).
bool fileMustBeWritable(const std::string& kind, std::string_view top, std::string_view path) {
  std::string_view relative = path.size() > top.size() ? path.substr(top.size() + 1) : std::string_view();
  if (kind == "gomodcache") return relative.rfind("cache/", 0) == 0;  // downloads, lock files
  if (kind == "gocache") return relative == "trim.txt";               // entries are written once
  return true;
}

std::string bitsText(unsigned bits) {
  return fs::permsText(bits);
}

/// Resolves a text ACL entry's qualifier to an id; nullopt when the name is unknown.
std::optional<fs::AclEntry> resolveSpec(const fs::AclSpec& spec, const gotool::Accounts& accounts) {
  fs::AclEntry entry{spec.tag, 0xffffffffu, spec.perms};
  if (spec.tag == fs::AclTag::kUser) {
    auto id = accounts.userId(spec.qualifier);
    if (!id) return std::nullopt;
    entry.id = *id;
  } else if (spec.tag == fs::AclTag::kGroup) {
    auto id = accounts.groupId(spec.qualifier);
    if (!id) return std::nullopt;
    entry.id = *id;
  }
  return entry;
}

void mergeEntries(fs::Acl& acl, const std::vector<fs::AclEntry>& entries, bool directory) {
  for (auto entry : entries) {
    if (!directory) entry.perms &= ~1u;  // 'X': execute only for directories
    auto it = std::find_if(acl.entries.begin(), acl.entries.end(), [&](const fs::AclEntry& e) {
      return e.tag == entry.tag &&
             (e.id == entry.id || (entry.tag != fs::AclTag::kUser && entry.tag != fs::AclTag::kGroup));
    });
    if (it != acl.entries.end())
      it->perms |= entry.perms;
    else
      acl.entries.push_back(entry);
  }
}

/// An ACL with the entries the mode implies (setfacl's base entries), when a plan
/// adds named entries to an entry that had none.
fs::Acl baseAcl(mode_t mode) {
  fs::Acl acl;
  acl.entries.push_back({fs::AclTag::kUserObj, 0xffffffffu, static_cast<unsigned>((mode >> 6) & 7)});
  acl.entries.push_back({fs::AclTag::kGroupObj, 0xffffffffu, static_cast<unsigned>((mode >> 3) & 7)});
  acl.entries.push_back({fs::AclTag::kOther, 0xffffffffu, static_cast<unsigned>(mode & 7)});
  return acl;
}

/// Recomputes the mask as setfacl does (the union of the group class).
void recalculateMask(fs::Acl& acl) {
  unsigned mask = 0;
  bool named = false;
  for (const auto& entry : acl.entries) {
    if (entry.tag == fs::AclTag::kGroupObj || entry.tag == fs::AclTag::kUser || entry.tag == fs::AclTag::kGroup) {
      mask |= entry.perms;
    }
    named = named || entry.tag == fs::AclTag::kUser || entry.tag == fs::AclTag::kGroup;
  }
  auto it = std::find_if(acl.entries.begin(), acl.entries.end(),
                         [](const fs::AclEntry& e) { return e.tag == fs::AclTag::kMask; });
  if (it != acl.entries.end())
    it->perms = mask;
  else if (named)
    acl.entries.push_back({fs::AclTag::kMask, 0xffffffffu, mask});
}

}  // namespace

void Finding::add(std::string_view path) {
  ++count;
  if (examples.size() == kExamples && std::string_view(examples.back()) <= path) return;
  examples.insert(std::upper_bound(examples.begin(), examples.end(), path,
                                   [](std::string_view a, const std::string& b) { return a < std::string_view(b); }),
                  std::string(path));
  if (examples.size() > kExamples) examples.pop_back();
}

void Finding::merge(const Finding& other) {
  std::size_t total = count + other.count;
  for (const auto& example : other.examples) add(example);
  count = total;
}

std::string Finding::describe(const std::string& what) const {
  std::string out = std::to_string(count) + " " + what;
  if (!examples.empty()) {
    out += " (e.g. ";
    for (std::size_t i = 0; i < examples.size(); ++i) out += (i ? ", " : "") + examples[i];
    out += count > examples.size() ? ", ...)" : ")";
  }
  return out;
}

bool usesModcacherw(const gotool::SubjectFacts& facts) {
  auto it = facts.goenv.find("GOFLAGS");
  if (it == facts.goenv.end()) return false;
  for (const auto& flag : gotool::parseGoflagsWords(it->second.value)) {
    if (flag == "-modcacherw" || flag == "--modcacherw" || flag == "-modcacherw=true" || flag == "--modcacherw=true") {
      return true;
    }
  }
  return false;
}

Expected<CacheAudit> auditCache(const CacheAuditInputs& in) {
  const ruleset::Cache& cache = *in.cache;
  const gotool::Accounts& accounts = *in.accounts;
  CacheAudit audit;
  audit.cache_id = cache.id;

  std::vector<Who> writers, readers;
  for (const auto* facts : in.writers) writers.push_back(identify(*facts, accounts));
  for (const auto* facts : in.readers) readers.push_back(identify(*facts, accounts));
  for (const auto& who : writers) {
    audit.writers[who.facts->id] = SubjectAccess{who.facts->id, who.text, who.known, {}, {}};
  }
  for (const auto& who : readers) {
    audit.readers[who.facts->id] = SubjectAccess{who.facts->id, who.text, who.known, {}, {}};
  }

  std::optional<uid_t> owner;
  std::optional<gid_t> group;
  if (!cache.owner.empty()) {
    owner = accounts.userId(cache.owner);
    if (!owner) audit.go_problems.push_back("owner '" + cache.owner + "' is not in the root's /etc/passwd");
  }
  if (!cache.group.empty()) {
    group = accounts.groupId(cache.group);
    if (!group) audit.go_problems.push_back("group '" + cache.group + "' is not in the root's /etc/group");
  }
  bool shared = in.writers.size() > 1;
  mode_t required = cache.mode ? static_cast<mode_t>(*cache.mode & 07777) : 0;
  if (!cache.mode && shared && cache.kind == "gocache") required = 02770;  // a shared build cache needs both
  std::vector<std::pair<fs::AclSpec, fs::AclEntry>> defaults;
  for (const auto& text : cache.default_acl) {
    auto spec = fs::parseAclSpec(text);
    if (!spec) {
      audit.go_problems.push_back(spec.error().message);
      continue;
    }
    spec->is_default = true;
    auto entry = resolveSpec(*spec, accounts);
    if (!entry) {
      audit.go_problems.push_back("default ACL entry '" + text + "' names an unknown user or group");
      continue;
    }
    defaults.emplace_back(*spec, *entry);
  }

  fs::WalkOptions options;
  options.recursive = cache.recursive;
  options.labels = in.read_labels;
  options.threads = 0;  // one worker per core
  std::string owner_text = cache.owner, group_text = cache.group;
  /// What one worker found; merged after the walk.
  struct Partial final {
    std::map<std::string, Finding> permissions;
    std::map<std::string, Finding> writers;
    std::map<std::string, Finding> readers;
    std::set<std::string> directory_types, file_types;
    std::size_t unlabeled = 0;
  };
  std::vector<Partial> parts(fs::walkerThreads(options));
  fs::TreeVisitor visit = [&](const fs::TreeEntry& original, unsigned worker) {
    Partial& part = parts[worker];
    if (S_ISLNK(original.mode)) return;  // never followed, never judged
    mode_t mode = original.mode;
    gid_t gid = original.gid;
    std::optional<fs::Acl> access = original.access ? std::optional<fs::Acl>(*original.access) : std::nullopt;
    std::optional<fs::Acl> default_acl =
        original.default_acl ? std::optional<fs::Acl>(*original.default_acl) : std::nullopt;
    bool directory = S_ISDIR(mode);
    bool regular = S_ISREG(mode);
    if (in.change) {
      const EntryChange& change = *in.change;
      if (change.group) gid = *change.group;
      if (directory) mode |= change.directory_bits;
      if (regular && change.touches_file && change.touches_file(original.path)) mode |= change.file_bits;
      bool touched_file = regular && change.touches_file && change.touches_file(original.path);
      if (!change.access_entries.empty() && (directory || touched_file)) {
        if (!access) access = baseAcl(mode);
        mergeEntries(*access, change.access_entries, directory);
        recalculateMask(*access);
      }
      if (directory && !change.default_entries.empty()) {
        if (!default_acl) default_acl = baseAcl(mode);
        mergeEntries(*default_acl, change.default_entries, true);
        recalculateMask(*default_acl);
      }
      if (access && access->mask()) mode = (mode & ~static_cast<mode_t>(0070)) | (*access->mask() << 3);
    }
    const fs::Acl* acl = access ? &*access : nullptr;
    std::string_view path = original.path;

    if (original.depth == 0 && owner && original.uid != *owner)
      part.permissions["the top is not owned by " + owner_text].add(path);
    if (group && gid != *group && (directory || regular))
      part.permissions["entries not in group " + group_text].add(path);
    if (directory || regular) {
      mode_t want =
          directory ? required : (fileMustBeWritable(cache.kind, audit.path, path) ? required & 0666 : required & 0444);
      const char* kind = directory ? "directories" : "files";
      if (directory && (required & 02000) && !(mode & 02000)) part.permissions["directories without setgid"].add(path);
      unsigned user_bits = (mode >> 6) & 7, other_bits = mode & 7;
      unsigned group_bits = (mode >> 3) & 7;
      if (acl && !acl->empty()) {
        const fs::AclEntry* group_obj = acl->find(fs::AclTag::kGroupObj);
        group_bits = (group_obj ? group_obj->perms : 0) & acl->mask().value_or(7);
      }
      unsigned want_user = (want >> 6) & 7, want_group = (want >> 3) & 7, want_other = want & 7;
      if ((user_bits & want_user) != want_user) {
        part.permissions[std::string(kind) + " whose owner lacks " + bitsText(want_user)].add(path);
      }
      if ((group_bits & want_group) != want_group) {
        part.permissions[std::string(kind) + " whose group class lacks " + bitsText(want_group) +
                         " (mode, or the ACL mask)"]
            .add(path);
      }
      if ((other_bits & want_other) != want_other) {
        part.permissions[std::string(kind) + " whose other class lacks " + bitsText(want_other)].add(path);
      }
      if (directory && cache.kind == "gomodcache" && !(mode & 0200)) {
        part.permissions["read-only directories (Go's 0555 module directories)"].add(path);
      }
      if (directory && !defaults.empty()) {
        if (!default_acl) {
          part.permissions["directories without a default ACL"].add(path);
        } else {
          for (const auto& [spec, entry] : defaults) {
            const fs::AclEntry* have = default_acl->find(entry.tag, entry.id);
            if (!have || (have->perms & entry.perms) != entry.perms) {
              part.permissions["directories whose default ACL lacks " + spec.text()].add(path);
            }
          }
        }
      }
    }
    if (in.read_labels) {
      if (original.selinux.empty()) {
        ++part.unlabeled;
      } else {
        std::string context(original.selinux);
        std::size_t a = context.find(':'), b = a == std::string::npos ? a : context.find(':', a + 1);
        std::size_t c = b == std::string::npos ? b : context.find(':', b + 1);
        std::string type = b == std::string::npos ? "" : context.substr(b + 1, c == std::string::npos ? c : c - b - 1);
        (directory ? part.directory_types : part.file_types).insert(type);
        if (!cache.selinux_type.empty() && type != cache.selinux_type) {
          part.permissions["entries not labelled " + cache.selinux_type].add(path);
        }
      }
    }
    if (!directory && !regular) return;
    for (const auto& who : writers) {
      if (!who.known) continue;
      unsigned want = directory ? 7u : (fileMustBeWritable(cache.kind, audit.path, path) ? 6u : 4u);
      if (!fs::permits(mode, original.uid, gid, acl, who.identity, want, directory)) {
        part.writers[who.facts->id].add(path);
      }
    }
    for (const auto& who : readers) {
      if (!who.known) continue;
      unsigned want = directory ? 5u : 4u;
      if (!fs::permits(mode, original.uid, gid, acl, who.identity, want, directory)) {
        part.readers[who.facts->id].add(path);
      }
    }
  };
  auto resolved = fs::resolveInRoot(in.root, cache.path);
  if (!resolved) return tl::unexpected(resolved.error());
  audit.path = resolved->logical;
  auto stats = fs::walkTree(in.root, cache.path, options, visit);
  if (!stats) return tl::unexpected(stats.error());
  audit.stats = std::move(*stats);
  audit.exists = audit.stats.top_exists;
  for (const auto& part : parts) {
    for (const auto& [what, finding] : part.permissions) audit.permissions[what].merge(finding);
    for (const auto& [id, finding] : part.writers) audit.writers[id].denied.merge(finding);
    for (const auto& [id, finding] : part.readers) audit.readers[id].denied.merge(finding);
    audit.directory_types.insert(part.directory_types.begin(), part.directory_types.end());
    audit.file_types.insert(part.file_types.begin(), part.file_types.end());
    audit.unlabeled += part.unlabeled;
  }

  // Every subject must traverse the directories above the cache.
  for (std::size_t at = audit.path.find('/', 1); at != std::string::npos; at = audit.path.find('/', at + 1)) {
    std::string ancestor = audit.path.substr(0, at);
    auto host = fs::resolveInRoot(in.root, ancestor);
    if (!host || !host->exists) continue;
    struct stat info {};
    if (::stat(host->host.c_str(), &info) != 0) continue;
    std::optional<fs::Acl> acl;
    char value[4096];
    ssize_t size = ::getxattr(host->host.c_str(), "system.posix_acl_access", value, sizeof value);
    if (size > 0) acl = fs::decodeAcl(std::string_view(value, static_cast<std::size_t>(size)));
    auto check = [&](std::vector<Who>& group_of, std::map<std::string, SubjectAccess>& out) {
      for (const auto& who : group_of) {
        if (who.known &&
            !fs::permits(info.st_mode, info.st_uid, info.st_gid, acl ? &*acl : nullptr, who.identity, 1, true)) {
          out[who.facts->id].denied_ancestors.add(ancestor);
        }
      }
    };
    check(writers, audit.writers);
    check(readers, audit.readers);
  }

  if (auto text = fs::readHostFile("/proc/self/mountinfo", 16u << 20)) {
    audit.mount = fs::mountOf(fs::parseMountInfo(*text), resolved->host);
  }
  if (audit.mount && audit.mount->network()) {
    audit.go_problems.push_back("the cache is on " + audit.mount->fs_type + " (" + audit.mount->mount_point +
                                "): Go's file locking is unreliable on network filesystems");
  }
  if (audit.mount && !defaults.empty() && !audit.mount->posixAcls()) {
    audit.go_problems.push_back(audit.mount->fs_type + " at " + audit.mount->mount_point +
                                " does not store POSIX ACLs; default_acl cannot hold");
  }
  if (cache.kind == "gomodcache" && shared) {
    for (const auto* facts : in.writers) {
      if (usesModcacherw(*facts)) continue;
      audit.go_problems.push_back(facts->id +
                                  " runs go without GOFLAGS=-modcacherw: the module directories it "
                                  "extracts are made read-only (0555), which no default ACL or umask "
                                  "undoes, so the other writers cannot add to or clean them");
    }
  }
  return audit;
}

}  // namespace modgate::eval
