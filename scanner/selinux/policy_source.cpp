#include "scanner/selinux/policy_source.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "scanner/fs/root_path.h"

namespace modgate::selinux {
namespace {

constexpr const char* kSelinuxfs = "/sys/fs/selinux";

/// Closes a directory stream.
struct DirCloser final {
  void operator()(DIR* dir) const noexcept { ::closedir(dir); }
};
using UniqueDir = std::unique_ptr<DIR, DirCloser>;

std::string trim(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace

std::map<std::string, std::string> parseSelinuxConfig(std::string_view text) {
  std::map<std::string, std::string> values;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = trim(std::string_view(text).substr(at, end - at));
    at = end + 1;
    if (line.empty() || line.front() == '#') continue;
    std::size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string value = trim(std::string_view(line).substr(equals + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    values[trim(std::string_view(line).substr(0, equals))] = value;
  }
  return values;
}

std::optional<bool> parseLiveBoolean(std::string_view text) {
  std::string value = trim(text);
  if (value.size() != 3 || (value[0] != '0' && value[0] != '1') || value[1] != ' ' ||
      (value[2] != '0' && value[2] != '1')) {
    return std::nullopt;
  }
  return value[0] == '1';
}

namespace {

/// selinuxfs's enforce: "0" or "1".
Expected<std::string> readEnforce(const std::string& root) {
  std::string path = std::string(kSelinuxfs) + "/enforce";
  auto text = fs::readRootFile(root, path, 64);
  if (!text) return tl::unexpected(text.error());
  std::string value = trim(*text);
  if (value == "1") return std::string("enforcing");
  if (value == "0") return std::string("permissive");
  return makeError(ErrorCode::kUnreadable,
                   fs::joinRoot(root, path) + ": expected 0 or 1, found '" + value.substr(0, 32) + "'");
}

/// selinuxfs's booleans/NAME: "ACTIVE PENDING", each 0 or 1.
Expected<std::map<std::string, bool>> readLiveBooleans(const std::string& root) {
  std::map<std::string, bool> values;
  auto dir_path = fs::resolveInRoot(root, std::string(kSelinuxfs) + "/booleans");
  if (!dir_path) return tl::unexpected(dir_path.error());
  if (!dir_path->exists) return values;
  UniqueDir dir(::opendir(dir_path->host.c_str()));
  if (!dir) {
    int error = errno;
    return makeError(ErrorCode::kUnreadable, "cannot list '" + dir_path->host + "': " + std::strerror(error), error);
  }
  while (const dirent* entry = ::readdir(dir.get())) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    std::string file = dir_path->host + "/" + name;
    auto text = fs::readHostFile(file, 64);
    if (!text) return tl::unexpected(text.error());
    auto value = parseLiveBoolean(*text);
    if (!value) {
      return makeError(ErrorCode::kUnreadable,
                       file + ": expected \"ACTIVE PENDING\" (each 0 or 1), found '" + trim(*text).substr(0, 32) + "'");
    }
    values[name] = *value;
  }
  return values;
}

/// The highest policy.N in ROOT/etc/selinux/TYPE/policy.
Expected<std::string> findInstalledPolicy(const std::string& root, const std::string& type) {
  std::string logical = "/etc/selinux/" + type + "/policy";
  auto dir_path = fs::resolveInRoot(root, logical);
  if (!dir_path) return tl::unexpected(dir_path.error());
  UniqueDir dir(dir_path->exists ? ::opendir(dir_path->host.c_str()) : nullptr);
  if (!dir) {
    return makeError(ErrorCode::kNotFound,
                     "no installed SELinux policy: '" + dir_path->host + "' is missing (SELINUXTYPE=" + type + ")");
  }
  long best = -1;
  while (const dirent* entry = ::readdir(dir.get())) {
    std::string_view name = entry->d_name;
    if (name.substr(0, 7) != "policy." || name.size() == 7 || name.size() > 10) continue;
    std::string_view digits = name.substr(7);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    best = std::max(best, std::stol(std::string(digits)));
  }
  if (best < 0) {
    return makeError(ErrorCode::kNotFound, "no installed SELinux policy: no policy.N in '" + dir_path->host + "'");
  }
  auto file = fs::resolveInRoot(root, logical + "/policy." + std::to_string(best));
  if (!file) return tl::unexpected(file.error());
  return file->host;
}

}  // namespace

const char* policyOriginName(PolicyOrigin origin) noexcept {
  switch (origin) {
    case PolicyOrigin::kLive:
      return "live";
    case PolicyOrigin::kInstalled:
      return "installed";
    case PolicyOrigin::kFile:
      return "file";
  }
  return "installed";
}

Expected<SelinuxHost> locatePolicy(const std::string& root, const std::optional<std::string>& policy_file) {
  auto top = fs::resolveInRoot(root, "/");
  if (!top) return tl::unexpected(top.error());

  SelinuxHost host;
  host.root = root;
  auto config_text = fs::readRootFile(root, "/etc/selinux/config", 1u << 20);
  std::map<std::string, std::string> config;
  if (config_text) {
    config = parseSelinuxConfig(*config_text);
  } else if (config_text.error().code != ErrorCode::kNotFound) {
    return tl::unexpected(config_text.error());
  }
  if (auto it = config.find("SELINUXTYPE"); it != config.end()) host.selinux_type = it->second;
  if (auto it = config.find("SELINUX"); it != config.end()) host.mode = it->second;

  auto live_policy = fs::resolveInRoot(root, std::string(kSelinuxfs) + "/policy");
  if (!live_policy) return tl::unexpected(live_policy.error());
  bool live = live_policy->exists;
  if (live) {
    auto mode = readEnforce(root);
    if (!mode) return tl::unexpected(mode.error());
    host.mode = *mode;
  }

  if (policy_file) {
    host.origin = PolicyOrigin::kFile;
    host.policy_path = *policy_file;
  } else if (live) {
    host.origin = PolicyOrigin::kLive;
    host.policy_path = live_policy->host;
    auto booleans = readLiveBooleans(root);
    if (!booleans) return tl::unexpected(booleans.error());
    host.live_booleans = std::move(*booleans);
  } else {
    if (!config_text) {
      return makeError(ErrorCode::kNotFound, "no SELinux policy under '" + root + "': neither " +
                                                 fs::joinRoot(root, "/sys/fs/selinux/policy") + " nor " +
                                                 fs::joinRoot(root, "/etc/selinux/config") + " exists");
    }
    if (host.selinux_type.empty()) {
      return makeError(ErrorCode::kNotFound, fs::joinRoot(root, "/etc/selinux/config") + " names no SELINUXTYPE");
    }
    auto installed = findInstalledPolicy(root, host.selinux_type);
    if (!installed) return tl::unexpected(installed.error());
    host.origin = PolicyOrigin::kInstalled;
    host.policy_path = *installed;
  }

  if (!host.selinux_type.empty()) {
    std::string contexts = "/etc/selinux/" + host.selinux_type + "/contexts/files/file_contexts";
    auto resolved = fs::resolveInRoot(root, contexts);
    if (resolved && resolved->exists) host.file_contexts = contexts;
  }
  auto doc = fs::resolveInRoot(root, "/usr/share/selinux/devel/policy.xml");
  if (doc && doc->exists) host.policy_doc = doc->host;
  return host;
}

Expected<Policy> loadPolicy(const SelinuxHost& host) {
  auto policy = Policy::fromFile(host.policy_path);
  if (!policy) {
    // A missing policy under the root means "cannot evaluate"; a missing --policy
    // file is the user's mistake.
    if (host.origin == PolicyOrigin::kFile && policy.error().code == ErrorCode::kNotFound) {
      policy.error().code = ErrorCode::kInvalidArgument;
    }
    return policy;
  }
  if (!host.live_booleans.empty()) {
    for (const auto& [name, value] : host.live_booleans) {
      if (!policy->booleanIndex(name)) {
        return makeError(ErrorCode::kUnreadable, "live boolean '" + name + "' in " +
                                                     fs::joinRoot(host.root, "/sys/fs/selinux/booleans") +
                                                     " is not in the loaded policy");
      }
    }
    auto applied = policy->setBooleans(host.live_booleans);
    if (!applied) return tl::unexpected(applied.error());
  }
  return policy;
}

}  // namespace modgate::selinux
