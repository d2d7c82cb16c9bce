#pragma once

// A validated rule set (schema 1, docs/RULES.md): who runs Go tooling (subjects),
// what it must reach (proxies), which directories it uses (caches), what must hold
// (rules), and accepted exceptions (waivers). Plain data; ruleset/reader.h fills it.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace modgate::ruleset {

/// Where something was written: file, 1-based line and column.
struct SourceLocation final {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };
std::optional<Severity> parseSeverity(std::string_view text);
const char* severityName(Severity severity) noexcept;

/// How subjects are found on the host instead of being declared.
enum class Discover { kNone, kSystemd, kCron, kUsers, kAll };
std::optional<Discover> parseDiscover(std::string_view text);
const char* discoverName(Discover discover) noexcept;

/// Who runs Go tooling: declared with a domain, context or unit, or discovered.
struct Subject final {
  std::string id;
  std::string selinux_domain;
  std::string selinux_context;
  std::string systemd_unit;  ///< "x.service": facts come from the unit
  std::string apparmor_profile;
  std::string user;  ///< from the root's passwd
  Discover discover = Discover::kNone;
  std::map<std::string, std::string> env;  ///< process environment, over the unit's
  SourceLocation where;
};

/// An endpoint Go tooling must reach, or "whatever each subject's GOPROXY says".
struct Proxy final {
  std::string id;
  std::string url;          ///< http(s)://host[:port][/path] or file:///path
  bool from_goenv = false;  ///< take GOPROXY and GOSUMDB of each subject instead
  SourceLocation where;
};

/// A directory Go tooling reads and writes (checked by the cache issue's checks).
struct Cache final {
  std::string id;
  std::string path;
  std::string kind = "generic";  ///< gomodcache | gocache | proxy-storage | generic
  std::string owner;
  std::string group;
  std::optional<unsigned> mode;  ///< required permission bits, setgid included
  std::vector<std::string> default_acl;
  bool recursive = false;
  std::vector<std::string> writers;
  std::vector<std::string> readers;
  std::string selinux_type;
  SourceLocation where;
};

/// An expectation on one Go environment variable (go-env).
struct EnvExpectation final {
  enum class Op { kEquals, kNotEquals, kContains, kNotContains, kMatches, kUnset, kSet };
  std::string key;
  Op op = Op::kEquals;
  std::string value;
  [[nodiscard]] std::string describe() const;  ///< e.g. "GOFLAGS contains -modcacherw"
};

/// What must hold, checked by one check of the catalogue.
struct Rule final {
  std::string id;
  std::string title;
  std::string description;
  Severity severity = Severity::kMedium;
  std::string check;
  std::vector<std::string> subjects;       ///< empty: every subject
  std::vector<std::string> proxies;        ///< empty: every proxy
  std::vector<std::string> caches;         ///< empty: every cache
  std::vector<EnvExpectation> expect;      ///< go-env
  std::string selinux_mode = "enforcing";  ///< selinux-state
  std::string min_go_version;              ///< go-install, e.g. "1.19"
  std::string go_path;                     ///< go-install: the install subjects must run
  SourceLocation where;
};

/// A calendar date (TOML local date).
struct Date final {
  int year = 0;
  int month = 0;
  int day = 0;
  [[nodiscard]] std::string text() const;  ///< YYYY-MM-DD
  bool operator<(const Date& other) const;
};

/// An accepted exception: results of `rule` (on `object`/`subject` when given) are waived.
struct Waiver final {
  std::string rule;
  std::string object;
  std::string subject;
  std::string reason;
  std::optional<Date> expires;
  SourceLocation where;
};

/// Several rule files merged.
struct RuleSet final {
  std::vector<std::string> names;  ///< each file's `name`
  std::vector<std::string> files;
  std::vector<Subject> subjects;
  std::vector<Proxy> proxies;
  std::vector<Cache> caches;
  std::vector<Rule> rules;
  std::vector<Waiver> waivers;
  [[nodiscard]] const Rule* rule(std::string_view id) const;
  [[nodiscard]] const Subject* subject(std::string_view id) const;
  [[nodiscard]] const Proxy* proxy(std::string_view id) const;
};

/// The checks catalogue (docs/RULES.md).
const std::vector<std::string>& knownChecks();

}  // namespace modgate::ruleset
