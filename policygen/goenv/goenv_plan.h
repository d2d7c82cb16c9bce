#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scanner/gotool/accounts.h"
#include "scanner/gotool/subjects.h"
#include "scanner/ruleset/ruleset.h"

namespace modgate::policygen {

/// One file a Go environment fix writes: a systemd drop-in, or a user's go/env.
struct GoEnvChange final {
  std::string subject;
  std::string kind;     ///< "systemd-dropin" | "goenv-file"
  std::string target;   ///< path of the root
  std::optional<std::string> original;  ///< its content when modgate read it; nullopt: absent
  uid_t original_uid = 0;
  gid_t original_gid = 0;
  mode_t original_mode = 0644;
  std::string content;  ///< what it becomes
  uid_t uid = 0;        ///< owner of the new file
  gid_t gid = 0;
  mode_t mode = 0644;
  std::string reason;
  std::string goflags;  ///< the GOFLAGS value the subject then runs with
};

/// A fix that cannot be written as a file (the setting lives in a crontab or the rule set).
struct GoEnvManual final {
  std::string subject;
  std::string advice;
};

struct GoEnvPlan final {
  std::vector<GoEnvChange> changes;
  std::vector<GoEnvManual> manual;
};

/// Every writer of a shared module cache (more than one writer) that runs go
/// without -modcacherw gets it: a drop-in for systemd units (their environment
/// beats go/env), the user's go/env file otherwise (GOENV), unless GOFLAGS comes
/// from a place modgate does not rewrite (a crontab line, the rule's env).
GoEnvPlan planGoEnv(const std::string& root, const ruleset::RuleSet& rules,
                    const std::vector<gotool::SubjectFacts>& subjects, const gotool::Accounts& accounts);

/// go/env content with KEY set to value (added, or its line replaced).
std::string setGoEnvLine(const std::string& content, const std::string& key, const std::string& value);

}  // namespace modgate::policygen
