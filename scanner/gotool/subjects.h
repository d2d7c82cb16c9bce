#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/core/error.h"
#include "scanner/gotool/accounts.h"
#include "scanner/gotool/go_env.h"
#include "scanner/gotool/go_install.h"
#include "scanner/ruleset/ruleset.h"

namespace modgate::gotool {

/// How a subject's processes start, which decides its SELinux domain.
enum class Launcher { kDeclared, kSystemd, kCronSystem, kCronUser, kLogin };
const char* launcherName(Launcher launcher) noexcept;

/// Facts about one subject that runs Go tooling.
struct SubjectFacts final {
  std::string id;            ///< declared id, or systemd:UNIT, cron:FILE:LINE, user:NAME
  std::string rule_subject;  ///< the [[subject]] it came from
  Launcher launcher = Launcher::kDeclared;
  std::string description;  ///< e.g. "gitlab-runner.service: /usr/bin/gitlab-runner run"
  std::string tooling;      ///< go, gitlab-runner, github-actions-runner, ...
  std::string user;         ///< account name ("" when unknown)
  std::string home;
  std::string program;  ///< what the launcher executes (ExecStart's program)
  std::map<std::string, std::string> process_env;
  std::string path;              ///< the PATH go is looked up in
  std::string declared_domain;   ///< selinux_domain, or the type of a declared/unit context
  std::string declared_context;  ///< selinux_context or SELinuxContext=
  std::string apparmor_profile;
  std::string source;  ///< file:line it was found in, if discovered
  std::optional<GoInstall> go;
  GoEnvironment goenv;
  std::vector<std::string> problems;  ///< facts that could not be read
  // The SELinux domain its Go tooling runs in (filled by eval::resolveDomains).
  std::string selinux_domain;  ///< empty when it could not be decided
  std::string domain_source;   ///< how it was decided, or why it could not be
};

/// Declared subjects of the rule set and those its `discover` entries find under
/// the root (systemd units that run Go tooling, cron jobs that run go, login users
/// with Go caches, root). Reading never changes the root.
Expected<std::vector<SubjectFacts>> collectSubjects(const std::string& root, const ruleset::RuleSet& rules,
                                                    const Accounts& accounts);

}  // namespace modgate::gotool
