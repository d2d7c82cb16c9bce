#pragma once

// systemd service units of a root, with their drop-ins, as far as Go tooling
// cares. Grammar read: "[Section]" headers; "Key=Value" lines; '#' and ';'
// comments; a trailing '\' continues a line; an empty assignment resets list
// settings (ExecStart=, Environment=). Environment= holds space-separated
// KEY=VALUE words with "..." or '...' quoting. EnvironmentFile= ("-" prefix:
// optional) holds KEY=VALUE lines.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/core/error.h"

namespace modgate::gotool {

struct Unit final {
  std::string name;                     ///< "gitlab-runner.service"
  std::string path;                     ///< the unit file, as the root sees it
  std::vector<std::string> dropins;     ///< drop-in files applied, in order
  std::vector<std::string> exec_start;  ///< argv of the first ExecStart (prefixes removed)
  std::string user;                     ///< User= (empty: root)
  std::string group;
  std::map<std::string, std::string> environment;  ///< Environment= and EnvironmentFile=
  std::string umask;
  std::string selinux_context;   ///< SELinuxContext= ('-' prefix removed)
  std::string apparmor_profile;  ///< AppArmorProfile=
  std::string working_directory;
  std::vector<std::string> problems;  ///< e.g. an EnvironmentFile= that cannot be read
};

/// Directories systemd reads system units from, most important first.
const std::vector<std::string>& unitSearchPath();

/// Reads one unit by name; nullopt when no such unit (or it is masked).
Expected<std::optional<Unit>> readUnit(const std::string& root, const std::string& name);

/// Reads every *.service unit under the root.
Expected<std::vector<Unit>> readAllServiceUnits(const std::string& root);

/// What Go tooling a command line runs: "go", "gitlab-runner", "github-actions-runner",
/// "jenkins-agent", "act_runner", "athens", "goproxy"; nullopt for anything else.
std::optional<std::string> goToolingKind(const std::vector<std::string>& argv);

/// Splits a command line into words with shell-like quoting (no expansion).
std::vector<std::string> splitCommandLine(const std::string& text);

/// Parses KEY=VALUE lines (EnvironmentFile=, /etc/environment); '#' comments; quotes removed.
std::map<std::string, std::string> parseEnvironmentFile(const std::string& text);

}  // namespace modgate::gotool
