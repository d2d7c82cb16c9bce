#pragma once

#include <sys/stat.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/error.h"
#include "scanner/fs/posix_acl.h"

namespace modgate::fs {

/// One entry as the walker saw it. Views are valid only during the visit.
struct TreeEntry final {
  std::string_view path;       ///< as the root sees it
  std::string_view host_path;  ///< where it is on this machine (for error messages)
  int depth = 0;               ///< 0 for the top
  mode_t mode = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  const Acl* access = nullptr;       ///< null when the entry has no access ACL
  const Acl* default_acl = nullptr;  ///< directories only; null when none
  std::string_view selinux;          ///< label, empty when none or not read
  [[nodiscard]] bool isDirectory() const { return S_ISDIR(mode); }
  [[nodiscard]] bool isRegular() const { return S_ISREG(mode); }
};

struct WalkOptions final {
  bool recursive = true;
  bool acls = true;      ///< read access and default ACLs
  bool labels = false;   ///< read security.selinux
  unsigned threads = 1;  ///< workers; 0: one per core (at most 8)
};

/// An entry that could not be read.
struct WalkProblem final {
  std::string path;
  std::string what;
};

struct WalkStats final {
  std::size_t entries = 0;  ///< visited, top included
  std::size_t directories = 0;
  std::size_t files = 0;
  std::size_t symlinks = 0;           ///< reported, never followed
  std::size_t others = 0;             ///< devices, sockets, fifos
  std::size_t vanished = 0;           ///< listed but gone before it could be read
  std::size_t unreadable = 0;         ///< could not be read (permissions, too deep, malformed ACL)
  std::vector<WalkProblem> problems;  ///< the first few vanished/unreadable entries
  bool top_exists = true;
  std::string top;  ///< the top as the root sees it, links resolved
};

/// Called for every entry, with the index of the worker (0..threads-1) that saw it;
/// calls from different workers run concurrently, calls of one worker do not.
using TreeVisitor = std::function<void(const TreeEntry&, unsigned worker)>;

/// Walks the directory `logical_top` of root: the top is resolved inside the root
/// (links allowed, never escaping it); below it nothing is followed: every child is
/// opened and stat'ed relative to its parent's descriptor. Iterative (a shared stack
/// of directories, no recursion limit); the top is visited first, the rest in no
/// fixed order. Reading never changes anything (O_NOATIME where permitted).
Expected<WalkStats> walkTree(const std::string& root, const std::string& logical_top, const WalkOptions& options,
                             const TreeVisitor& visit);

/// The same with one worker.
Expected<WalkStats> walkTree(const std::string& root, const std::string& logical_top, const WalkOptions& options,
                             const std::function<void(const TreeEntry&)>& visit);

/// Number of workers options.threads asks for on this machine.
unsigned walkerThreads(const WalkOptions& options);

}  // namespace modgate::fs
