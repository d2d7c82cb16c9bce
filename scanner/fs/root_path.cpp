#include "scanner/fs/root_path.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <vector>

namespace modgate::fs {
namespace {

constexpr int kMaxLinks = 40;

std::deque<std::string> splitComponents(std::string_view path) {
  std::deque<std::string> parts;
  std::size_t at = 0;
  while (at <= path.size()) {
    std::size_t next = path.find('/', at);
    if (next == std::string_view::npos) next = path.size();
    std::string_view part = path.substr(at, next - at);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    at = next + 1;
  }
  return parts;
}

std::string joinLogical(const std::vector<std::string>& parts) {
  if (parts.empty()) return "/";
  std::string out;
  for (const auto& part : parts) {
    out += '/';
    out += part;
  }
  return out;
}

std::string errnoText(int error) {
  return std::strerror(error);
}

}  // namespace

std::string joinRoot(const std::string& root, std::string_view logical) {
  std::string base = root;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  if (base == "/") return std::string(logical.empty() ? "/" : logical);
  return base + std::string(logical == "/" ? "" : logical);
}

Expected<RootedPath> resolveInRoot(const std::string& root, std::string_view path) {
  if (path.empty() || path.front() != '/') {
    return makeError(ErrorCode::kInvalidArgument, "path '" + std::string(path) + "' is not absolute");
  }
  struct stat root_stat {};
  if (::stat(root.c_str(), &root_stat) != 0) {
    int error = errno;
    return makeError(ErrorCode::kUnreadable, "cannot read root '" + root + "': " + errnoText(error), error);
  }
  if (!S_ISDIR(root_stat.st_mode)) {
    return makeError(ErrorCode::kUnreadable, "root '" + root + "' is not a directory", ENOTDIR);
  }

  std::deque<std::string> pending = splitComponents(path);
  std::vector<std::string> resolved;
  bool exists = true;
  int links = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == "..") {
      if (!resolved.empty()) resolved.pop_back();
      continue;
    }
    resolved.push_back(part);
    if (!exists) continue;  // below a missing component everything is literal
    std::string host = joinRoot(root, joinLogical(resolved));
    struct stat entry {};
    if (::lstat(host.c_str(), &entry) != 0) {
      int error = errno;
      if (error == ENOENT || error == ENOTDIR) {
        exists = false;
        continue;
      }
      return makeError(ErrorCode::kUnreadable, "cannot read '" + host + "': " + errnoText(error), error);
    }
    if (!S_ISLNK(entry.st_mode)) continue;
    if (++links > kMaxLinks) {
      return makeError(ErrorCode::kUnreadable, "too many symbolic links resolving '" + std::string(path) + "'", ELOOP);
    }
    std::vector<char> target(static_cast<std::size_t>(entry.st_size > 0 ? entry.st_size : 255) + 1);
    ssize_t length = ::readlink(host.c_str(), target.data(), target.size());
    if (length < 0) {
      int error = errno;
      return makeError(ErrorCode::kUnreadable, "cannot read link '" + host + "': " + errnoText(error), error);
    }
    std::string_view link(target.data(), static_cast<std::size_t>(length));
    resolved.pop_back();
    if (!link.empty() && link.front() == '/') resolved.clear();
    std::deque<std::string> expanded = splitComponents(link);
    pending.insert(pending.begin(), expanded.begin(), expanded.end());
  }
  RootedPath out;
  out.logical = joinLogical(resolved);
  out.host = joinRoot(root, out.logical);
  out.exists = exists;
  return out;
}

std::vector<std::string> listRootDirectory(const std::string& root, std::string_view logical) {
  std::vector<std::string> names;
  auto resolved = resolveInRoot(root, logical);
  if (!resolved || !resolved->exists) return names;
  struct Closer final {
    void operator()(DIR* dir) const noexcept { ::closedir(dir); }
  };
  std::unique_ptr<DIR, Closer> dir(::opendir(resolved->host.c_str()));
  if (!dir) return names;
  while (const dirent* entry = ::readdir(dir.get())) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

Expected<std::string> readHostFile(const std::string& path, std::size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    return makeError(error == ENOENT ? ErrorCode::kNotFound : ErrorCode::kUnreadable,
                     "cannot open '" + path + "': " + errnoText(error), error);
  }
  std::string data;
  char buffer[1 << 16];
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      return makeError(ErrorCode::kUnreadable, "cannot read '" + path + "': " + errnoText(error), error);
    }
    if (got == 0) break;
    if (data.size() + static_cast<std::size_t>(got) > max_bytes) {
      ::close(fd);
      return makeError(ErrorCode::kUnreadable, "'" + path + "' is larger than " + std::to_string(max_bytes) + " bytes");
    }
    data.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return data;
}

Expected<std::string> readRootFile(const std::string& root, std::string_view path, std::size_t max_bytes) {
  auto resolved = resolveInRoot(root, path);
  if (!resolved) return tl::unexpected(resolved.error());
  if (!resolved->exists) {
    return makeError(ErrorCode::kNotFound, "'" + resolved->host + "' does not exist", ENOENT);
  }
  return readHostFile(resolved->host, max_bytes);
}

}  // namespace modgate::fs
