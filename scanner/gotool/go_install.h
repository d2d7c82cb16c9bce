#pragma once

#include <optional>
#include <string>
#include <vector>

namespace modgate::gotool {

/// One Go toolchain of the root.
struct GoInstall final {
  std::string path;               ///< how it is reached (e.g. /usr/bin/go)
  std::string resolved;           ///< links resolved inside the root (e.g. /usr/lib/go-1.19/bin/go)
  std::string goroot;             ///< resolved minus /bin/go
  std::string version;            ///< "go1.19.8"; empty when unknown
  std::string version_source;     ///< "GOROOT/VERSION" | "buildinfo" | ""
  std::string selinux_type;       ///< the binary's SELinux type (filled by eval::labelInstalls), if known
  std::string tool_selinux_type;  ///< the type of GOROOT/pkg/tool (compile, link...), if known
};

/// The go a PATH finds under the root (first executable DIR/go), or nullopt.
std::optional<GoInstall> findGoOnPath(const std::string& root, const std::string& path_variable);

/// Every Go install in the usual places (/usr/bin, /usr/local/go, /usr/lib/go-*,
/// /snap/bin, /opt/go, each home's sdk/go*), deduplicated by resolved path.
std::vector<GoInstall> findGoInstalls(const std::string& root, const std::vector<std::string>& homes);

/// Reads a go binary's version from its build information ("\xff Go buildinf:").
std::optional<std::string> readBuildInfoVersion(const std::string& host_path);

/// Compares "go1.19.8" with "1.19"; true when version >= minimum.
bool goVersionAtLeast(const std::string& version, const std::string& minimum);

/// Default PATH of systemd services, of cron jobs, and of login shells (Debian).
inline constexpr const char* kSystemdPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
inline constexpr const char* kCronPath = "/usr/bin:/bin";
inline constexpr const char* kRootLoginPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
inline constexpr const char* kUserLoginPath = "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games";

}  // namespace modgate::gotool
