#include "scanner/ruleset/ruleset.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace modgate::ruleset {

std::optional<Severity> parseSeverity(std::string_view text) {
  if (text == "info") return Severity::kInfo;
  if (text == "low") return Severity::kLow;
  if (text == "medium") return Severity::kMedium;
  if (text == "high") return Severity::kHigh;
  if (text == "critical") return Severity::kCritical;
  return std::nullopt;
}

const char* severityName(Severity severity) noexcept {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "medium";
}

std::optional<Discover> parseDiscover(std::string_view text) {
  if (text == "systemd") return Discover::kSystemd;
  if (text == "cron") return Discover::kCron;
  if (text == "users") return Discover::kUsers;
  if (text == "all") return Discover::kAll;
  return std::nullopt;
}

const char* discoverName(Discover discover) noexcept {
  switch (discover) {
    case Discover::kNone:
      return "none";
    case Discover::kSystemd:
      return "systemd";
    case Discover::kCron:
      return "cron";
    case Discover::kUsers:
      return "users";
    case Discover::kAll:
      return "all";
  }
  return "none";
}

std::string EnvExpectation::describe() const {
  switch (op) {
    case Op::kEquals:
      return key + " = \"" + value + "\"";
    case Op::kNotEquals:
      return key + " != \"" + value + "\"";
    case Op::kContains:
      return key + " contains \"" + value + "\"";
    case Op::kNotContains:
      return key + " does not contain \"" + value + "\"";
    case Op::kMatches:
      return key + " matches /" + value + "/";
    case Op::kUnset:
      return key + " is unset";
    case Op::kSet:
      return key + " is set";
  }
  return key;
}

std::string Date::text() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

bool Date::operator<(const Date& other) const {
  return std::tie(year, month, day) < std::tie(other.year, other.month, other.day);
}

const Rule* RuleSet::rule(std::string_view id) const {
  auto it = std::find_if(rules.begin(), rules.end(), [&](const Rule& item) { return item.id == id; });
  return it == rules.end() ? nullptr : &*it;
}

const Subject* RuleSet::subject(std::string_view id) const {
  auto it = std::find_if(subjects.begin(), subjects.end(), [&](const Subject& item) { return item.id == id; });
  return it == subjects.end() ? nullptr : &*it;
}

const Proxy* RuleSet::proxy(std::string_view id) const {
  auto it = std::find_if(proxies.begin(), proxies.end(), [&](const Proxy& item) { return item.id == id; });
  return it == proxies.end() ? nullptr : &*it;
}

const std::vector<std::string>& knownChecks() {
  static const std::vector<std::string> checks = {
      "selinux-state",  "apparmor-state", "proxy-reachable", "cache-permissions",
      "cache-writable", "cache-readable", "go-env",          "go-install"};
  return checks;
}

}  // namespace modgate::ruleset
