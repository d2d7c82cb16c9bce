#include "scanner/ruleset/reader.h"

#include <algorithm>
#include <ctime>
#include <regex>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "scanner/fs/posix_acl.h"
#include "scanner/fs/root_path.h"

namespace modgate::ruleset {
namespace {

/// What a diagnostic is about: "rule GO-PROXY-001", "subject nightly".
struct Context final {
  std::string section;  ///< "rule", "subject", ... or "" for the top level
  std::string id;
};

bool validId(std::string_view id) {
  return !id.empty() && id.size() <= 128 && id != "." && id != ".." && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

bool validGoEnvName(std::string_view name) {
  return name.size() > 2 && name.substr(0, 2) == "GO" &&
         std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

/// Checks a proxy URL: http(s)://host[:port][/path] or file:///path.
std::optional<std::string> urlProblem(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "expected SCHEME://HOST[:PORT][/PATH]";
  std::string_view scheme = url.substr(0, scheme_end);
  std::string_view rest = url.substr(scheme_end + 3);
  if (scheme == "file") {
    if (rest.empty() || rest.front() != '/') return "a file URL needs an absolute path (file:///path)";
    return std::nullopt;
  }
  if (scheme != "http" && scheme != "https") return "scheme must be http, https or file";
  std::string_view authority = rest.substr(0, rest.find('/'));
  if (authority.find('@') != std::string_view::npos) return "credentials do not belong in a rule file";
  std::string_view host = authority;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return "missing ']' after an IPv6 address";
    host = authority.substr(0, close + 1);
    authority = authority.substr(close + 1);
    if (!authority.empty() && authority.front() != ':') return "unexpected text after ']'";
  } else {
    auto colon = authority.find(':');
    host = authority.substr(0, colon);
    authority = colon == std::string_view::npos ? std::string_view() : authority.substr(colon);
  }
  if (host.empty()) return "no host";
  bool host_ok = host.front() == '[' || std::all_of(host.begin(), host.end(), [](char c) {
                   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '.' || c == '_';
                 });
  if (!host_ok) return "'" + std::string(host) + "' is not a host name";
  if (!authority.empty()) {
    std::string_view port = authority.substr(1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return "port '" + std::string(port) + "' is not a number";
    int value = std::stoi(std::string(port));
    if (value < 1 || value > 65535) return "port " + std::string(port) + " is outside 1-65535";
  }
  return std::nullopt;
}

/// Reads one file's tables into a RuleSet, reporting into diagnostics.
class FileReader final {
 public:
  FileReader(std::string origin, std::vector<Diagnostic>& diagnostics)
      : origin_(std::move(origin)), diagnostics_(diagnostics) {}

  void read(const toml::table& root, RuleSet& into) {
    Context top;
    checkKeys(root, {"schema", "name", "description", "subject", "proxy", "cache", "rule", "waiver"}, top);
    if (const auto* schema = root.get("schema")) {
      auto value = schema->value<std::int64_t>();
      if (!value || !schema->is_integer()) {
        error("MG003", schema->source(), top, "schema", "must be the integer 1");
      } else if (*value != 1) {
        error("MG013", schema->source(), top, "schema",
              "schema " + std::to_string(*value) + " is not supported (this modgate reads schema 1)");
      }
    } else {
      error("MG004", root.source(), top, "schema", "missing 'schema = 1' at the top of the file");
    }
    std::string name = origin_;
    if (auto text = string(root, "name", top, false)) name = *text;
    (void)string(root, "description", top, false);
    into.names.push_back(name);
    into.files.push_back(origin_);
    forEachTable(root, "subject", [&](const toml::table& table) { readSubject(table, into); });
    forEachTable(root, "proxy", [&](const toml::table& table) { readProxy(table, into); });
    forEachTable(root, "cache", [&](const toml::table& table) { readCache(table, into); });
    forEachTable(root, "rule", [&](const toml::table& table) { readRule(table, into); });
    forEachTable(root, "waiver", [&](const toml::table& table) { readWaiver(table, into); });
  }

 private:
  SourceLocation at(const toml::source_region& where) const {
    return {origin_, static_cast<int>(where.begin.line), static_cast<int>(where.begin.column)};
  }

  void report(Diagnostic::Level level, const char* code, const toml::source_region& where, const Context& context,
              const std::string& field, std::string message) {
    Diagnostic diagnostic;
    diagnostic.level = level;
    diagnostic.code = code;
    diagnostic.file = origin_;
    diagnostic.line = static_cast<int>(where.begin.line);
    diagnostic.column = static_cast<int>(where.begin.column);
    diagnostic.rule_id = context.id;
    diagnostic.field = context.section.empty() ? field
                       : field.empty()         ? context.section
                                               : context.section + "." + field;
    diagnostic.message = std::move(message);
    diagnostics_.push_back(std::move(diagnostic));
  }
  void error(const char* code, const toml::source_region& where, const Context& context, const std::string& field,
             std::string message) {
    report(Diagnostic::Level::kError, code, where, context, field, std::move(message));
  }

  void checkKeys(const toml::table& table, std::initializer_list<std::string_view> allowed, const Context& context) {
    for (auto&& [key, value] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      report(Diagnostic::Level::kWarning, "MG002", key.source(), context, std::string(key.str()),
             "unknown key '" + std::string(key.str()) + "' is ignored");
      (void)value;
    }
  }

  template <typename Visit>
  void forEachTable(const toml::table& root, std::string_view section, Visit visit) {
    const toml::node* node = root.get(section);
    if (!node) return;
    Context context{std::string(section), ""};
    const auto* array = node->as_array();
    if (!array) {
      error("MG003", node->source(), context, "",
            "'" + std::string(section) + "' must be an array of tables ([[" + std::string(section) + "]])");
      return;
    }
    for (const auto& element : *array) {
      if (const auto* table = element.as_table()) {
        visit(*table);
      } else {
        error("MG003", element.source(), context, "", "each [[" + std::string(section) + "]] entry must be a table");
      }
    }
  }

  std::optional<std::string> string(const toml::table& table, std::string_view key, const Context& context,
                                    bool required) {
    const toml::node* node = table.get(key);
    if (!node) {
      if (required) {
        error("MG004", table.source(), context, std::string(key), "missing required key '" + std::string(key) + "'");
      }
      return std::nullopt;
    }
    if (!node->is_string()) {
      error("MG003", node->source(), context, std::string(key), "must be a string");
      return std::nullopt;
    }
    return std::string(*node->value<std::string_view>());
  }

  std::optional<bool> boolean(const toml::table& table, std::string_view key, const Context& context) {
    const toml::node* node = table.get(key);
    if (!node) return std::nullopt;
    if (!node->is_boolean()) {
      error("MG003", node->source(), context, std::string(key), "must be true or false");
      return std::nullopt;
    }
    return *node->value<bool>();
  }

  std::vector<std::string> strings(const toml::table& table, std::string_view key, const Context& context) {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (!node) return out;
    const auto* array = node->as_array();
    if (!array) {
      error("MG003", node->source(), context, std::string(key), "must be an array of strings");
      return out;
    }
    for (const auto& element : *array) {
      if (!element.is_string()) {
        error("MG003", element.source(), context, std::string(key), "must be an array of strings");
        continue;
      }
      out.emplace_back(*element.value<std::string_view>());
    }
    return out;
  }

  /// Reads `id`, checks its form; returns the context for the rest of the entry.
  Context identify(const toml::table& table, const char* section) {
    Context context{section, ""};
    if (auto id = string(table, "id", context, true)) {
      context.id = *id;
      if (!validId(*id)) {
        error("MG011", table.get("id")->source(), context, "id",
              "ids use letters, digits, '-', '_' and '.' (at most 128)");
      }
    }
    return context;
  }

  void readSubject(const toml::table& table, RuleSet& into) {
    Context context = identify(table, "subject");
    checkKeys(
        table,
        {"id", "selinux_domain", "selinux_context", "systemd_unit", "apparmor_profile", "user", "discover", "env"},
        context);
    Subject subject;
    subject.id = context.id;
    subject.where = at(table.source());
    subject.selinux_domain = string(table, "selinux_domain", context, false).value_or("");
    subject.selinux_context = string(table, "selinux_context", context, false).value_or("");
    subject.systemd_unit = string(table, "systemd_unit", context, false).value_or("");
    subject.apparmor_profile = string(table, "apparmor_profile", context, false).value_or("");
    subject.user = string(table, "user", context, false).value_or("");
    if (auto discover = string(table, "discover", context, false)) {
      auto parsed = parseDiscover(*discover);
      if (!parsed) {
        error("MG011", table.get("discover")->source(), context, "discover",
              "'" + *discover + "' is not one of systemd, cron, users, all");
      } else {
        subject.discover = *parsed;
      }
    }
    if (!subject.selinux_domain.empty() && !subject.selinux_context.empty()) {
      error("MG011", table.source(), context, "selinux_context", "give selinux_domain or selinux_context, not both");
    }
    if (!subject.selinux_context.empty() &&
        std::count(subject.selinux_context.begin(), subject.selinux_context.end(), ':') < 2) {
      error("MG011", table.get("selinux_context")->source(), context, "selinux_context",
            "expected USER:ROLE:TYPE[:LEVEL]");
    }
    if (!subject.systemd_unit.empty() && subject.systemd_unit.find('/') != std::string::npos) {
      error("MG011", table.get("systemd_unit")->source(), context, "systemd_unit",
            "a unit name such as 'gitlab-runner.service', not a path");
    } else if (!subject.systemd_unit.empty() && subject.systemd_unit.find('.') == std::string::npos) {
      subject.systemd_unit += ".service";
    }
    bool declared = !subject.selinux_domain.empty() || !subject.selinux_context.empty() ||
                    !subject.systemd_unit.empty() || !subject.user.empty() || !subject.apparmor_profile.empty();
    if (subject.discover != Discover::kNone && declared) {
      error("MG011", table.source(), context, "discover", "discover finds subjects; it excludes the other fields");
    } else if (subject.discover == Discover::kNone && !declared) {
      error("MG004", table.source(), context, "",
            "a subject needs selinux_domain, selinux_context, systemd_unit, user or discover");
    }
    if (const toml::node* env = table.get("env")) {
      if (const auto* env_table = env->as_table()) {
        for (auto&& [key, value] : *env_table) {
          if (!value.is_string()) {
            error("MG003", value.source(), context, "env." + std::string(key.str()), "must be a string");
            continue;
          }
          subject.env[std::string(key.str())] = std::string(*value.value<std::string_view>());
        }
      } else {
        error("MG003", env->source(), context, "env", "must be a table of strings");
      }
    }
    into.subjects.push_back(std::move(subject));
  }

  void readProxy(const toml::table& table, RuleSet& into) {
    Context context = identify(table, "proxy");
    checkKeys(table, {"id", "url", "from_goenv"}, context);
    Proxy proxy;
    proxy.id = context.id;
    proxy.where = at(table.source());
    proxy.from_goenv = boolean(table, "from_goenv", context).value_or(false);
    if (auto url = string(table, "url", context, false)) {
      proxy.url = *url;
      if (auto problem = urlProblem(*url)) {
        error("MG009", table.get("url")->source(), context, "url", "'" + *url + "': " + *problem);
      }
    }
    if (proxy.url.empty() == !proxy.from_goenv) {
      error(proxy.url.empty() ? "MG004" : "MG011", table.source(), context, "url",
            "a proxy needs either url or from_goenv = true");
    }
    into.proxies.push_back(std::move(proxy));
  }

  void readCache(const toml::table& table, RuleSet& into) {
    Context context = identify(table, "cache");
    checkKeys(table,
              {"id", "path", "kind", "owner", "group", "mode", "default_acl", "recursive", "writers", "readers",
               "selinux_type"},
              context);
    Cache cache;
    cache.id = context.id;
    cache.where = at(table.source());
    if (auto path = string(table, "path", context, true)) {
      cache.path = *path;
      if (path->empty() || path->front() != '/') {
        error("MG011", table.get("path")->source(), context, "path", "must be an absolute path");
      }
    }
    if (auto kind = string(table, "kind", context, false)) {
      static const std::set<std::string> kinds = {"gomodcache", "gocache", "proxy-storage", "generic"};
      if (!kinds.count(*kind)) {
        error("MG011", table.get("kind")->source(), context, "kind",
              "'" + *kind + "' is not one of gomodcache, gocache, proxy-storage, generic");
      }
      cache.kind = *kind;
    }
    cache.owner = string(table, "owner", context, false).value_or("");
    cache.group = string(table, "group", context, false).value_or("");
    if (auto mode = string(table, "mode", context, false)) {
      bool octal = (mode->size() == 3 || mode->size() == 4) &&
                   std::all_of(mode->begin(), mode->end(), [](char c) { return c >= '0' && c <= '7'; });
      if (!octal) {
        error("MG011", table.get("mode")->source(), context, "mode", "expected 3 or 4 octal digits, e.g. \"2775\"");
      } else {
        cache.mode = static_cast<unsigned>(std::stoul(*mode, nullptr, 8));
      }
    }
    cache.default_acl = strings(table, "default_acl", context);
    for (const auto& text : cache.default_acl) {
      if (auto spec = fs::parseAclSpec(text); !spec) {
        error("MG011", table.get("default_acl")->source(), context, "default_acl", spec.error().message);
      }
    }
    cache.recursive = boolean(table, "recursive", context).value_or(false);
    cache.writers = strings(table, "writers", context);
    cache.readers = strings(table, "readers", context);
    cache.selinux_type = string(table, "selinux_type", context, false).value_or("");
    into.caches.push_back(std::move(cache));
  }

  void readExpectations(const toml::node& node, const Context& context, Rule& rule) {
    const auto* table = node.as_table();
    if (!table) {
      error("MG003", node.source(), context, "expect", "must be a table of GOVAR = value");
      return;
    }
    for (auto&& [key, value] : *table) {
      std::string name(key.str());
      std::string field = "expect." + name;
      if (!validGoEnvName(name)) {
        error("MG011", key.source(), context, field, "'" + name + "' is not a Go environment variable (GO...)");
        continue;
      }
      if (value.is_string()) {
        rule.expect.push_back({name, EnvExpectation::Op::kEquals, std::string(*value.value<std::string_view>())});
        continue;
      }
      const auto* condition = value.as_table();
      if (!condition || condition->size() != 1) {
        error("MG003", value.source(), context, field,
              "must be a string, or a table with one of equals, not, contains, not_contains, matches, set");
        continue;
      }
      const toml::key* op_key_pointer = nullptr;
      const toml::node* op_value_pointer = nullptr;
      for (auto&& [entry_key, entry_value] : *condition) {
        op_key_pointer = &entry_key;
        op_value_pointer = &entry_value;
      }
      const toml::key& op_key = *op_key_pointer;
      const toml::node& op_value = *op_value_pointer;
      std::string op(op_key.str());
      static const std::map<std::string, EnvExpectation::Op> ops = {
          {"equals", EnvExpectation::Op::kEquals},     {"not", EnvExpectation::Op::kNotEquals},
          {"contains", EnvExpectation::Op::kContains}, {"not_contains", EnvExpectation::Op::kNotContains},
          {"matches", EnvExpectation::Op::kMatches},   {"set", EnvExpectation::Op::kSet}};
      auto found = ops.find(op);
      if (found == ops.end()) {
        error("MG011", op_key.source(), context, field + "." + op,
              "'" + op + "' is not one of equals, not, contains, not_contains, matches, set");
        continue;
      }
      EnvExpectation expectation{name, found->second, ""};
      if (found->second == EnvExpectation::Op::kSet) {
        if (!op_value.is_boolean()) {
          error("MG003", op_value.source(), context, field + ".set", "must be true or false");
          continue;
        }
        expectation.op = *op_value.value<bool>() ? EnvExpectation::Op::kSet : EnvExpectation::Op::kUnset;
      } else {
        if (!op_value.is_string()) {
          error("MG003", op_value.source(), context, field + "." + op, "must be a string");
          continue;
        }
        expectation.value = std::string(*op_value.value<std::string_view>());
        if (expectation.op == EnvExpectation::Op::kMatches) {
          try {
            std::regex compiled(expectation.value, std::regex::ECMAScript);
            (void)compiled;
          } catch (const std::regex_error& e) {
            error("MG011", op_value.source(), context, field + ".matches",
                  "not a valid regular expression: " + std::string(e.what()));
            continue;
          }
        }
      }
      rule.expect.push_back(std::move(expectation));
    }
  }

  void readRule(const toml::table& table, RuleSet& into) {
    Context context = identify(table, "rule");
    checkKeys(table,
              {"id", "title", "description", "severity", "check", "subjects", "proxies", "caches", "expect",
               "selinux_mode", "min_go_version", "go_path"},
              context);
    Rule rule;
    rule.id = context.id;
    rule.where = at(table.source());
    rule.title = string(table, "title", context, true).value_or("");
    rule.description = string(table, "description", context, false).value_or("");
    if (auto severity = string(table, "severity", context, true)) {
      auto parsed = parseSeverity(*severity);
      if (!parsed) {
        error("MG007", table.get("severity")->source(), context, "severity",
              "'" + *severity + "' is not one of info, low, medium, high, critical");
      } else {
        rule.severity = *parsed;
      }
    }
    if (auto check = string(table, "check", context, true)) {
      rule.check = *check;
      const auto& known = knownChecks();
      if (std::find(known.begin(), known.end(), *check) == known.end()) {
        std::string list;
        for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
        error("MG008", table.get("check")->source(), context, "check", "unknown check '" + *check + "' (" + list + ")");
      }
    }
    rule.subjects = strings(table, "subjects", context);
    rule.proxies = strings(table, "proxies", context);
    rule.caches = strings(table, "caches", context);
    if (const toml::node* expect = table.get("expect")) readExpectations(*expect, context, rule);
    if (rule.check == "go-env" && rule.expect.empty() && !table.get("expect")) {
      error("MG004", table.source(), context, "expect", "a go-env rule needs expect = { GOVAR = value, ... }");
    }
    if (auto mode = string(table, "selinux_mode", context, false)) {
      if (*mode != "enforcing" && *mode != "permissive" && *mode != "disabled") {
        error("MG011", table.get("selinux_mode")->source(), context, "selinux_mode",
              "'" + *mode + "' is not one of enforcing, permissive, disabled");
      }
      rule.selinux_mode = *mode;
    }
    if (auto version = string(table, "min_go_version", context, false)) {
      static const std::regex pattern(R"(^1\.[0-9]+(\.[0-9]+)?$)");
      if (!std::regex_match(*version, pattern)) {
        error("MG011", table.get("min_go_version")->source(), context, "min_go_version", "expected 1.N or 1.N.M");
      }
      rule.min_go_version = *version;
    }
    if (auto path = string(table, "go_path", context, false)) {
      if (path->empty() || path->front() != '/') {
        error("MG011", table.get("go_path")->source(), context, "go_path", "must be an absolute path");
      }
      rule.go_path = *path;
    }
    into.rules.push_back(std::move(rule));
  }

  void readWaiver(const toml::table& table, RuleSet& into) {
    Context context{"waiver", ""};
    Waiver waiver;
    waiver.rule = string(table, "rule", context, true).value_or("");
    context.id = waiver.rule;
    checkKeys(table, {"rule", "object", "subject", "reason", "expires"}, context);
    waiver.where = at(table.source());
    waiver.object = string(table, "object", context, false).value_or("");
    waiver.subject = string(table, "subject", context, false).value_or("");
    waiver.reason = string(table, "reason", context, true).value_or("");
    if (const toml::node* expires = table.get("expires")) {
      if (const auto* date = expires->as_date()) {
        const toml::date& value = date->get();
        waiver.expires = Date{value.year, value.month, value.day};
      } else {
        error("MG003", expires->source(), context, "expires", "must be a date, e.g. expires = 2027-01-31");
      }
    }
    into.waivers.push_back(std::move(waiver));
  }

  std::string origin_;
  std::vector<Diagnostic>& diagnostics_;
};

template <typename Item>
void mergeUnique(std::vector<Item>& into, std::vector<Item>& from, const char* section,
                 std::vector<Diagnostic>& diagnostics) {
  for (auto& item : from) {
    auto earlier = std::find_if(into.begin(), into.end(), [&](const Item& other) { return other.id == item.id; });
    if (!item.id.empty() && earlier != into.end()) {
      Diagnostic diagnostic;
      diagnostic.code = "MG005";
      diagnostic.file = item.where.file;
      diagnostic.line = item.where.line;
      diagnostic.column = item.where.column;
      diagnostic.rule_id = item.id;
      diagnostic.field = std::string(section) + ".id";
      diagnostic.message = std::string("duplicate ") + section + " id '" + item.id + "' (first defined at " +
                           earlier->where.file + ":" + std::to_string(earlier->where.line) + ")";
      diagnostics.push_back(std::move(diagnostic));
      continue;
    }
    into.push_back(std::move(item));
  }
}

void reference(std::vector<Diagnostic>& diagnostics, const SourceLocation& where, const std::string& id,
               const std::string& field, const std::string& kind, const std::string& name) {
  Diagnostic diagnostic;
  diagnostic.code = "MG006";
  diagnostic.file = where.file;
  diagnostic.line = where.line;
  diagnostic.column = where.column;
  diagnostic.rule_id = id;
  diagnostic.field = field;
  diagnostic.message = "unknown " + kind + " '" + name + "'";
  diagnostics.push_back(std::move(diagnostic));
}

void checkReferences(const RuleSet& rules, const Date& today, std::vector<Diagnostic>& diagnostics) {
  for (const auto& rule : rules.rules) {
    for (const auto& id : rule.subjects)
      if (!rules.subject(id)) reference(diagnostics, rule.where, rule.id, "rule.subjects", "subject", id);
    for (const auto& id : rule.proxies)
      if (!rules.proxy(id)) reference(diagnostics, rule.where, rule.id, "rule.proxies", "proxy", id);
    for (const auto& id : rule.caches) {
      bool known =
          std::any_of(rules.caches.begin(), rules.caches.end(), [&](const Cache& cache) { return cache.id == id; });
      if (!known) reference(diagnostics, rule.where, rule.id, "rule.caches", "cache", id);
    }
  }
  for (const auto& cache : rules.caches) {
    for (const auto& id : cache.writers)
      if (!rules.subject(id)) reference(diagnostics, cache.where, cache.id, "cache.writers", "subject", id);
    for (const auto& id : cache.readers)
      if (!rules.subject(id)) reference(diagnostics, cache.where, cache.id, "cache.readers", "subject", id);
  }
  for (const auto& waiver : rules.waivers) {
    if (!waiver.rule.empty() && !rules.rule(waiver.rule))
      reference(diagnostics, waiver.where, waiver.rule, "waiver.rule", "rule", waiver.rule);
    if (!waiver.subject.empty() && !rules.subject(waiver.subject))
      reference(diagnostics, waiver.where, waiver.rule, "waiver.subject", "subject", waiver.subject);
    if (waiver.expires && *waiver.expires < today) {
      Diagnostic diagnostic;
      diagnostic.level = Diagnostic::Level::kWarning;
      diagnostic.code = "MG010";
      diagnostic.file = waiver.where.file;
      diagnostic.line = waiver.where.line;
      diagnostic.column = waiver.where.column;
      diagnostic.rule_id = waiver.rule;
      diagnostic.field = "waiver.expires";
      diagnostic.message = "waiver expired on " + waiver.expires->text() + " and no longer applies";
      diagnostics.push_back(std::move(diagnostic));
    }
  }
}

}  // namespace

LoadResult loadRuleSources(const std::vector<RuleSource>& sources, const Date& today) {
  LoadResult result;
  for (const auto& source : sources) {
    if (source.text.size() > kMaxRuleFileBytes) {
      result.diagnostics.push_back({Diagnostic::Level::kError, "MG014", source.origin, 0, 0, "", "",
                                    "larger than " + std::to_string(kMaxRuleFileBytes >> 20) + " MiB"});
      continue;
    }
    toml::table root;
    try {
      root = toml::parse(source.text, source.origin);
    } catch (const toml::parse_error& e) {  // toml++ reports syntax errors only by exception
      result.diagnostics.push_back({Diagnostic::Level::kError, "MG001", source.origin,
                                    static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column),
                                    "", "", std::string(e.description())});
      continue;
    }
    RuleSet file_rules;
    FileReader(source.origin, result.diagnostics).read(root, file_rules);
    mergeUnique(result.rules.subjects, file_rules.subjects, "subject", result.diagnostics);
    mergeUnique(result.rules.proxies, file_rules.proxies, "proxy", result.diagnostics);
    mergeUnique(result.rules.caches, file_rules.caches, "cache", result.diagnostics);
    mergeUnique(result.rules.rules, file_rules.rules, "rule", result.diagnostics);
    for (auto& waiver : file_rules.waivers) result.rules.waivers.push_back(std::move(waiver));
    for (auto& name : file_rules.names) result.rules.names.push_back(std::move(name));
    for (auto& file : file_rules.files) result.rules.files.push_back(std::move(file));
  }
  checkReferences(result.rules, today, result.diagnostics);
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
  return result;
}

LoadResult loadRuleFiles(const std::vector<std::string>& paths, const Date& today) {
  std::vector<RuleSource> sources;
  std::vector<Diagnostic> unreadable;
  for (const auto& path : paths) {
    auto text = fs::readHostFile(path, kMaxRuleFileBytes);
    if (!text) {
      unreadable.push_back({Diagnostic::Level::kError, "MG014", path, 0, 0, "", "", text.error().message});
      continue;
    }
    sources.push_back({path, std::move(*text)});
  }
  LoadResult result = loadRuleSources(sources, today);
  result.diagnostics.insert(result.diagnostics.begin(), unreadable.begin(), unreadable.end());
  return result;
}

extern const unsigned char kDefaultRules[];
extern const std::size_t kDefaultRules_size;

RuleSource embeddedDefaultRules() {
  return {"<embedded>/default.toml", std::string(reinterpret_cast<const char*>(kDefaultRules), kDefaultRules_size)};
}

Date todayUtc() {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  return {parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday};
}

}  // namespace modgate::ruleset
