#include "scanner/gotool/go_install.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>

#include "scanner/fs/root_path.h"

namespace modgate::gotool {
namespace {

struct FdCloser final {
  void operator()(int* fd) const noexcept {
    if (*fd >= 0) ::close(*fd);
    delete fd;
  }
};

std::optional<GoInstall> inspect(const std::string& root, const std::string& path) {
  auto resolved = fs::resolveInRoot(root, path);
  if (!resolved || !resolved->exists) return std::nullopt;
  struct stat entry {};
  if (::stat(resolved->host.c_str(), &entry) != 0 || !S_ISREG(entry.st_mode) || (entry.st_mode & 0111) == 0) {
    return std::nullopt;
  }
  GoInstall install;
  install.path = path;
  install.resolved = resolved->logical;
  const std::string suffix = "/bin/go";
  if (install.resolved.size() > suffix.size() &&
      install.resolved.compare(install.resolved.size() - suffix.size(), suffix.size(), suffix) == 0) {
    install.goroot = install.resolved.substr(0, install.resolved.size() - suffix.size());
  }
  if (!install.goroot.empty()) {
    auto version = fs::readRootFile(root, install.goroot + "/VERSION", 4096);
    if (version) {
      std::string first = version->substr(0, version->find('\n'));
      if (first.rfind("go", 0) == 0) {
        install.version = first;
        install.version_source = "GOROOT/VERSION";
      }
    }
  }
  if (install.version.empty()) {
    if (auto version = readBuildInfoVersion(resolved->host)) {
      install.version = *version;
      install.version_source = "buildinfo";
    }
  }
  return install;
}

std::vector<unsigned> versionNumbers(const std::string& text) {
  std::vector<unsigned> numbers;
  unsigned current = 0;
  bool digits = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      current = current * 10 + static_cast<unsigned>(c - '0');
      digits = true;
    } else if (c == '.' && digits) {
      numbers.push_back(current);
      current = 0;
      digits = false;
    } else if (digits) {
      break;  // "go1.21rc2": stop at the suffix
    }
  }
  if (digits) numbers.push_back(current);
  return numbers;
}

}  // namespace

std::optional<std::string> readBuildInfoVersion(const std::string& host_path) {
  static const char kMagic[] = "\xff Go buildinf:";
  constexpr std::size_t kMagicSize = 14;
  int raw = ::open(host_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (raw < 0) return std::nullopt;
  std::unique_ptr<int, FdCloser> fd(new int(raw));
  // The build info is 16-byte aligned in the data section; read in blocks.
  constexpr std::size_t kBlock = 1 << 20;
  constexpr std::size_t kLimit = std::size_t{256} << 20;
  std::vector<char> buffer(kBlock + 64);
  std::size_t offset = 0;
  while (offset < kLimit) {
    ssize_t got = ::pread(*fd, buffer.data(), buffer.size(), static_cast<off_t>(offset));
    if (got <= 0) return std::nullopt;
    auto size = static_cast<std::size_t>(got);
    for (std::size_t i = 0; i + 64 <= size; i += 16) {
      if (std::memcmp(buffer.data() + i, kMagic, kMagicSize) != 0) continue;
      unsigned char flags = static_cast<unsigned char>(buffer[i + 15]);
      if ((flags & 2) == 0) return std::nullopt;  // before Go 1.18: pointers, not inline strings
      const unsigned char* at = reinterpret_cast<const unsigned char*>(buffer.data() + i + 32);
      std::size_t length = 0;
      int shift = 0;
      std::size_t used = 0;
      while (used < 10) {
        unsigned char byte = at[used++];
        length |= static_cast<std::size_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) break;
        shift += 7;
      }
      if (length == 0 || length > 64 || i + 32 + used + length > size) return std::nullopt;
      std::string version(reinterpret_cast<const char*>(at + used), length);
      if (version.rfind("go", 0) != 0) return std::nullopt;
      return version;
    }
    if (size < buffer.size()) return std::nullopt;
    offset += kBlock;
  }
  return std::nullopt;
}

std::optional<GoInstall> findGoOnPath(const std::string& root, const std::string& path_variable) {
  std::size_t at = 0;
  while (at <= path_variable.size()) {
    std::size_t next = path_variable.find(':', at);
    std::string dir = path_variable.substr(at, next == std::string::npos ? std::string::npos : next - at);
    at = next == std::string::npos ? path_variable.size() + 1 : next + 1;
    if (dir.empty() || dir.front() != '/') continue;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    if (auto install = inspect(root, (dir == "/" ? "" : dir) + "/go")) return install;
  }
  return std::nullopt;
}

std::vector<GoInstall> findGoInstalls(const std::string& root, const std::vector<std::string>& homes) {
  std::vector<std::string> candidates = {"/usr/bin/go",        "/usr/local/bin/go", "/usr/local/go/bin/go",
                                         "/usr/lib/go/bin/go", "/snap/bin/go",      "/opt/go/bin/go"};
  for (const auto& name : fs::listRootDirectory(root, "/usr/lib")) {
    if (name.rfind("go-", 0) == 0) candidates.push_back("/usr/lib/" + name + "/bin/go");
  }
  for (const auto& home : homes) {
    if (home.empty() || home.front() != '/') continue;
    for (const auto& name : fs::listRootDirectory(root, home + "/sdk")) {
      if (name.rfind("go", 0) == 0) candidates.push_back(home + "/sdk/" + name + "/bin/go");
    }
  }
  std::vector<GoInstall> installs;
  std::set<std::string> seen;
  for (const auto& candidate : candidates) {
    auto install = inspect(root, candidate);
    if (!install || !seen.insert(install->resolved).second) continue;
    installs.push_back(std::move(*install));
  }
  return installs;
}

bool goVersionAtLeast(const std::string& version, const std::string& minimum) {
  auto have = versionNumbers(version);
  auto want = versionNumbers(minimum);
  for (std::size_t i = 0; i < want.size(); ++i) {
    unsigned value = i < have.size() ? have[i] : 0;
    if (value != want[i]) return value > want[i];
  }
  return true;
}

}  // namespace modgate::gotool
