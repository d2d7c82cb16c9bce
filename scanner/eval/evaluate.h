#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scanner/eval/results.h"
#include "scanner/gotool/accounts.h"
#include "scanner/gotool/subjects.h"
#include "scanner/ruleset/ruleset.h"
#include "scanner/selinux/file_labels.h"
#include "scanner/selinux/policy.h"
#include "scanner/selinux/policy_source.h"

namespace modgate::eval {

/// What the SELinux engine knows of the host, when a policy could be read.
struct SelinuxView final {
  selinux::SelinuxHost* host = nullptr;
  selinux::Policy* policy = nullptr;
  const selinux::FileLabeler* labeler = nullptr;
};

/// The host as the file checks see it.
struct HostView final {
  std::string root = "/";
  const gotool::Accounts* accounts = nullptr;
};

/// Decides each subject's SELinux domain: declared, SELinuxContext=, the exec
/// transition from init_t for systemd units, system_cronjob_t for system cron jobs,
/// and seusers + contexts/users for logins and user cron jobs.
void resolveDomains(const SelinuxView& selinux, const gotool::Accounts& accounts,
                    std::vector<gotool::SubjectFacts>& subjects);

/// Labels each Go install and its toolchain directory (what a domain must execute).
void labelInstalls(const SelinuxView& selinux, std::vector<gotool::GoInstall>& installs);

/// Evaluates every rule for every subject and object it names: one result each.
std::vector<Result> evaluateRules(const ruleset::RuleSet& rules, const std::vector<gotool::SubjectFacts>& subjects,
                                  const MacFacts& mac, const SelinuxView& selinux, const HostView& host,
                                  const ruleset::Date& today);

/// Applies waivers: a failing result matching a waiver that has not expired
/// becomes waived.
void applyWaivers(const ruleset::RuleSet& rules, const ruleset::Date& today, std::vector<Result>& results);

/// Marks each fail new or unchanged against a previous JSON report and lists the
/// baseline's failures that no longer fail. Errors name the file.
Expected<std::vector<BaselineAbsent>> compareBaseline(const std::string& path, std::vector<Result>& results);

}  // namespace modgate::eval
