#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/core/remedy.h"
#include "scanner/gotool/go_install.h"
#include "scanner/gotool/subjects.h"
#include "scanner/ruleset/ruleset.h"
#include "scanner/selinux/booleans.h"

namespace modgate::eval {

enum class Status { kPass, kFail, kError, kNotApplicable, kNotChecked, kWaived };
const char* statusName(Status status) noexcept;

/// The answer of one rule for one subject and object. Never a silent pass: what
/// could not be evaluated is kError or kNotChecked with the reason in message.
struct Result final {
  std::string rule;
  std::string check;
  ruleset::Severity severity = ruleset::Severity::kMedium;
  Status status = Status::kPass;
  std::string subject;  ///< subject id ("" for host-wide checks)
  std::string object;   ///< tcp://HOST:PORT, an absolute path, or env:GOVAR
  std::string cache;  ///< the [[cache]] id, for the cache checks
  std::string mac;      ///< "selinux", "apparmor" or "" when no MAC is involved
  std::string expected;
  std::string actual;
  std::string message;
  std::vector<std::string> evidence;
  /// Boolean assignments that would turn this fail into a pass (from the policy's
  /// conditional rules); policygen turns them into remedies.
  std::vector<selinux::BooleanAssignment> selinux_booleans;
  /// What SELinux refuses, as access vectors (for the SELinux repair planner).
  std::vector<selinux::MissingAccess> selinux_missing;
  std::string selinux_domain;  ///< the subject's domain, when SELinux was asked
  unsigned port = 0;           ///< the TCP port, for proxy-reachable
  std::string port_type;       ///< its current type
  std::vector<Remedy> remedies;
  std::string fingerprint;                ///< stable hash of rule, subject and object
  std::string baseline;                   ///< "new" | "unchanged" when a baseline was given, else ""
  std::optional<ruleset::Waiver> waiver;  ///< the waiver that applied
};

struct Summary final {
  std::size_t pass = 0, fail = 0, error = 0, notapplicable = 0, notchecked = 0, waived = 0;
  bool compliant = false;  ///< no fail, error or notchecked, and something passed
};

/// A failing result of the baseline that no longer fails.
struct BaselineAbsent final {
  std::string rule;
  std::string subject;
  std::string object;
  std::string fingerprint;
};

/// Facts about the host's MAC systems.
struct MacFacts final {
  std::string selinux_state = "absent";  ///< enforcing | permissive | disabled | absent
  std::string selinux_source;            ///< live | installed | file
  std::string selinux_policy;            ///< path of the policy read
  std::string selinux_type;
  std::string selinux_problem;            ///< why the policy could not be read, if it could not
  std::string apparmor_state = "absent";  ///< enabled | disabled | installed | absent
  std::string apparmor_source;            ///< live | offline
};

/// A whole scan, as every report writer sees it.
struct ScanReport final {
  std::string hostname;
  std::string root = "/";
  std::string scanned_at;  ///< UTC, ISO 8601
  std::string finished_at;
  double seconds = 0;
  MacFacts mac;
  std::vector<std::string> rule_files;
  std::vector<std::string> rule_set_names;
  std::vector<ruleset::Rule> rules;  ///< the rules evaluated (for titles, help, locations)
  std::vector<gotool::SubjectFacts> subjects;
  std::vector<gotool::GoInstall> go_installs;
  std::vector<Result> results;
  Summary summary;
  std::string baseline_path;
  std::vector<BaselineAbsent> baseline_absent;
};

/// Counts statuses and decides compliance.
Summary summarize(const std::vector<Result>& results);

/// FNV-1a 64 of rule, subject and object, as 16 hex digits.
std::string fingerprintOf(const std::string& rule, const std::string& subject, const std::string& object);

/// Exit status of a scan (docs/modgate.1.md): 1 when a result fails at or above
/// fail_on, else 3 when a result is error/notchecked or nothing applied, else 0.
int scanExitStatus(const std::vector<Result>& results, ruleset::Severity fail_on);

}  // namespace modgate::eval
