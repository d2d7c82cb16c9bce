#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "scanner/core/error.h"
#include "scanner/selinux/policy.h"

namespace modgate::selinux {

/// Where the policy modgate evaluates comes from.
enum class PolicyOrigin {
  kLive,       ///< the loaded policy, read from selinuxfs under the root
  kInstalled,  ///< the root's installed policy (/etc/selinux/config -> policy.N)
  kFile,       ///< a file named with --policy
};
const char* policyOriginName(PolicyOrigin origin) noexcept;

/// SELinux facts of one root, before the policy is parsed.
struct SelinuxHost final {
  std::string root = "/";
  PolicyOrigin origin = PolicyOrigin::kInstalled;
  std::string policy_path;   ///< host path of the binary policy read
  std::string selinux_type;  ///< SELINUXTYPE, empty when unknown
  /// enforcing | permissive | disabled: the kernel's mode when live, else the
  /// configured SELINUX= value; "unknown" when neither is known.
  std::string mode = "unknown";
  std::map<std::string, bool> live_booleans;  ///< current values from selinuxfs
  std::string file_contexts;                  ///< root path of file_contexts, empty when unknown
  std::string policy_doc;                     ///< host path of policy.xml, empty when not installed
};

/// Parses /etc/selinux/config: KEY=VALUE lines, '#' comments, blank lines; values
/// may be quoted with ' or "; lines without '=' are ignored, as libselinux does.
std::map<std::string, std::string> parseSelinuxConfig(std::string_view text);

/// Parses a selinuxfs boolean file: "ACTIVE PENDING", each 0 or 1, optional newline.
std::optional<bool> parseLiveBoolean(std::string_view text);

/// Finds the policy of root: live when ROOT/sys/fs/selinux holds a policy;
/// otherwise the installed one; or policy_file when given. Reads selinuxfs
/// (enforce, booleans/*) in the kernel's formats. Never changes anything.
Expected<SelinuxHost> locatePolicy(const std::string& root, const std::optional<std::string>& policy_file = {});

/// Parses the located policy and, when live, applies the live boolean values.
Expected<Policy> loadPolicy(const SelinuxHost& host);

}  // namespace modgate::selinux
