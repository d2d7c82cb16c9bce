#pragma once

// The mount a path of this machine lives on, from /proc/self/mountinfo.
// Grammar (proc(5)): ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS;
// MOUNTPOINT escapes space, tab, newline and backslash as \040 \011 \012 \134.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace modgate::fs {

struct MountInfo final {
  std::string mount_point;
  std::string fs_type;
  std::vector<std::string> options;  ///< per-mount and superblock options
  [[nodiscard]] bool has(std::string_view option) const;
  /// NFS, CIFS/SMB, sshfs, 9p, Ceph, GlusterFS, Lustre: file locking is unreliable for Go.
  [[nodiscard]] bool network() const;
  /// Whether POSIX ACLs can be stored (no "noacl"; a filesystem that supports them).
  [[nodiscard]] bool posixAcls() const;
};

/// Parses mountinfo text.
std::vector<MountInfo> parseMountInfo(std::string_view text);

/// The mount holding host_path (the longest mount point that is a prefix of it).
std::optional<MountInfo> mountOf(const std::vector<MountInfo>& mounts, const std::string& host_path);

}  // namespace modgate::fs
