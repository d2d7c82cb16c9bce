#include "scanner/gotool/subjects.h"

#include "scanner/fs/root_path.h"
#include "scanner/gotool/cron.h"
#include "scanner/gotool/systemd_units.h"

namespace modgate::gotool {
namespace {

bool discovers(ruleset::Discover wanted, ruleset::Discover kind) {
  return wanted == ruleset::Discover::kAll || wanted == kind;
}

bool exists(const std::string& root, const std::string& path) {
  auto resolved = fs::resolveInRoot(root, path);
  return resolved && resolved->exists;
}

std::string typeOfContext(const std::string& context) {
  std::size_t first = context.find(':');
  std::size_t second = first == std::string::npos ? first : context.find(':', first + 1);
  if (second == std::string::npos) return {};
  std::size_t third = context.find(':', second + 1);
  return context.substr(second + 1, third == std::string::npos ? std::string::npos : third - second - 1);
}

/// PATH, go and the Go environment, once user, home and process_env are known.
void completeGoFacts(const std::string& root, SubjectFacts& facts, const std::string& default_path,
                     const std::map<std::string, std::string>& overrides) {
  for (const auto& [key, value] : overrides) facts.process_env[key] = value;  // the rule's env wins
  auto path = facts.process_env.find("PATH");
  facts.path = path != facts.process_env.end() && !path->second.empty() ? path->second : default_path;
  facts.go = findGoOnPath(root, facts.path);
  GoEnvInputs inputs;
  inputs.root = root;
  inputs.process = facts.process_env;
  inputs.home = facts.home;
  if (facts.go) inputs.goroot = facts.go->goroot;
  facts.goenv = effectiveGoEnv(inputs, facts.problems);
}

void setUser(SubjectFacts& facts, const Accounts& accounts, const std::string& user) {
  facts.user = user.empty() ? "root" : user;
  if (const Account* account = accounts.byName(facts.user)) {
    facts.home = account->home;
  } else {
    facts.problems.push_back("user '" + facts.user + "' is not in the root's /etc/passwd");
  }
}

/// A unit's facts, before the Go facts (which need the rule's env overlay).
SubjectFacts unitFacts(const Unit& unit, const Accounts& accounts, const std::string& rule_subject,
                       const std::string& id) {
  SubjectFacts facts;
  facts.id = id;
  facts.rule_subject = rule_subject;
  facts.launcher = Launcher::kSystemd;
  facts.source = unit.path;
  facts.tooling = goToolingKind(unit.exec_start).value_or("");
  std::string command;
  for (const auto& word : unit.exec_start) command += (command.empty() ? "" : " ") + word;
  facts.description = unit.name + ": " + (command.empty() ? "(no ExecStart)" : command);
  facts.program = unit.exec_start.empty() ? "" : unit.exec_start.front();
  setUser(facts, accounts, unit.user);
  facts.process_env = unit.environment;
  facts.declared_context = unit.selinux_context;
  facts.declared_domain = typeOfContext(unit.selinux_context);
  facts.apparmor_profile = unit.apparmor_profile;
  facts.problems.insert(facts.problems.end(), unit.problems.begin(), unit.problems.end());
  if (facts.program.empty()) facts.problems.push_back(unit.name + " has no ExecStart=");
  return facts;
}

SubjectFacts fromCron(const std::string& root, const CronJob& job, const Accounts& accounts,
                      const ruleset::Subject& subject) {
  const std::string& rule_subject = subject.id;
  SubjectFacts facts;
  facts.id = "cron:" + job.file + ":" + std::to_string(job.line);
  facts.rule_subject = rule_subject;
  facts.launcher = job.system ? Launcher::kCronSystem : Launcher::kCronUser;
  facts.source = job.file + ":" + std::to_string(job.line);
  facts.tooling = "go";
  facts.description = "cron job of " + job.user + ": " + job.command;
  setUser(facts, accounts, job.user);
  facts.process_env = job.environment;
  completeGoFacts(root, facts, kCronPath, subject.env);
  return facts;
}

SubjectFacts fromLogin(const std::string& root, const Account& account, const ruleset::Subject& subject,
                       const std::string& reason) {
  const std::string& rule_subject = subject.id;
  SubjectFacts facts;
  facts.id = "user:" + account.name;
  facts.rule_subject = rule_subject;
  facts.launcher = Launcher::kLogin;
  facts.tooling = "go";
  facts.description = "login user " + account.name + " (" + reason + ")";
  facts.user = account.name;
  facts.home = account.home;
  completeGoFacts(root, facts, account.uid == 0 ? kRootLoginPath : kUserLoginPath, subject.env);
  return facts;
}

/// Why a login user counts as running Go: the Go caches or config in its home.
std::optional<std::string> goTraces(const std::string& root, const Account& account) {
  if (account.home.empty() || account.home.front() != '/' || account.home == "/") return std::nullopt;
  for (const char* path : {"/go/pkg/mod", "/.cache/go-build", "/.config/go/env", "/go"}) {
    if (exists(root, account.home + path)) return "has ~" + std::string(path);
  }
  return std::nullopt;
}

}  // namespace

const char* launcherName(Launcher launcher) noexcept {
  switch (launcher) {
    case Launcher::kDeclared:
      return "declared";
    case Launcher::kSystemd:
      return "systemd";
    case Launcher::kCronSystem:
      return "cron-system";
    case Launcher::kCronUser:
      return "cron-user";
    case Launcher::kLogin:
      return "login";
  }
  return "declared";
}

Expected<std::vector<SubjectFacts>> collectSubjects(const std::string& root, const ruleset::RuleSet& rules,
                                                    const Accounts& accounts) {
  std::vector<SubjectFacts> out;
  std::optional<std::vector<Unit>> all_units;
  std::optional<std::vector<CronJob>> cron_jobs;
  for (const auto& subject : rules.subjects) {
    if (subject.discover == ruleset::Discover::kNone) {
      SubjectFacts facts;
      std::string default_path = kSystemdPath;
      if (!subject.systemd_unit.empty()) {
        auto unit = readUnit(root, subject.systemd_unit);
        if (!unit) return tl::unexpected(unit.error());
        if (*unit) {
          facts = unitFacts(**unit, accounts, subject.id, subject.id);
        } else {
          facts.launcher = Launcher::kSystemd;
          facts.description = subject.systemd_unit;
          facts.problems.push_back("unit " + subject.systemd_unit + " is not installed under the root (or is masked)");
        }
        if (!subject.user.empty() || facts.user.empty())
          setUser(facts, accounts, subject.user.empty() ? facts.user : subject.user);
      } else {
        bool typed = !subject.selinux_domain.empty() || !subject.selinux_context.empty();
        facts.launcher = typed ? Launcher::kDeclared : Launcher::kLogin;
        facts.description = "declared subject";
        setUser(facts, accounts, subject.user);
        const Account* account = accounts.byName(facts.user);
        if (!typed) default_path = account && account->uid == 0 ? kRootLoginPath : kUserLoginPath;
      }
      facts.id = subject.id;
      facts.rule_subject = subject.id;
      if (facts.tooling.empty()) facts.tooling = "go";
      if (!subject.selinux_context.empty()) {
        facts.declared_context = subject.selinux_context;
        facts.declared_domain = typeOfContext(subject.selinux_context);
      } else if (!subject.selinux_domain.empty()) {
        facts.declared_domain = subject.selinux_domain;
        facts.declared_context.clear();
      }
      if (!subject.apparmor_profile.empty()) facts.apparmor_profile = subject.apparmor_profile;
      completeGoFacts(root, facts, default_path, subject.env);
      out.push_back(std::move(facts));
      continue;
    }
    if (discovers(subject.discover, ruleset::Discover::kSystemd)) {
      if (!all_units) {
        auto units = readAllServiceUnits(root);
        if (!units) return tl::unexpected(units.error());
        all_units = std::move(*units);
      }
      for (const auto& unit : *all_units) {
        if (!goToolingKind(unit.exec_start)) continue;
        SubjectFacts facts = unitFacts(unit, accounts, subject.id, "systemd:" + unit.name);
        completeGoFacts(root, facts, kSystemdPath, subject.env);
        out.push_back(std::move(facts));
      }
    }
    if (discovers(subject.discover, ruleset::Discover::kCron)) {
      if (!cron_jobs) cron_jobs = readGoCronJobs(root);
      for (const auto& job : *cron_jobs) out.push_back(fromCron(root, job, accounts, subject));
    }
    if (discovers(subject.discover, ruleset::Discover::kUsers)) {
      for (const auto& account : accounts.all()) {
        if (account.uid == 0) {
          out.push_back(fromLogin(root, account, subject, "root"));
          continue;
        }
        if (account.uid < accounts.uidMin() || !account.canLogIn()) continue;
        if (auto reason = goTraces(root, account)) out.push_back(fromLogin(root, account, subject, *reason));
      }
    }
  }
  return out;
}

}  // namespace modgate::gotool
