#pragma once

#include <string>

#include "scanner/selinux/policy.h"

namespace modgate::test {

/// Paths of the real data the tests use (Debian's selinux-policy-default).
inline constexpr const char* kHostPolicy = "/etc/selinux/default/policy/policy.33";
inline constexpr const char* kHostSelinuxDir = "/etc/selinux";
inline constexpr const char* kHostPolicyDoc = "/usr/share/selinux/devel/policy.xml";

/// A temporary directory, removed with everything below it when destroyed.
class TempRoot final {
 public:
  TempRoot();
  ~TempRoot();
  TempRoot(const TempRoot&) = delete;
  TempRoot& operator=(const TempRoot&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  /// Writes a file (parents created) at a path of the root.
  void write(const std::string& logical, const std::string& content) const;
  /// Creates a directory (parents created).
  void mkdir(const std::string& logical) const;
  /// Creates a symbolic link at logical pointing to target (verbatim).
  void symlink(const std::string& target, const std::string& logical) const;
  /// Copies a file of this machine to a path of the root.
  void copyIn(const std::string& host_path, const std::string& logical) const;
  /// Copies the installed SELinux configuration, policy and file contexts of this
  /// machine (selinux-policy-default) and its policy.xml (selinux-policy-dev) into
  /// the root, as an image would have them.
  void installSelinuxPolicy() const;
  /// Copies this machine's policy store (/var/lib/selinux/default), for semodule -p.
  void installPolicyStore() const;
  /// Builds a selinuxfs under /sys/fs/selinux with the real policy, enforce and
  /// one file per boolean in the kernel's "ACTIVE PENDING" format.
  void mountFakeSelinuxfs(bool enforcing) const;

 private:
  std::string path_;
};

/// Debian's real policy, loaded once per test program (fails the test if absent).
/// Tests that change booleans load their own copy instead.
selinux::Policy& realPolicy();

/// Reads a whole host file; throws on failure (tests only).
std::string slurp(const std::string& path);

}  // namespace modgate::test
