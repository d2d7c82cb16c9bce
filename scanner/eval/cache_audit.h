#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scanner/fs/mounts.h"
#include "scanner/fs/tree_walker.h"
#include "scanner/gotool/accounts.h"
#include "scanner/gotool/subjects.h"
#include "scanner/ruleset/ruleset.h"

namespace modgate::eval {

/// How many entries break one expectation, with a few as examples: the
/// alphabetically first, so a report does not depend on the order of the walk.
struct Finding final {
  std::size_t count = 0;
  std::vector<std::string> examples;
  void add(std::string_view path);
  void merge(const Finding& other);
  [[nodiscard]] std::string describe(const std::string& what) const;  ///< "12 directories lack setgid (e.g. a, b)"
};

/// Whether one subject can use the cache, by DAC.
struct SubjectAccess final {
  std::string subject;
  std::string identity;  ///< "builder (uid 1001, groups builder godev)"; empty when unknown
  bool identity_known = false;
  Finding denied;            ///< entries whose mode/ACL refuse what the subject needs
  Finding denied_ancestors;  ///< directories above the cache it cannot traverse
};

/// What one walk of a cache found: everything the three cache checks need.
struct CacheAudit final {
  std::string cache_id;
  std::string path;  ///< the top as the root sees it
  bool exists = true;
  fs::WalkStats stats;
  std::optional<fs::MountInfo> mount;
  std::map<std::string, Finding> permissions;    ///< expectation -> entries that break it
  std::vector<std::string> go_problems;          ///< Go-specific problems (-modcacherw, NFS...)
  std::map<std::string, SubjectAccess> writers;  ///< by subject id
  std::map<std::string, SubjectAccess> readers;
  std::set<std::string> directory_types;  ///< SELinux types on directories (labelled entries)
  std::set<std::string> file_types;
  std::size_t unlabeled = 0;  ///< entries without a security.selinux label
};

/// A change applied to each entry before it is judged: the what-if of a plan.
struct EntryChange final {
  std::optional<gid_t> group;
  mode_t directory_bits = 0;                                ///< added to directories
  mode_t file_bits = 0;                                     ///< added to regular files (where the plan touches them)
  std::function<bool(std::string_view path)> touches_file;  ///< which files get file_bits
  std::vector<fs::AclEntry> access_entries;                 ///< merged into access ACLs ('X': only dirs get x)
  std::vector<fs::AclEntry> default_entries;                ///< merged into directories' default ACLs
};

struct CacheAuditInputs final {
  std::string root = "/";
  const ruleset::Cache* cache = nullptr;
  const gotool::Accounts* accounts = nullptr;
  std::vector<const gotool::SubjectFacts*> writers;
  std::vector<const gotool::SubjectFacts*> readers;
  bool read_labels = false;
  const EntryChange* change = nullptr;  ///< judge entries as the plan would leave them
};

/// Walks the cache once and judges every entry (docs/RULES.md, "Caches").
Expected<CacheAudit> auditCache(const CacheAuditInputs& inputs);

/// Whether a subject runs go with -modcacherw.
bool usesModcacherw(const gotool::SubjectFacts& facts);

}  // namespace modgate::eval
