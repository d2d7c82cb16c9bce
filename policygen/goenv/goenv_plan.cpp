#include "policygen/goenv/goenv_plan.h"

#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "scanner/eval/cache_audit.h"
#include "scanner/fs/root_path.h"

namespace modgate::policygen {
namespace {

std::string withModcacherw(const std::string& goflags) {
  return goflags.empty() ? "-modcacherw" : goflags + " -modcacherw";
}

void readOriginal(const std::string& root, GoEnvChange& change) {
  auto resolved = fs::resolveInRoot(root, change.target);
  if (!resolved || !resolved->exists) return;
  auto text = fs::readHostFile(resolved->host, 1u << 20);
  if (!text) return;
  change.original = *text;
  struct stat info {};
  if (::stat(resolved->host.c_str(), &info) == 0) {
    change.original_uid = info.st_uid;
    change.original_gid = info.st_gid;
    change.original_mode = info.st_mode & 07777;
    change.uid = info.st_uid;
    change.gid = info.st_gid;
    change.mode = info.st_mode & 07777;
  }
}

/// systemd reads Environment= values with C-style quoting; keep it simple and safe.
std::string systemdQuote(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') continue;
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string setGoEnvLine(const std::string& content, const std::string& key, const std::string& value) {
  std::string out;
  bool replaced = false;
  std::size_t at = 0;
  while (at < content.size()) {
    std::size_t end = content.find('\n', at);
    std::string line = content.substr(at, end == std::string::npos ? std::string::npos : end - at);
    at = end == std::string::npos ? content.size() : end + 1;
    if (line.rfind(key + "=", 0) == 0) {
      if (replaced) continue;  // go reads the first; drop duplicates
      line = key + "=" + value;
      replaced = true;
    }
    out += line + "\n";
  }
  if (!replaced) out += key + "=" + value + "\n";
  return out;
}

GoEnvPlan planGoEnv(const std::string& root, const ruleset::RuleSet& rules,
                    const std::vector<gotool::SubjectFacts>& subjects, const gotool::Accounts& accounts) {
  GoEnvPlan plan;
  std::set<std::string> done;
  for (const auto& cache : rules.caches) {
    if (cache.kind != "gomodcache" || cache.writers.size() < 2) continue;
    for (const auto& facts : subjects) {
      if (std::find(cache.writers.begin(), cache.writers.end(), facts.rule_subject) == cache.writers.end()) continue;
      if (eval::usesModcacherw(facts) || !done.insert(facts.id).second) continue;
      auto flags = facts.goenv.find("GOFLAGS");
      std::string current = flags == facts.goenv.end() ? "" : flags->second.value;
      std::string source = flags == facts.goenv.end() ? "default" : flags->second.source;
      std::string reason = "writes the shared module cache " + cache.path + " without -modcacherw";
      const ruleset::Subject* declared = rules.subject(facts.rule_subject);
      bool rule_env = declared && declared->env.count("GOFLAGS");
      if (rule_env) {
        plan.manual.push_back({facts.id, "GOFLAGS comes from the rule set's env for " + facts.rule_subject +
                                             "; add -modcacherw there (and to the process it describes)"});
        continue;
      }
      GoEnvChange change;
      change.subject = facts.id;
      change.reason = reason;
      change.goflags = withModcacherw(current);
      const gotool::Account* account = accounts.byName(facts.user);
      if (facts.launcher == gotool::Launcher::kSystemd && !facts.source.empty()) {
        std::string unit = facts.source.substr(facts.source.rfind('/') + 1);
        change.kind = "systemd-dropin";
        change.target = "/etc/systemd/system/" + unit + ".d/50-modgate-goenv.conf";
        change.content = "# Written by modgate: " + reason + "\n[Service]\nEnvironment=" +
                         systemdQuote("GOFLAGS=" + change.goflags) + "\n";
        readOriginal(root, change);
        change.uid = 0;
        change.gid = 0;
        change.mode = 0644;
      } else if (source == "process") {
        plan.manual.push_back({facts.id, "GOFLAGS is set in its process environment (" + facts.source +
                                             "); add -modcacherw there"});
        continue;
      } else {
        auto goenv = facts.goenv.find("GOENV");
        if (goenv == facts.goenv.end() || goenv->second.value.empty() || goenv->second.value == "off" || !account) {
          plan.manual.push_back({facts.id, "no go/env file can be written for it (GOENV off or no user)"});
          continue;
        }
        change.kind = "goenv-file";
        change.target = goenv->second.value;
        change.uid = account->uid;
        change.gid = account->gid;
        change.mode = 0644;
        readOriginal(root, change);
        change.content = setGoEnvLine(change.original.value_or(""), "GOFLAGS", change.goflags);
      }
      plan.changes.push_back(std::move(change));
    }
  }
  return plan;
}

}  // namespace modgate::policygen
