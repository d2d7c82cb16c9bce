#include "scanner/eval/cache_checks.h"

#include <algorithm>

#include "scanner/eval/check_helpers.h"
#include "scanner/selinux/go_access.h"
#include "scanner/selinux/query.h"

namespace modgate::eval {

using detail::baseResult;
using detail::missingText;

std::vector<const gotool::SubjectFacts*> subjectsNamed(const std::vector<std::string>& ids,
                                                       const std::vector<gotool::SubjectFacts>& subjects) {
  std::vector<const gotool::SubjectFacts*> out;
  for (const auto& facts : subjects) {
    if (std::find(ids.begin(), ids.end(), facts.rule_subject) != ids.end()) out.push_back(&facts);
  }
  return out;
}

Result cachePermissions(const ruleset::Rule& rule, const ruleset::Cache& cache, const Expected<CacheAudit>& audit) {
  Result result = baseResult(rule, "", cache.path);
  result.cache = cache.id;
  result.expected = "every entry as [[cache]] " + cache.id + " says";
  if (!audit) {
    result.status = Status::kError;
    result.message = audit.error().message;
    return result;
  }
  result.object = audit->path;
  if (!audit->exists) {
    result.status = Status::kFail;
    result.actual = "missing";
    result.message = audit->path + " does not exist; go would create it without the group, setgid and ACLs";
    return result;
  }
  for (const auto& [what, finding] : audit->permissions) result.evidence.push_back(finding.describe(what));
  if (audit->mount) {
    std::string options;
    for (const char* option : {"ro", "nosuid", "noexec", "nodev", "noacl"}) {
      if (audit->mount->has(option)) options += std::string(options.empty() ? "" : ",") + option;
    }
    result.evidence.push_back("mount: " + audit->mount->fs_type + " at " + audit->mount->mount_point +
                              (options.empty() ? "" : " (" + options + ")") +
                              (audit->mount->posixAcls() ? "; POSIX ACLs supported" : "; no POSIX ACLs"));
  }
  for (const auto& problem : audit->go_problems) result.evidence.push_back(problem);
  std::size_t unread = audit->stats.unreadable + audit->stats.vanished;
  if (unread) result.evidence.push_back(std::to_string(unread) + " entries could not be read and were not checked");
  for (const auto& problem : audit->stats.problems) {
    result.evidence.push_back("unread: " + problem.path + ": " + problem.what);
  }
  std::size_t violations = audit->permissions.size() + audit->go_problems.size();
  result.actual = std::to_string(audit->stats.entries) + " entries checked";
  if (violations) {
    result.status = Status::kFail;
    result.message =
        result.evidence.front() + (violations > 1 ? " (+" + std::to_string(violations - 1) + " more)" : "");
  } else if (unread) {
    result.status = Status::kNotChecked;
    result.message = std::to_string(unread) + " entries could not be read; the others are as expected";
  } else {
    result.status = Status::kPass;
    result.message = result.actual + ", all as expected";
  }
  return result;
}

Result cacheAccess(const ruleset::Rule& rule, const ruleset::Cache& cache, const gotool::SubjectFacts& facts,
                   const Expected<CacheAudit>& audit, bool write, const MacFacts& mac, const SelinuxView& selinux) {
  Result result = baseResult(rule, facts.id, cache.path);
  result.cache = cache.id;
  result.expected = write ? "can create, write, rename, lock and remove entries" : "can list and read entries";
  if (!audit) {
    result.status = Status::kError;
    result.message = audit.error().message;
    return result;
  }
  result.object = audit->path;
  const auto& table = write ? audit->writers : audit->readers;
  auto access = table.find(facts.id);
  if (access == table.end() || !access->second.identity_known) {
    result.status = Status::kError;
    result.message = "the uid and groups of " + facts.id + " are unknown (user '" + facts.user + "')";
    return result;
  }
  std::vector<std::string> dac;
  if (!audit->exists) {
    dac.push_back(audit->path + " does not exist");
  } else {
    if (access->second.denied.count) {
      dac.push_back(access->second.denied.describe(std::string("entries refuse ") + (write ? "write" : "read") +
                                                   " to " + access->second.identity));
    }
    if (access->second.denied_ancestors.count) {
      dac.push_back(access->second.denied_ancestors.describe("directories above the cache refuse search to " +
                                                             access->second.identity));
    }
  }
  std::vector<std::string> mac_denials;
  bool mac_unknown = false;
  std::string mac_reason;
  if (mac.selinux_state != "absent") {
    if (!selinux.policy) {
      mac_unknown = true;
      mac_reason = "the SELinux policy could not be read: " + mac.selinux_problem;
    } else if (facts.selinux_domain.empty()) {
      mac_unknown = true;
      mac_reason = "the SELinux domain of " + facts.id + " is unknown: " + facts.domain_source;
    } else {
      selinux::QueryRequest request;
      request.kind = write ? selinux::QueryRequest::Kind::kWrite : selinux::QueryRequest::Kind::kRead;
      request.domain = facts.selinux_domain;
      request.target = audit->path;
      auto answer = selinux::runQuery(*selinux.policy, *selinux.labeler, request);
      std::vector<selinux::MissingAccess> missing;
      if (!answer) {
        mac_unknown = true;
        mac_reason = answer.error().message;
      } else {
        missing = answer->missing;
        result.selinux_booleans = answer->booleans.assignments;
        std::vector<selinux::TypedPath> dirs, files;
        for (const auto& type : audit->directory_types) {
          if (auto id = selinux.policy->type(type)) dirs.push_back({audit->path + "/**/ (" + type + ")", *id});
        }
        for (const auto& type : audit->file_types) {
          if (auto id = selinux.policy->type(type)) files.push_back({audit->path + "/** (" + type + ")", *id});
        }
        if (auto domain = selinux.policy->type(facts.selinux_domain)) {
          auto tree = selinux::cacheTreeNeeds(*selinux.policy, *domain, dirs, files,
                                              write ? selinux::CacheAccess::kWrite : selinux::CacheAccess::kRead);
          if (!tree) {
            mac_unknown = true;
            mac_reason = tree.error().message;
          } else if (auto verdict = selinux::evaluateNeeds(*selinux.policy, *tree); verdict) {
            missing.insert(missing.end(), verdict->missing.begin(), verdict->missing.end());
          } else {
            mac_unknown = true;
            mac_reason = verdict.error().message;
          }
        }
      }
      for (const auto& item : missing) mac_denials.push_back(missingText(item));
      result.selinux_missing = missing;
      result.selinux_domain = facts.selinux_domain;
      result.evidence.push_back("domain " + facts.selinux_domain + " (" + facts.domain_source + ")");
    }
  }
  for (const auto& line : dac) result.evidence.push_back("DAC: " + line);
  for (const auto& line : mac_denials) result.evidence.push_back("SELinux " + line);
  std::size_t unread = audit->stats.unreadable + audit->stats.vanished;
  if (!dac.empty() || !mac_denials.empty()) {
    result.status = Status::kFail;
    result.actual = !dac.empty() && !mac_denials.empty() ? "DAC and SELinux deny"
                    : !dac.empty()                       ? "DAC denies"
                                                         : "SELinux denies";
    result.mac = dac.empty() ? "selinux" : mac_denials.empty() ? "dac" : "dac+selinux";
    result.message = result.actual + ": " + (!dac.empty() ? dac.front() : mac_denials.front());
  } else if (mac_unknown) {
    result.status = Status::kError;
    result.mac = "selinux";
    result.message = "DAC allows it, but " + mac_reason;
  } else if (unread) {
    result.status = Status::kNotChecked;
    result.message = std::to_string(unread) + " entries could not be read; the others allow it";
  } else {
    result.status = Status::kPass;
    result.actual = "allowed";
    result.mac = mac.selinux_state != "absent" ? "dac+selinux" : "dac";
    result.message = std::string(write ? "may write " : "may read ") + audit->path +
                     (mac.selinux_state != "absent" ? " (DAC and SELinux)" : " (DAC)");
  }
  return result;
}

}  // namespace modgate::eval
