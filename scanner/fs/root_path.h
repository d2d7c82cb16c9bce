#pragma once

// Paths of a host or image root, resolved the way the root's own kernel would see
// them: every symbolic link is followed relative to the root, ".." never climbs
// above it, and absolute link targets restart at the root. Grammar of an input
// path: an absolute path ("/a/b"); "." and empty components are ignored.

#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/error.h"

namespace modgate::fs {

/// A path resolved inside a root.
struct RootedPath final {
  std::string logical;  ///< the path as the root sees it, links resolved ("/var/cache/x")
  std::string host;     ///< where it is on this machine (root + logical)
  bool exists = false;  ///< whether the whole path exists
};

/// Resolves path inside root. Components that do not exist are kept literally
/// (exists = false), so a cache that Go has not created yet can still be named.
/// Fails on a relative path, a root that is not a readable directory, or more
/// than 40 links (a loop).
Expected<RootedPath> resolveInRoot(const std::string& root, std::string_view path);

/// Reads a whole small file of the root (a config or selinuxfs entry), following
/// links inside the root. Refuses files larger than max_bytes.
Expected<std::string> readRootFile(const std::string& root, std::string_view path, std::size_t max_bytes = 64u << 20);

/// Names in a directory of the root (links resolved inside it), sorted, "." and ".."
/// excluded; empty when it is absent or cannot be listed.
std::vector<std::string> listRootDirectory(const std::string& root, std::string_view logical);

/// Reads a whole file of this machine (not under a root).
Expected<std::string> readHostFile(const std::string& path, std::size_t max_bytes = 64u << 20);

/// Joins root and an absolute logical path ("/" + "/etc" = "/etc").
std::string joinRoot(const std::string& root, std::string_view logical);

}  // namespace modgate::fs
