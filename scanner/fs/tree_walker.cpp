#include "scanner/fs/tree_walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "scanner/fs/root_path.h"

namespace modgate::fs {
namespace {

constexpr std::size_t kMaxProblems = 20;

// listxattrat(2) and getxattrat(2), Linux 6.13+: extended attributes relative to a
// directory fd, without a path lookup through /proc/self/fd. Same numbers on every
// architecture (the unified table). Older kernels answer ENOSYS and the walker
// falls back to /proc/self/fd/N/NAME.
constexpr long kGetxattratSyscall = 464;
constexpr long kListxattratSyscall = 465;

/// struct xattr_args of <linux/xattr.h> (6.13).
struct XattrArgs final {
  alignas(8) std::uint64_t value = 0;
  std::uint32_t size = 0;
  std::uint32_t flags = 0;
};

std::atomic<bool> at_syscalls_missing{false};

/// An open directory shared by the children that still need it.
struct DirFd final {
  int fd = -1;
  explicit DirFd(int descriptor) : fd(descriptor) {}
  ~DirFd() {
    if (fd >= 0) ::close(fd);
  }
  DirFd(const DirFd&) = delete;
  DirFd& operator=(const DirFd&) = delete;
};

/// A directory already visited whose entries are still to be read.
struct Pending final {
  std::shared_ptr<DirFd> parent;  ///< null for the top (fd given directly)
  int top_fd = -1;
  std::string name;
  std::string path;
  std::string host_path;
  int depth = 0;
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

/// The shared stack of directories and the stats, guarded by one mutex.
class WorkQueue final {
 public:
  void push(Pending item) {
    std::lock_guard<std::mutex> lock(mutex_);
    stack_.push_back(std::move(item));
    ready_.notify_one();
  }
  /// Blocks until there is work or everything is done; false when done.
  bool pop(Pending& item) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return !stack_.empty() || busy_ == 0; });
    if (stack_.empty()) return false;
    item = std::move(stack_.back());
    stack_.pop_back();
    ++busy_;
    return true;
  }
  void finished() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (--busy_ == 0 && stack_.empty()) ready_.notify_all();
  }
  void start() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++busy_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<Pending> stack_;
  int busy_ = 0;
};

class Worker final {
 public:
  Worker(unsigned index, const WalkOptions& options, const TreeVisitor& visit, WorkQueue& queue)
      : index_(index), options_(options), visit_(visit), queue_(queue) {}

  WalkStats& stats() { return stats_; }

  void run() {
    Pending item;
    while (queue_.pop(item)) {
      list(item);
      item = Pending{};
      queue_.finished();
    }
  }

  /// Visits the top itself.
  void visitTop(int fd, const std::string& path, const std::string& host_path) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
      problem(path, std::string("stat: ") + std::strerror(errno), false);
      return;
    }
    emit(fd, nullptr, path, host_path, 0, info);
  }

 private:
  /// Reads one visited directory and visits its entries; queues its subdirectories.
  void list(const Pending& item) {
    int fd = item.top_fd;
    if (item.parent) {
      fd = openDirectory(item.parent->fd, item.name.c_str());
      if (fd < 0) {
        problem(item.path, std::string("open: ") + std::strerror(errno), errno == ENOENT);
        return;
      }
    }
    auto self = std::make_shared<DirFd>(fd);
    std::vector<std::string> names;
    if (!readNames(fd, names)) problem(item.path, std::string("read directory: ") + std::strerror(errno), false);
    std::string prefix = item.path == "/" ? "" : item.path;
    for (auto& name : names) {
      std::string child_path = prefix + "/" + name;
      std::string child_host = item.host_path + "/" + name;
      struct stat child {};
      if (::fstatat(fd, name.c_str(), &child, AT_SYMLINK_NOFOLLOW) != 0) {
        problem(child_path, std::string("stat: ") + std::strerror(errno), errno == ENOENT);
        continue;
      }
      emit(fd, name.c_str(), child_path, child_host, item.depth + 1, child);
      if (S_ISDIR(child.st_mode) && options_.recursive) {
        queue_.push(Pending{self, -1, std::move(name), std::move(child_path), std::move(child_host), item.depth + 1});
      }
    }
  }

  void problem(const std::string& path, std::string what, bool vanished) {
    (vanished ? stats_.vanished : stats_.unreadable)++;
    stats_.problems.push_back({path, std::move(what)});
    if (stats_.problems.size() > kMaxProblems * 4) compactProblems();
  }

  void compactProblems() {
    std::sort(stats_.problems.begin(), stats_.problems.end(),
              [](const WalkProblem& a, const WalkProblem& b) { return a.path < b.path; });
    if (stats_.problems.size() > kMaxProblems) stats_.problems.resize(kMaxProblems);
  }

  ssize_t attribute(int parent, const char* name, const char* key, char* buffer, std::size_t size) {
    if (!name) return ::fgetxattr(parent, key, buffer, size);
    if (!at_syscalls_missing.load(std::memory_order_relaxed)) {
      XattrArgs args;
      args.value = reinterpret_cast<std::uintptr_t>(buffer);
      args.size = static_cast<std::uint32_t>(size);
      auto got = static_cast<ssize_t>(
          ::syscall(kGetxattratSyscall, parent, name, AT_SYMLINK_NOFOLLOW, key, &args, sizeof args));
      if (got >= 0 || errno != ENOSYS) return got;
      at_syscalls_missing = true;
    }
    std::snprintf(proc_path_, sizeof proc_path_, "/proc/self/fd/%d/%s", parent, name);
    return ::lgetxattr(proc_path_, key, buffer, size);
  }

  ssize_t listAttributes(int parent, const char* name, char* buffer, std::size_t size) {
    if (!name) return ::flistxattr(parent, buffer, size);
    if (!at_syscalls_missing.load(std::memory_order_relaxed)) {
      auto got = static_cast<ssize_t>(::syscall(kListxattratSyscall, parent, name, AT_SYMLINK_NOFOLLOW, buffer, size));
      if (got >= 0 || errno != ENOSYS) return got;
      at_syscalls_missing = true;
    }
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
    visit_(entry, index_);
  }

  unsigned index_;
  const WalkOptions& options_;
  const TreeVisitor& visit_;
  WorkQueue& queue_;
  WalkStats stats_;
  char proc_path_[4096 + 64];
};

}  // namespace

unsigned walkerThreads(const WalkOptions& options) {
  if (options.threads > 0) return options.threads;
  unsigned cores = std::thread::hardware_concurrency();
  return std::clamp(cores, 1u, 8u);
}

Expected<WalkStats> walkTree(const std::string& root, const std::string& logical_top, const WalkOptions& options,
                             const TreeVisitor& visit) {
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
  unsigned count = walkerThreads(options);
  WorkQueue queue;
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < count; ++i) workers.push_back(std::make_unique<Worker>(i, options, visit, queue));
  workers[0]->visitTop(fd, top->logical, top->host);
  if (options.recursive) {
    queue.push(Pending{nullptr, fd, "", top->logical, top->host, 0});  // listing takes over fd
  } else {
    ::close(fd);
  }
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < count; ++i) threads.emplace_back([&, i] { workers[i]->run(); });
  workers[0]->run();
  for (auto& thread : threads) thread.join();
  for (auto& worker : workers) {
    const WalkStats& part = worker->stats();
    stats.entries += part.entries;
    stats.directories += part.directories;
    stats.files += part.files;
    stats.symlinks += part.symlinks;
    stats.others += part.others;
    stats.vanished += part.vanished;
    stats.unreadable += part.unreadable;
    stats.problems.insert(stats.problems.end(), part.problems.begin(), part.problems.end());
  }
  std::sort(stats.problems.begin(), stats.problems.end(),
            [](const WalkProblem& a, const WalkProblem& b) { return a.path < b.path; });
  if (stats.problems.size() > kMaxProblems) stats.problems.resize(kMaxProblems);
  return stats;
}

Expected<WalkStats> walkTree(const std::string& root, const std::string& logical_top, const WalkOptions& options,
                             const std::function<void(const TreeEntry&)>& visit) {
  WalkOptions single = options;
  single.threads = 1;
  TreeVisitor adapter = [&visit](const TreeEntry& entry, unsigned) { visit(entry); };
  return walkTree(root, logical_top, single, adapter);
}

}  // namespace modgate::fs
