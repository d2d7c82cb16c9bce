#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scanner/eval/cache_audit.h"
#include "scanner/eval/results.h"
#include "scanner/gotool/accounts.h"
#include "scanner/ruleset/ruleset.h"

namespace modgate::policygen {

/// What apply.sh changes on one cache, as data (rendered by templates/acl/*).
struct AclPlan final {
  std::string cache_id;
  std::string path;           ///< as the root sees it
  std::string kind;
  std::optional<gid_t> gid;   ///< chgrp target (numeric: the root's group database decides)
  std::string group_name;
  mode_t directory_bits = 0;  ///< added to every directory (setgid included)
  mode_t file_bits = 0;       ///< added to the files the kind needs writable
  std::string file_scope;     ///< "" every file; "/cache" only below it (gomodcache)
  std::vector<std::string> access_entries;   ///< setfacl -m, numeric qualifiers, 'X' for files
  std::vector<std::string> default_entries;  ///< setfacl -d -m on directories
  std::vector<std::string> reasons;          ///< the failing results it answers
  eval::EntryChange change;                  ///< the same change, for the what-if
};

/// Plans a repair for every cache whose cache-permissions or cache-writable/-readable
/// results fail because of owners, modes or ACLs. Adds only permissions (never
/// removes), so it cannot lock anyone out.
std::vector<AclPlan> planAclRepairs(const std::string& root, const ruleset::RuleSet& rules,
                                    const std::vector<eval::Result>& results, const gotool::Accounts& accounts);

/// "u+rwx,g+rwxs,o+rx" for bits (only what is set).
std::string symbolicMode(mode_t bits);

}  // namespace modgate::policygen
