#include "scanner/fs/tree_walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "scanner/fs/root_path.h"

namespace modgate::fs {
namespace {

constexpr std::size_t kMaxProblems = 20;

/// One directory being walked: its fd and the names still to visit.
struct Frame final {
  int fd = -1;
  std::string path;
  std::string host_path;
  int depth = 0;
  std::vector<std::string> names;
  std::size_t next = 0;
};

struct DirCloser final {
  void operator()(DIR* dir) const noexcept { ::closedir(dir); }
};

int openDirectory(int parent, const char* name) {
  int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::openat(parent, name, flags | O_NOATIME);
  if (fd < 0 && errno == EPERM) fd = ::openat(parent, name, flags);  // O_NOATIME needs ownership
  return fd;
}

/// Names of a directory, "." and ".." excluded.
bool readNames(int fd, std::vector<std::string>& names) {
  int copy = ::dup(fd);
  if (copy < 0) return false;
  std::unique_ptr<DIR, DirCloser> dir(::fdopendir(copy));
  if (!dir) {
    ::close(copy);
    return false;
  }
  errno = 0;
  while (const dirent* entry = ::readdir(dir.get())) {
    const char* name = entry->d_name;
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
    names.emplace_back(name);
  }
  return errno == 0;
}

class Walker final {
 public:
  Walker(const WalkOptions& options, const std::function<void(const TreeEntry&)>& visit, WalkStats& stats)
      : options_(options), visit_(visit), stats_(stats) {}

  ~Walker() {
    for (auto& frame : stack_) ::close(frame.fd);
  }

  void run(int top_fd, const std::string& path, const std::string& host_path) {
    struct stat info {};
    if (::fstat(top_fd, &info) != 0) {
      problem(path, std::string("stat: ") + std::strerror(errno), false);
      ::close(top_fd);
      return;
    }
    emit(top_fd, nullptr, path, host_path, 0, info);
    push(top_fd, path, host_path, 0);
    while (!stack_.empty()) {
      Frame& frame = stack_.back();
      if (frame.next >= frame.names.size()) {
        ::close(frame.fd);
        stack_.pop_back();
        continue;
      }
      const std::string name = std::move(frame.names[frame.next++]);
      std::string child_path = (frame.path == "/" ? "" : frame.path) + "/" + name;
      std::string child_host = frame.host_path + "/" + name;
      struct stat child {};
      if (::fstatat(frame.fd, name.c_str(), &child, AT_SYMLINK_NOFOLLOW) != 0) {
        problem(child_path, std::string("stat: ") + std::strerror(errno), errno == ENOENT);
        continue;
      }
      int parent = frame.fd;
      int depth = frame.depth + 1;
      if (S_ISDIR(child.st_mode) && options_.recursive) {
        int fd = openDirectory(parent, name.c_str());
        if (fd < 0) {
          // Still report what stat saw; its contents cannot be checked.
          emit(parent, name.c_str(), child_path, child_host, depth, child);
          problem(child_path, std::string("open: ") + std::strerror(errno), errno == ENOENT);
          continue;
        }
        emit(parent, name.c_str(), child_path, child_host, depth, child);
        push(fd, child_path, child_host, depth);  // may invalidate `frame`
      } else {
        emit(parent, name.c_str(), child_path, child_host, depth, child);
      }
    }
  }

 private:
  void push(int fd, const std::string& path, const std::string& host_path, int depth) {
    Frame frame;
    frame.fd = fd;
    frame.path = path;
    frame.host_path = host_path;
    frame.depth = depth;
    if (!readNames(fd, frame.names)) problem(path, std::string("read directory: ") + std::strerror(errno), false);
    stack_.push_back(std::move(frame));
  }

  void problem(const std::string& path, std::string what, bool vanished) {
    (vanished ? stats_.vanished : stats_.unreadable)++;
    if (stats_.problems.size() < kMaxProblems) stats_.problems.push_back({path, std::move(what)});
  }

  /// Reads an xattr of parent/name (or of parent itself when name is null) without
  /// following a final link.
  ssize_t attribute(int parent, const char* name, const char* key, char* buffer, std::size_t size) {
    if (!name) return ::fgetxattr(parent, key, buffer, size);
    std::snprintf(proc_path_, sizeof proc_path_, "/proc/self/fd/%d/%s", parent, name);
    return ::lgetxattr(proc_path_, key, buffer, size);
  }

  ssize_t listAttributes(int parent, const char* name, char* buffer, std::size_t size) {
    if (!name) return ::flistxattr(parent, buffer, size);
    std::snprintf(proc_path_, sizeof proc_path_, "/proc/self/fd/%d/%s", parent, name);
    return ::llistxattr(proc_path_, buffer, size);
  }

  void emit(int parent, const char* name, const std::string& path, const std::string& host_path, int depth,
            const struct stat& info) {
    ++stats_.entries;
    if (S_ISDIR(info.st_mode))
      ++stats_.directories;
    else if (S_ISREG(info.st_mode))
      ++stats_.files;
    else if (S_ISLNK(info.st_mode))
      ++stats_.symlinks;
    else
      ++stats_.others;
    TreeEntry entry;
    entry.path = path;
    entry.host_path = host_path;
    entry.depth = depth;
    entry.mode = info.st_mode;
    entry.uid = info.st_uid;
    entry.gid = info.st_gid;
    bool want = (options_.acls || options_.labels) && !S_ISLNK(info.st_mode);
    std::optional<Acl> access, default_acl;
    std::string label;
    if (want) {
      char list[1024];
      ssize_t length = listAttributes(parent, name, list, sizeof list);
      if (length < 0 && errno != ENOTSUP && errno != ENODATA) {
        problem(path, std::string("list attributes: ") + std::strerror(errno), errno == ENOENT);
        length = 0;
      }
      for (ssize_t at = 0; at < length;) {
        const char* key = list + at;
        std::size_t key_length = std::strlen(key);
        at += static_cast<ssize_t>(key_length + 1);
        bool is_access = options_.acls && std::strcmp(key, "system.posix_acl_access") == 0;
        bool is_default = options_.acls && S_ISDIR(info.st_mode) && std::strcmp(key, "system.posix_acl_default") == 0;
        bool is_label = options_.labels && std::strcmp(key, "security.selinux") == 0;
        if (!is_access && !is_default && !is_label) continue;
        char value[4096];
        ssize_t size = attribute(parent, name, key, value, sizeof value);
        if (size < 0) {
          problem(path, std::string("read ") + key + ": " + std::strerror(errno), errno == ENOENT);
          continue;
        }
        std::string_view bytes(value, static_cast<std::size_t>(size));
        if (is_label) {
          while (!bytes.empty() && bytes.back() == '\0') bytes.remove_suffix(1);
          label = std::string(bytes);
          continue;
        }
        auto acl = decodeAcl(bytes);
        if (!acl) {
          problem(path, std::string("malformed ") + key, false);
          continue;
        }
        (is_access ? access : default_acl) = std::move(acl);
      }
    }
    entry.access = access ? &*access : nullptr;
    entry.default_acl = default_acl ? &*default_acl : nullptr;
    entry.selinux = label;
    visit_(entry);
  }

  const WalkOptions& options_;
  const std::function<void(const TreeEntry&)>& visit_;
  WalkStats& stats_;
  std::vector<Frame> stack_;
  char proc_path_[4096 + 64];
};

}  // namespace

Expected<WalkStats> walkTree(const std::string& root, const std::string& logical_top, const WalkOptions& options,
                             const std::function<void(const TreeEntry&)>& visit) {
  auto top = resolveInRoot(root, logical_top);
  if (!top) return tl::unexpected(top.error());
  WalkStats stats;
  stats.top = top->logical;
  if (!top->exists) {
    stats.top_exists = false;
    return stats;
  }
  int fd = ::open(top->host.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME);
  if (fd < 0 && errno == EPERM) fd = ::open(top->host.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    return makeError(error == ENOTDIR ? ErrorCode::kInvalidArgument : ErrorCode::kUnreadable,
                     "cannot open '" + top->host + "': " + std::strerror(error), error);
  }
  WalkOptions effective = options;
  Walker walker(effective, visit, stats);
  walker.run(fd, top->logical, top->host);
  return stats;
}

}  // namespace modgate::fs
