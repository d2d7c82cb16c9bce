#include "scanner/selinux/user_contexts.h"

#include <algorithm>

#include "scanner/fs/root_path.h"

namespace modgate::selinux {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t next = text.find('\n', at);
    if (next == std::string::npos) next = text.size();
    std::string line = text.substr(at, next - at);
    at = next + 1;
    std::size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    line.erase(0, line.find_first_not_of(" \t"));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while ((at = line.find_first_not_of(" \t", at)) != std::string::npos) {
    std::size_t end = line.find_first_of(" \t", at);
    out.push_back(line.substr(at, end == std::string::npos ? std::string::npos : end - at));
    at = end;
  }
  return out;
}

/// "role:type[:level]" -> type
std::string typeOf(const std::string& role_type) {
  std::size_t first = role_type.find(':');
  if (first == std::string::npos) return {};
  std::size_t second = role_type.find(':', first + 1);
  return role_type.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
}

std::optional<std::string> firstTarget(const std::string& text, const std::string& from_type) {
  for (const auto& line : lines(text)) {
    auto fields = words(line);
    if (fields.size() < 2 || typeOf(fields[0]) != from_type) continue;
    std::string type = typeOf(fields[1]);
    if (!type.empty()) return type;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> seuserOf(const std::string& root, const std::string& selinux_type, const std::string& user,
                                    const std::vector<std::string>& groups) {
  auto text = fs::readRootFile(root, "/etc/selinux/" + selinux_type + "/seusers", 1u << 20);
  if (!text) return std::nullopt;
  std::optional<std::string> by_group, by_default;
  for (const auto& line : lines(*text)) {
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::string rest = line.substr(colon + 1);
    std::string seuser = rest.substr(0, rest.find(':'));
    if (name == user) return seuser;
    if (!name.empty() && name.front() == '%' && !by_group &&
        std::find(groups.begin(), groups.end(), name.substr(1)) != groups.end()) {
      by_group = seuser;
    }
    if (name == "__default__") by_default = seuser;
  }
  return by_group ? by_group : by_default;
}

std::optional<std::string> defaultDomain(const std::string& root, const std::string& selinux_type,
                                         const std::string& seuser, const std::string& from_type) {
  std::string base = "/etc/selinux/" + selinux_type + "/contexts/";
  if (auto text = fs::readRootFile(root, base + "users/" + seuser, 1u << 20)) {
    if (auto type = firstTarget(*text, from_type)) return type;
  }
  if (auto text = fs::readRootFile(root, base + "default_contexts", 1u << 20)) {
    if (auto type = firstTarget(*text, from_type)) return type;
  }
  return std::nullopt;
}

}  // namespace modgate::selinux
