#pragma once

#include <string>
#include <vector>

#include "scanner/eval/cache_audit.h"
#include "scanner/eval/evaluate.h"
#include "scanner/eval/results.h"

namespace modgate::eval {

/// The subjects discovered under or declared as the given [[subject]] ids.
std::vector<const gotool::SubjectFacts*> subjectsNamed(const std::vector<std::string>& ids,
                                                       const std::vector<gotool::SubjectFacts>& subjects);

/// cache-permissions: one result for the cache, its findings as evidence.
Result cachePermissions(const ruleset::Rule& rule, const ruleset::Cache& cache, const Expected<CacheAudit>& audit);

/// cache-writable (write) or cache-readable: DAC (mode, ACLs, ancestors) and SELinux
/// (the subject's domain against the cache's and its entries' types) together; the
/// result names which denies.
Result cacheAccess(const ruleset::Rule& rule, const ruleset::Cache& cache, const gotool::SubjectFacts& facts,
                   const Expected<CacheAudit>& audit, bool write, const MacFacts& mac, const SelinuxView& selinux);

}  // namespace modgate::eval
