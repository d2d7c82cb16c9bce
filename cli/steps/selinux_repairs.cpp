#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

#include "cli/app_state.h"
#include "policygen/core/process.h"
#include "policygen/selinux/selinux_artefacts.h"
#include "scanner/fs/root_path.h"
#include "scanner/gotool/accounts.h"
#include "scanner/selinux/go_access.h"
#include "scanner/selinux/query.h"

namespace modgate::cli {

namespace stdfs = std::filesystem;

bool selinuxWanted(const AppState& state) {
  const auto& targets = state.generate.targets;
  return std::find(targets.begin(), targets.end(), "selinux") != targets.end();
}

/// A module of that name already in the root's store (any priority).
bool moduleInstalled(const std::string& root, const std::string& type, const std::string& name) {
  for (const auto& priority : fs::listRootDirectory(root, "/var/lib/selinux/" + type + "/active/modules")) {
    auto path = fs::resolveInRoot(root, "/var/lib/selinux/" + type + "/active/modules/" + priority + "/" + name);
    if (path && path->exists) return true;
  }
  return false;
}

/// Plans the SELinux repairs (called from planRepairs).
StepOutcome planSelinuxRepairs(AppState& state) {
  if (!selinuxWanted(state) || !state.policy) return StepOutcome::kContinue;
  const auto& options = state.generate;
  for (const auto& subject : state.report.subjects) {
    if (!subject.declared_domain.empty() && !state.policy->type(subject.declared_domain)) {
      return fail(state,
                  Error{ErrorCode::kUnknownName,
                        "subject " + subject.id + ": type '" + subject.declared_domain + "' is not in the policy", 0});
    }
  }
  if (options.verify_store) {
    auto store = fs::resolveInRoot(state.scan.root, "/var/lib/selinux/" + state.host->selinux_type);
    if (!store || !store->exists) {
      return fail(state, Error{ErrorCode::kNotFound,
                               "--verify-store: the root has no policy store (" +
                                   fs::joinRoot(state.scan.root, "/var/lib/selinux/" + state.host->selinux_type) + ")",
                               0});
    }
  }
  if (!state.host->selinux_type.empty() &&
      moduleInstalled(state.scan.root, state.host->selinux_type, options.module_name)) {
    return fail(state, Error{ErrorCode::kInvalidArgument,
                             "a module named " + options.module_name + " is already installed in " +
                                 fs::joinRoot(state.scan.root, "/var/lib/selinux/" + state.host->selinux_type) +
                                 "; choose another with --module-name",
                             0});
  }
  auto plan = policygen::planSelinux(
      *state.policy, state.report.results,
      options.prefer == "maintained" ? policygen::Prefer::kMaintained : policygen::Prefer::kLeastPrivilege,
      options.module_name);
  if (!plan) return fail(state, plan.error());
  for (auto& label : plan->port_labels) {
    auto defined = state.policy->portLabel(6, label.port);
    label.port_defined = defined.from_portcon && defined.low == label.port && defined.high == label.port;
  }
  state.selinux_plan = std::move(*plan);
  return StepOutcome::kContinue;
}

/// The SELinux what-if (called from proveRepairs): the plan applied to a fresh
/// in-memory copy of the policy; every denied vector must be allowed there, and the
/// difference in allowed tuples is recorded as the grant diff.
StepOutcome proveSelinuxRepairs(AppState& state) {
  if (!state.selinux_plan || state.selinux_plan->findings.empty()) return StepOutcome::kContinue;
  const auto& plan = *state.selinux_plan;
  // Modules that declare types go through CIL (the store's own path); the rest are
  // rules inserted into a fresh copy.
  auto copy = plan.new_types.empty() ? selinux::loadPolicy(*state.host) : state.policy->withCilModule(plan.moduleCil());
  if (!copy) return fail(state, copy.error());
  auto& after = *copy;
  auto& before = *state.policy;
  if (!plan.booleans.empty()) {
    auto set = after.setBooleans(plan.booleans);
    if (!set) return fail(state, set.error());
  }
  for (const auto& label : plan.port_labels) {
    auto type = after.type(label.port_type);
    if (!type) return fail(state, type.error());
    auto set = after.setPortType(6, label.port, *type);
    if (!set) return fail(state, set.error());
  }
  for (const auto& rule : plan.new_types.empty() ? plan.module_rules : std::vector<policygen::ModuleRule>{}) {
    auto source = after.type(rule.source);
    auto target = after.type(rule.target);
    auto tclass = after.securityClass(rule.tclass);
    if (!source || !target || !tclass)
      return fail(state, Error{ErrorCode::kInternal, "module rule names an unknown type", 0});
    auto perms = after.permissions(*tclass, rule.perms);
    if (!perms) return fail(state, perms.error());
    auto added = after.addAllow(*source, *target, *tclass, *perms);
    if (!added) return fail(state, added.error());
  }
  std::vector<std::string> unfixed;
  std::set<std::tuple<selinux::TypeId, selinux::TypeId, selinux::ClassId>> keys;
  for (const auto& finding : plan.findings) {
    const auto& chosen = finding.candidates[finding.chosen];
    for (const auto& missing : finding.result.selinux_missing) {
      std::string target_name = missing.target;
      if (chosen.kind == "selinux-fcontext" || chosen.kind == "selinux-newtype") target_name = chosen.file_type;
      if (chosen.kind == "selinux-port-label" && missing.tclass == "tcp_socket") target_name = chosen.port_type;
      auto source = after.type(missing.source);
      auto target = after.type(target_name);
      auto tclass = after.securityClass(missing.tclass);
      if (!source || !target || !tclass) {
        unfixed.push_back(finding.result.rule + " " + finding.result.object + ": " + target_name +
                          " is not in the planned policy");
        continue;
      }
      auto perms = after.permissions(*tclass, missing.perms);
      auto check = perms ? after.check(*source, *target, *tclass, *perms)
                         : Expected<selinux::AccessCheck>(tl::unexpected(perms.error()));
      if (!check || !check->granted()) {
        unfixed.push_back(finding.result.rule + " " + finding.result.subject + " " + finding.result.object + ": " +
                          missing.source + " " + target_name + ":" + missing.tclass + " still denied");
      }
      keys.insert({*source, *target, *tclass});
    }
    if (finding.result.check == "proxy-reachable" && finding.result.object.rfind("tcp://", 0) == 0) {
      std::string text = finding.result.object.substr(6);
      auto endpoint = text.rfind("*:", 0) == 0
                          ? Expected<selinux::Endpoint>(selinux::Endpoint{"*", finding.result.port, false})
                          : selinux::parseEndpoint(text);
      if (endpoint) {
        auto answer = selinux::queryEndpoint(after, *state.labeler, finding.result.selinux_domain, {}, *endpoint);
        std::string line = finding.result.rule + " " + finding.result.subject + " " + finding.result.object +
                           ": fail -> " + (answer && answer->allowed ? "pass" : "fail") + " (" + chosen.kind + ")";
        state.proof.push_back(line);
        if (!answer || !answer->allowed) unfixed.push_back(line);
      }
    } else {
      state.proof.push_back(finding.result.rule + " " + finding.result.subject + " " + finding.result.object +
                            ": every denied vector allowed (" + chosen.kind + ")");
    }
  }
  // The grant diff: every tuple of the affected (source, target, class) triples that the
  // copy allows and the original does not; booleans add the rules they enable.
  for (const auto& finding : plan.findings) {
    const auto& chosen = finding.candidates[finding.chosen];
    if (chosen.kind != "selinux-boolean") continue;
    for (std::uint32_t cond = 0; cond < after.condCount(); ++cond) {
      for (bool branch : {true, false}) {
        for (const auto& rule : after.conditionalRules(cond, branch)) {
          for (auto source : after.typesOf(rule.source)) {
            for (auto target : after.typesOf(rule.target)) {
              if (keys.size() > 200000) break;
              keys.insert({source, target, rule.tclass});
            }
          }
        }
      }
    }
  }
  std::size_t diff = 0;
  std::set<std::string> granted;
  for (const auto& [source, target, tclass] : keys) {
    // Keys are values of `after`; with a CIL rebuild values can differ, so compare by name.
    std::string source_name = after.typeName(source), target_name = after.typeName(target);
    std::string class_name = after.className(tclass);
    auto old_source = before.type(source_name);
    auto old_target = before.type(target_name);
    auto old_class = before.securityClass(class_name);
    selinux::PermMask had = 0;
    if (old_source && old_target && old_class) had = before.teAllowed(*old_source, *old_target, *old_class);
    selinux::PermMask gained = after.teAllowed(source, target, tclass) & ~had;
    if (!gained) continue;
    for (const auto& perm : after.permissionNames(tclass, gained)) {
      ++diff;
      granted.insert(source_name + " " + target_name + ":" + class_name + " " + perm);
      if (state.grant_diff.size() < 50) {
        state.grant_diff.push_back("+ allow " + source_name + " " + target_name + ":" + class_name + " " + perm);
      }
    }
  }
  state.proof.push_back("SELinux grant diff: " + std::to_string(diff) + " (source, target, class, permission) tuples");
  // The diff must be the plan's grants: every module rule is new in the copy, and
  // without booleans or a declared type (whose attribute rules the plan counts as
  // extra grants) nothing else is.
  std::set<std::string> planned;
  for (const auto& rule : plan.module_rules) {
    for (const auto& perm : rule.perms)
      planned.insert(rule.source + " " + rule.target + ":" + rule.tclass + " " + perm);
  }
  for (const auto& tuple : planned) {
    if (granted.count(tuple) == 0) unfixed.push_back("module rule " + tuple + " grants nothing new");
  }
  if (plan.booleans.empty() && plan.new_types.empty()) {
    for (const auto& tuple : granted) {
      if (planned.count(tuple) == 0) unfixed.push_back("the copy also grants " + tuple + ", which the plan does not");
    }
  }
  for (const auto& label : plan.port_labels) {
    state.grant_diff.push_back("~ portcon tcp " + std::to_string(label.port) + " -> " + label.port_type);
  }
  for (const auto& relabel : plan.relabels) {
    state.grant_diff.push_back("~ file context " + relabel.path + "(/.*)? -> " + relabel.file_type);
  }
  for (const auto& type : plan.new_types) {
    state.grant_diff.push_back("~ new type " + type.file_type + " for " + type.path + "(/.*)?");
  }
  if (!unfixed.empty()) {
    std::string message = "the SELinux plan does not fix every targeted result, or grants what it does not say:";
    for (const auto& line : unfixed) message += "\n  " + line;
    return fail(state, Error{ErrorCode::kInternal, message, 0});
  }
  return StepOutcome::kContinue;
}

/// Writes the SELinux artefacts and compiles NAME.pp (called from writeArtefacts).
Expected<nlohmann::json> writeSelinuxArtefacts(AppState& state, const stdfs::path& out) {
  nlohmann::json json = nlohmann::json::array();
  if (!state.selinux_plan || state.selinux_plan->findings.empty()) return json;
  const auto& plan = *state.selinux_plan;
  auto artefacts = policygen::renderSelinuxArtefacts(plan, *state.policy, state.scan.root, state.host->selinux_type);
  if (!artefacts) return tl::unexpected(artefacts.error());
  stdfs::path dir = out / "selinux";
  stdfs::create_directories(dir);
  for (const auto& [name, text] : artefacts->files) {
    std::ofstream file(dir / name, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file) return makeError(ErrorCode::kUnreadable, "cannot write " + (dir / name).string());
    stdfs::permissions(
        dir / name, name.size() > 3 && name.substr(name.size() - 3) == ".sh" ? stdfs::perms(0755) : stdfs::perms(0644));
  }
  if (artefacts->has_module) {
    std::string scratch = (dir / ".build").string();
    stdfs::create_directories(scratch);
    auto package = policygen::compileModulePackage((dir / (plan.module_name + ".te")).string(),
                                                   artefacts->files.at(plan.module_name + ".fc"), scratch);
    stdfs::remove_all(scratch);
    if (!package) return tl::unexpected(package.error());
    std::ofstream file(dir / (plan.module_name + ".pp"), std::ios::binary | std::ios::trunc);
    file << *package;
  }
  for (const auto& finding : plan.findings) {
    nlohmann::json candidates = nlohmann::json::array();
    for (std::size_t i = 0; i < finding.candidates.size(); ++i) {
      const auto& candidate = finding.candidates[i];
      nlohmann::json item = {{"kind", candidate.kind},
                             {"summary", candidate.summary},
                             {"extra_grants", candidate.extra_grants},
                             {"extra_grants_at_least", candidate.extra_capped},
                             {"revokes", candidate.revokes},
                             {"extra_examples", candidate.extra_examples},
                             {"chosen", i == finding.chosen}};
      if (!candidate.booleans.empty()) item["booleans"] = candidate.booleans;
      if (candidate.port) item["port"] = {{"port", candidate.port}, {"type", candidate.port_type}};
      if (!candidate.file_type.empty()) item["relabel"] = {{"path", candidate.path}, {"type", candidate.file_type}};
      for (const auto& rule : candidate.rules) {
        item["rules"].push_back(
            {{"source", rule.source}, {"target", rule.target}, {"class", rule.tclass}, {"perms", rule.perms}});
      }
      candidates.push_back(std::move(item));
    }
    json.push_back({{"rule", finding.result.rule},
                    {"subject", finding.result.subject},
                    {"object", finding.result.object},
                    {"candidates", candidates}});
  }
  return json;
}

/// --verify-store (called from writeArtefacts before the plan is committed): the
/// staged NAME.pp installed with semodule -p into a temporary copy of the root's
/// store, and every module rule checked in the rebuilt policy.
Expected<std::string> verifyInStore(AppState& state, const stdfs::path& staged) {
  if (!state.generate.verify_store || !state.selinux_plan || state.selinux_plan->findings.empty()) return std::string();
  const auto& plan = *state.selinux_plan;
  if (plan.module_rules.empty() && plan.booleans.empty()) return std::string();
  const std::string& root = state.scan.root;
  const std::string& type = state.host->selinux_type;
  auto store = fs::resolveInRoot(root, "/var/lib/selinux/" + type);
  if (!store || !store->exists) return makeError(ErrorCode::kNotFound, "--verify-store: the root has no policy store");
  char pattern[] = "/tmp/modgate-store-XXXXXX";
  if (!::mkdtemp(pattern)) return makeError(ErrorCode::kInternal, "cannot make a temporary directory", errno);
  std::string alt = pattern;
  struct Cleanup final {
    std::string path;
    ~Cleanup() {
      std::error_code ignored;
      stdfs::remove_all(path, ignored);
    }
  } cleanup{alt};
  std::error_code error;
  stdfs::create_directories(alt + "/var/lib/selinux", error);
  stdfs::create_directories(alt + "/etc", error);
  stdfs::copy(store->host, alt + "/var/lib/selinux/" + type, stdfs::copy_options::recursive, error);
  auto etc = fs::resolveInRoot(root, "/etc/selinux");
  if (etc && etc->exists) stdfs::copy(etc->host, alt + "/etc/selinux", stdfs::copy_options::recursive, error);
  if (error) return makeError(ErrorCode::kUnreadable, "cannot copy the policy store: " + error.message());
  if (!plan.booleans.empty()) {
    // What setsebool -P records: booleans.local in the store, read at every rebuild.
    std::string path = alt + "/var/lib/selinux/" + type + "/active/booleans.local";
    std::string text;
    if (auto existing = fs::readHostFile(path, 1u << 20)) {
      for (const auto& line : gotool::splitLines(*existing)) {
        std::string name = line.substr(0, line.find('='));
        if (!plan.booleans.count(name)) text += line + "\n";
      }
    }
    for (const auto& [name, value] : plan.booleans) text += name + "=" + (value ? "1" : "0") + "\n";
    std::ofstream(path, std::ios::trunc) << text;
  }
  std::vector<std::string> argv = {"semodule", "-p", alt, "-n"};
  if (!plan.module_rules.empty()) {
    argv.insert(argv.end(), {"-X", "400", "-i", (staged / "selinux" / (plan.module_name + ".pp")).string()});
  } else {
    argv.push_back("-B");
  }
  auto run = policygen::runTool(argv);
  if (!run) return tl::unexpected(run.error());
  if (run->exit_status != 0)
    return makeError(ErrorCode::kInternal, "--verify-store: semodule -p failed: " + run->output);
  auto rebuilt = selinux::Policy::fromFile(alt + "/etc/selinux/" + type + "/policy/policy." +
                                           std::to_string(state.policy->version()));
  if (!rebuilt) return tl::unexpected(rebuilt.error());
  std::size_t checked = 0, denied = 0;
  for (const auto& finding : plan.findings) {
    const auto& chosen = finding.candidates[finding.chosen];
    if (chosen.kind == "selinux-port-label" || chosen.kind == "selinux-fcontext") continue;  // semanage, host only
    for (const auto& missing : finding.result.selinux_missing) {
      std::string target_name = chosen.kind == "selinux-newtype" ? chosen.file_type : missing.target;
      auto source = rebuilt->type(missing.source);
      auto target = rebuilt->type(target_name);
      auto tclass = rebuilt->securityClass(missing.tclass);
      ++checked;
      if (!source || !target || !tclass) {
        ++denied;
        continue;
      }
      auto perms = rebuilt->permissions(*tclass, missing.perms);
      auto check = perms ? rebuilt->check(*source, *target, *tclass, *perms)
                         : Expected<selinux::AccessCheck>(tl::unexpected(perms.error()));
      if (!check || !check->granted()) ++denied;
    }
  }
  std::string what = plan.module_rules.empty() ? "the booleans" : plan.module_name;
  if (!plan.module_rules.empty() && !plan.booleans.empty()) what += " and the booleans";
  std::string line = "store: semodule -p rebuilt a copy of the store with " + what + "; " +
                     std::to_string(checked - denied) + "/" + std::to_string(checked) +
                     " denied access vectors allowed by the rebuilt policy";
  if (denied) return makeError(ErrorCode::kInternal, line);
  return line;
}

}  // namespace modgate::cli
