#include "scanner/eval/evaluate.h"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "scanner/eval/cache_audit.h"
#include "scanner/eval/cache_checks.h"
#include "scanner/eval/check_helpers.h"
#include "scanner/fs/root_path.h"
#include "scanner/gotool/go_env.h"
#include "scanner/selinux/query.h"
#include "scanner/selinux/transitions.h"
#include "scanner/selinux/user_contexts.h"

namespace modgate::eval {
namespace {

using detail::baseResult;
using detail::missingText;

using gotool::Launcher;
using gotool::SubjectFacts;

/// The subjects a rule names: all of them, or those from the rule's subject ids.
std::vector<const SubjectFacts*> subjectsOf(const ruleset::Rule& rule, const std::vector<SubjectFacts>& subjects) {
  std::vector<const SubjectFacts*> out;
  for (const auto& facts : subjects) {
    if (rule.subjects.empty() ||
        std::find(rule.subjects.begin(), rule.subjects.end(), facts.rule_subject) != rule.subjects.end()) {
      out.push_back(&facts);
    }
  }
  return out;
}

std::string goenvValue(const SubjectFacts& facts, const std::string& key) {
  auto it = facts.goenv.find(key);
  return it == facts.goenv.end() ? std::string() : it->second.value;
}

std::string goenvSource(const SubjectFacts& facts, const std::string& key) {
  auto it = facts.goenv.find(key);
  return it == facts.goenv.end() ? std::string("unset") : it->second.source;
}

// --- selinux-state, apparmor-state ---------------------------------------------------

Result selinuxState(const ruleset::Rule& rule, const MacFacts& mac) {
  std::string object = mac.selinux_source == "live" ? "/sys/fs/selinux/enforce" : "/etc/selinux/config";
  Result result = baseResult(rule, "", object);
  result.mac = "selinux";
  result.expected = rule.selinux_mode;
  result.actual = mac.selinux_state;
  if (mac.selinux_state == "absent") {
    result.status = Status::kNotApplicable;
    result.message = "SELinux is not installed on this root";
    return result;
  }
  if (mac.selinux_state == "unknown") {
    result.status = Status::kError;
    result.message = "the SELinux mode cannot be read: " + mac.selinux_problem;
    return result;
  }
  result.status = mac.selinux_state == rule.selinux_mode ? Status::kPass : Status::kFail;
  result.message = "SELinux is " + mac.selinux_state + " (" +
                   (mac.selinux_source == "live" ? "the running kernel" : "SELINUX= in /etc/selinux/config") +
                   "); expected " + rule.selinux_mode;
  result.evidence.push_back("policy " + mac.selinux_policy + " (" + mac.selinux_source + ")");
  return result;
}

Result apparmorState(const ruleset::Rule& rule, const MacFacts& mac) {
  Result result = baseResult(rule, "", "/sys/kernel/security/apparmor");
  result.mac = "apparmor";
  result.expected = "enabled";
  result.actual = mac.apparmor_state;
  if (mac.selinux_state == "enforcing" || mac.selinux_state == "permissive") {
    result.status = Status::kNotApplicable;
    result.message = "SELinux is the MAC system of this host";
  } else if (mac.apparmor_state == "enabled") {
    result.status = Status::kPass;
    result.message = "AppArmor is enabled in the running kernel";
  } else if (mac.apparmor_state == "installed") {
    result.status = Status::kNotChecked;
    result.message =
        "AppArmor profiles are installed, but whether the kernel enforces them cannot be read from this root";
  } else {
    result.status = Status::kFail;
    result.message = mac.apparmor_state == "disabled" ? "AppArmor is disabled in the running kernel"
                                                      : "neither SELinux nor AppArmor is in force";
  }
  return result;
}

// --- proxy-reachable -------------------------------------------------------------------

/// An endpoint a subject must reach, and why.
struct Target final {
  std::string host;
  unsigned port = 0;
  std::string why;          ///< "GOPROXY entry https://...", "checksum database sum.golang.org", ...
  std::string url;          ///< as configured (for messages)
  bool local_file = false;  ///< file:// proxies need no network
  bool off = false;         ///< GOPROXY=off: go never downloads
};

std::vector<Target> targetsOf(const ruleset::Proxy& proxy, const SubjectFacts& facts) {
  std::vector<Target> out;
  auto add_url = [&](const std::string& url, const std::string& why) {
    Target target;
    target.url = url;
    target.why = why;
    if (auto endpoint = gotool::urlEndpoint(url)) {
      target.host = endpoint->first;
      target.port = endpoint->second;
    } else {
      target.local_file = true;
    }
    out.push_back(std::move(target));
  };
  if (!proxy.from_goenv) {
    add_url(proxy.url, "proxy " + proxy.id);
    return out;
  }
  auto list = gotool::parseGoproxy(goenvValue(facts, "GOPROXY"));
  for (const auto& entry : list.proxies) add_url(entry.url, "GOPROXY entry " + entry.url);
  if (list.off && list.proxies.empty()) {
    Target target;
    target.off = true;
    target.why = "GOPROXY=off";
    out.push_back(std::move(target));
    return out;
  }
  bool direct = list.direct || !goenvValue(facts, "GOPRIVATE").empty() || !goenvValue(facts, "GONOPROXY").empty();
  if (direct) {
    Target target;
    target.host = "*";
    target.port = 443;
    target.url = "direct";
    target.why = list.direct ? "GOPROXY reaches direct: go fetches from arbitrary VCS hosts"
                             : "GOPRIVATE/GONOPROXY modules are fetched directly from their VCS hosts";
    out.push_back(std::move(target));
  }
  auto sumdb = gotool::parseGosumdb(goenvValue(facts, "GOSUMDB"));
  if (!sumdb.off) {
    std::string why = "checksum database " + sumdb.name;
    if (!list.proxies.empty()) why += " (go asks " + list.proxies.front().url + " first; this is its fallback)";
    add_url(sumdb.url, why);
  }
  return out;
}

Result proxyResult(const ruleset::Rule& rule, const SubjectFacts& facts, const Target& target, const MacFacts& mac,
                   const SelinuxView& selinux) {
  selinux::Endpoint endpoint{target.host, target.port, false};
  if (!target.host.empty() && target.host != "*") {
    auto parsed =
        selinux::parseEndpoint((target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host) +
                               ":" + std::to_string(target.port));
    if (parsed) endpoint = *parsed;
  }
  std::string object = target.local_file ? target.url : target.off ? "GOPROXY=off" : endpoint.uri();
  Result result = baseResult(rule, facts.id, object);
  result.expected = "reachable";
  if (target.off) {
    result.status = Status::kNotApplicable;
    result.message = "GOPROXY=off: go never downloads modules";
    return result;
  }
  if (target.local_file) {
    result.status = Status::kNotApplicable;
    result.message = target.url + " is a local file proxy; no network is involved";
    return result;
  }
  if (mac.selinux_state == "absent" || !selinux.policy) {
    if (mac.selinux_state != "absent") {
      result.status = Status::kError;
      result.mac = "selinux";
      result.message = "the SELinux policy could not be read: " + mac.selinux_problem;
      return result;
    }
    result.status = mac.apparmor_state == "absent" ? Status::kNotApplicable : Status::kNotChecked;
    result.message = mac.apparmor_state == "absent"
                         ? "no MAC system restricts network access on this host"
                         : "AppArmor network rules are not evaluated by this version of modgate";
    return result;
  }
  result.mac = "selinux";
  if (facts.selinux_domain.empty()) {
    result.status = Status::kError;
    result.message = "the SELinux domain of " + facts.id + " is unknown: " + facts.domain_source;
    return result;
  }
  std::optional<std::string> context;
  auto answer = selinux::queryEndpoint(*selinux.policy, *selinux.labeler, facts.selinux_domain, context, endpoint);
  if (!answer) {
    result.status = Status::kError;
    result.message = answer.error().message;
    return result;
  }
  result.status = answer->allowed ? Status::kPass : Status::kFail;
  result.actual = answer->allowed ? "allowed" : "denied";
  result.message = facts.selinux_domain + (answer->allowed ? " may connect to " : " may not connect to ") +
                   result.object + " (" + answer->target_type + "); " + target.why;
  result.evidence.push_back("domain " + facts.selinux_domain + " (" + facts.domain_source + ")");
  if (answer->port) {
    result.evidence.push_back(
        "portcon tcp " + std::to_string(answer->port->low) +
        (answer->port->high != answer->port->low ? "-" + std::to_string(answer->port->high) : "") + " " +
        answer->target_type);
  }
  for (const auto& missing : answer->missing) result.evidence.push_back(missingText(missing));
  result.selinux_missing = answer->missing;
  result.selinux_domain = facts.selinux_domain;
  result.port = endpoint.port;
  result.port_type = answer->target_type;
  for (const auto& note : answer->notes) result.evidence.push_back(note);
  result.selinux_booleans = answer->booleans.assignments;
  return result;
}

// --- go-env ----------------------------------------------------------------------------

bool meets(const ruleset::EnvExpectation& expectation, const std::string& value) {
  using Op = ruleset::EnvExpectation::Op;
  switch (expectation.op) {
    case Op::kEquals:
      return value == expectation.value;
    case Op::kNotEquals:
      return value != expectation.value;
    case Op::kContains:
      return value.find(expectation.value) != std::string::npos;
    case Op::kNotContains:
      return value.find(expectation.value) == std::string::npos;
    case Op::kMatches:
      return std::regex_search(value, std::regex(expectation.value, std::regex::ECMAScript));
    case Op::kUnset:
      return value.empty();
    case Op::kSet:
      return !value.empty();
  }
  return false;
}

Result goEnvResult(const ruleset::Rule& rule, const SubjectFacts& facts, const ruleset::EnvExpectation& expectation) {
  Result result = baseResult(rule, facts.id, "env:" + expectation.key);
  std::string value = goenvValue(facts, expectation.key);
  result.expected = expectation.describe();
  result.actual = expectation.key + "=" + value + " (" + goenvSource(facts, expectation.key) + ")";
  result.status = meets(expectation, value) ? Status::kPass : Status::kFail;
  result.message = result.status == Status::kPass ? "as expected: " + result.actual
                                                  : "expected " + result.expected + ", found " + result.actual;
  return result;
}

// --- go-install ------------------------------------------------------------------------

Result goInstallResult(const ruleset::Rule& rule, const SubjectFacts& facts, const std::string& root) {
  Result result = baseResult(rule, facts.id, facts.go ? facts.go->path : "PATH");
  result.expected = rule.go_path.empty() ? "a go on PATH" : rule.go_path;
  if (!rule.min_go_version.empty()) result.expected += ", version >= " + rule.min_go_version;
  if (!facts.go) {
    result.status = Status::kFail;
    result.actual = "none";
    result.message = "no go on PATH=" + facts.path;
    return result;
  }
  const auto& go = *facts.go;
  result.actual = go.path + (go.resolved != go.path ? " -> " + go.resolved : "") + " " +
                  (go.version.empty() ? "(version unknown)" : go.version);
  result.evidence.push_back("PATH=" + facts.path);
  if (!go.version_source.empty()) result.evidence.push_back("version from " + go.version_source);
  if (go.version.empty()) {
    result.status = Status::kFail;
    result.message = go.resolved + ": its version cannot be read (no GOROOT/VERSION, no build information)";
    return result;
  }
  if (!rule.go_path.empty()) {
    auto intended = fs::resolveInRoot(root, rule.go_path);
    std::string intended_resolved = intended ? intended->logical : rule.go_path;
    if (intended_resolved != go.resolved) {
      result.status = Status::kFail;
      result.message = "PATH finds " + go.path + " (" + go.resolved + ") before the intended " + rule.go_path;
      return result;
    }
  }
  if (!rule.min_go_version.empty() && !gotool::goVersionAtLeast(go.version, rule.min_go_version)) {
    result.status = Status::kFail;
    result.message = go.version + " is older than " + rule.min_go_version;
    return result;
  }
  result.status = Status::kPass;
  result.message = "runs " + result.actual;
  return result;
}

std::string hostRoot(const SelinuxView& selinux) {
  return selinux.host ? selinux.host->root : "/";
}

}  // namespace

void resolveDomains(const SelinuxView& selinux, const gotool::Accounts& accounts,
                    std::vector<gotool::SubjectFacts>& subjects) {
  for (auto& facts : subjects) {
    if (!selinux.policy) {
      facts.domain_source = "no SELinux policy";
      continue;
    }
    auto& policy = *selinux.policy;
    if (!facts.declared_domain.empty()) {
      if (policy.type(facts.declared_domain)) {
        facts.selinux_domain = facts.declared_domain;
        facts.domain_source = facts.launcher == Launcher::kSystemd && !facts.declared_context.empty()
                                  ? "SELinuxContext= of the unit"
                                  : "declared in the rule set";
      } else {
        facts.domain_source = "type '" + facts.declared_domain + "' is not in the policy";
      }
      continue;
    }
    const std::string& type = selinux.host->selinux_type;
    switch (facts.launcher) {
      case Launcher::kSystemd: {
        if (facts.program.empty()) {
          facts.domain_source = "the unit has no program to execute";
          break;
        }
        std::string program = facts.program;
        if (program.front() != '/') {
          for (const char* dir :
               {"/usr/local/sbin/", "/usr/local/bin/", "/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/"}) {
            auto candidate = fs::resolveInRoot(selinux.host->root, dir + program);
            if (candidate && candidate->exists) {
              program = dir + program;
              break;
            }
          }
        }
        auto label = selinux.labeler->label(program, S_IFREG);
        std::optional<std::string> type_name = label ? label->type() : std::nullopt;
        auto file_type = type_name ? policy.type(*type_name) : Expected<selinux::TypeId>(0u);
        auto init = policy.type("init_t");
        if (!file_type || *file_type == 0 || !init) {
          facts.domain_source = "cannot tell the SELinux type of " + program;
          break;
        }
        auto outcome = selinux::execTransition(policy, *init, *file_type);
        if (!outcome) {
          facts.domain_source = outcome.error().message;
          break;
        }
        facts.selinux_domain = outcome->new_domain;
        facts.domain_source = "systemd (init_t) executes " + program + " (" + outcome->file_type + ")" +
                              (outcome->transitions ? " -> type_transition to " + outcome->new_domain : "") +
                              (outcome->allowed ? "" : "; the exec itself is denied");
        break;
      }
      case Launcher::kCronSystem:
        if (policy.type("system_cronjob_t")) {
          facts.selinux_domain = "system_cronjob_t";
          facts.domain_source = "system crontab job (cron runs it in system_cronjob_t)";
        } else {
          facts.domain_source = "the policy has no system_cronjob_t";
        }
        break;
      case Launcher::kCronUser:
      case Launcher::kLogin:
      case Launcher::kDeclared: {
        const gotool::Account* account = accounts.byName(facts.user);
        std::vector<std::string> groups = account ? account->groups : std::vector<std::string>{};
        auto seuser = type.empty() ? std::nullopt : selinux::seuserOf(selinux.host->root, type, facts.user, groups);
        if (!seuser) {
          facts.domain_source = "no seusers mapping for " + facts.user;
          break;
        }
        std::vector<std::string> froms = facts.launcher == Launcher::kCronUser
                                             ? std::vector<std::string>{"crond_t"}
                                             : std::vector<std::string>{"sshd_t", "local_login_t"};
        for (const auto& from : froms) {
          auto domain = selinux::defaultDomain(selinux.host->root, type, *seuser, from);
          if (domain && policy.type(*domain)) {
            facts.selinux_domain = *domain;
            facts.domain_source = "seusers maps " + facts.user + " to " + *seuser + "; " + from + " starts " + *domain;
            break;
          }
        }
        if (facts.selinux_domain.empty()) facts.domain_source = "no default context for " + *seuser;
        break;
      }
    }
  }
}

void labelInstalls(const SelinuxView& selinux, std::vector<gotool::GoInstall>& installs) {
  if (!selinux.labeler) return;
  for (auto& install : installs) {
    if (auto label = selinux.labeler->label(install.resolved, S_IFREG); label && label->type()) {
      install.selinux_type = *label->type();
    }
    if (install.goroot.empty()) continue;
    // The compiler and linker go builds with; on Debian lib_t under /usr/lib, usr_t under /usr/local.
    auto tool = selinux.labeler->label(install.goroot + "/pkg/tool/linux_amd64/compile", S_IFREG);
    if (tool && tool->type()) install.tool_selinux_type = *tool->type();
  }
}

std::vector<Result> evaluateRules(const ruleset::RuleSet& rules, const std::vector<gotool::SubjectFacts>& subjects,
                                  const MacFacts& mac, const SelinuxView& selinux, const HostView& host,
                                  const ruleset::Date& today) {
  std::vector<Result> results;
  std::map<std::string, Expected<CacheAudit>> audits;  // one walk per cache, shared by the rules
  auto auditOf = [&](const ruleset::Cache& cache) -> const Expected<CacheAudit>& {
    auto it = audits.find(cache.id);
    if (it != audits.end()) return it->second;
    CacheAuditInputs inputs;
    inputs.root = host.root;
    inputs.cache = &cache;
    gotool::Accounts none;
    inputs.accounts = host.accounts ? host.accounts : &none;
    inputs.writers = subjectsNamed(cache.writers, subjects);
    inputs.readers = subjectsNamed(cache.readers, subjects);
    for (const auto* writer : inputs.writers) inputs.readers.push_back(writer);
    inputs.read_labels = selinux.policy != nullptr || !cache.selinux_type.empty();
    return audits.emplace(cache.id, auditCache(inputs)).first->second;
  };
  for (const auto& rule : rules.rules) {
    if (rule.check == "cache-permissions" || rule.check == "cache-writable" || rule.check == "cache-readable") {
      bool any = false;
      for (const auto& cache : rules.caches) {
        if (!rule.caches.empty() && std::find(rule.caches.begin(), rule.caches.end(), cache.id) == rule.caches.end()) {
          continue;
        }
        any = true;
        const auto& audit = auditOf(cache);
        if (rule.check == "cache-permissions") {
          results.push_back(cachePermissions(rule, cache, audit));
          continue;
        }
        bool write = rule.check == "cache-writable";
        std::vector<std::string> ids = cache.writers;
        if (!write) ids.insert(ids.end(), cache.readers.begin(), cache.readers.end());
        auto selected = subjectsNamed(ids, subjects);
        std::set<std::string> seen;
        for (const auto* facts : selected) {
          if (!rule.subjects.empty() &&
              std::find(rule.subjects.begin(), rule.subjects.end(), facts->rule_subject) == rule.subjects.end()) {
            continue;
          }
          if (!seen.insert(facts->id).second) continue;
          results.push_back(cacheAccess(rule, cache, *facts, audit, write, mac, selinux));
        }
        if (seen.empty()) {
          Result result = baseResult(rule, "", cache.path);
          result.status = Status::kNotApplicable;
          result.message = std::string("no ") + (write ? "writers" : "readers") + " of this cache run Go tooling here";
          results.push_back(std::move(result));
        }
      }
      if (!any) {
        Result result = baseResult(rule, "", "");
        result.status = Status::kNotApplicable;
        result.message = "the rule names no cache";
        results.push_back(std::move(result));
      }
      continue;
    }
    if (rule.check == "selinux-state") {
      results.push_back(selinuxState(rule, mac));
      continue;
    }
    if (rule.check == "apparmor-state") {
      results.push_back(apparmorState(rule, mac));
      continue;
    }
    auto selected = subjectsOf(rule, subjects);
    if (selected.empty()) {
      Result result = baseResult(rule, "", "");
      result.status = Status::kNotApplicable;
      result.message = "no subject of this rule runs Go tooling on this host";
      results.push_back(std::move(result));
      continue;
    }
    for (const auto* facts : selected) {
      if (rule.check == "proxy-reachable") {
        std::set<std::string> seen;
        for (const auto& proxy : rules.proxies) {
          if (!rule.proxies.empty() &&
              std::find(rule.proxies.begin(), rule.proxies.end(), proxy.id) == rule.proxies.end()) {
            continue;
          }
          for (const auto& target : targetsOf(proxy, *facts)) {
            Result result = proxyResult(rule, *facts, target, mac, selinux);
            if (!seen.insert(result.object).second) continue;
            results.push_back(std::move(result));
          }
        }
      } else if (rule.check == "go-env") {
        for (const auto& expectation : rule.expect) results.push_back(goEnvResult(rule, *facts, expectation));
      } else if (rule.check == "go-install") {
        results.push_back(goInstallResult(rule, *facts, hostRoot(selinux)));
      }
    }
  }
  for (auto& result : results) {
    result.fingerprint = fingerprintOf(result.rule, result.subject, result.object);
  }
  applyWaivers(rules, today, results);
  return results;
}

void applyWaivers(const ruleset::RuleSet& rules, const ruleset::Date& today, std::vector<Result>& results) {
  for (auto& result : results) {
    if (result.status != Status::kFail) continue;
    for (const auto& waiver : rules.waivers) {
      if (waiver.rule != result.rule) continue;
      if (!waiver.object.empty() && waiver.object != result.object) continue;
      if (!waiver.subject.empty() && waiver.subject != result.subject && result.subject.rfind(waiver.subject, 0) != 0) {
        continue;
      }
      if (waiver.expires && *waiver.expires < today) continue;
      result.status = Status::kWaived;
      result.waiver = waiver;
      break;
    }
  }
}

Expected<std::vector<BaselineAbsent>> compareBaseline(const std::string& path, std::vector<Result>& results) {
  auto text = fs::readHostFile(path, std::size_t{256} << 20);
  if (!text) return tl::unexpected(text.error());
  nlohmann::json baseline = nlohmann::json::parse(*text, nullptr, false);
  if (baseline.is_discarded() || !baseline.is_object() || baseline.value("schema", "") != "modgate.report/1" ||
      !baseline.contains("results") || !baseline["results"].is_array()) {
    return makeError(ErrorCode::kInvalidArgument, "baseline '" + path + "' is not a modgate.report/1 JSON report");
  }
  std::map<std::string, const nlohmann::json*> failed_before;
  for (const auto& item : baseline["results"]) {
    if (!item.is_object() || !item.contains("fingerprint") || !item["fingerprint"].is_string()) continue;
    if (item.value("status", "") == "fail") failed_before[item["fingerprint"].get<std::string>()] = &item;
  }
  std::set<std::string> failing_now;
  for (auto& result : results) {
    if (result.status != Status::kFail) continue;
    failing_now.insert(result.fingerprint);
    result.baseline = failed_before.count(result.fingerprint) ? "unchanged" : "new";
  }
  std::vector<BaselineAbsent> absent;
  for (const auto& [fingerprint, item] : failed_before) {
    if (failing_now.count(fingerprint)) continue;
    absent.push_back({item->value("rule", ""), item->value("subject", ""), item->value("object", ""), fingerprint});
  }
  return absent;
}

}  // namespace modgate::eval
