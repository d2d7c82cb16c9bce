#include "policygen/selinux/selinux_artefacts.h"

#include <kainjow/mustache.hpp>

#include <cstdio>
#include <set>

#include "policygen/core/process.h"
#include "policygen/core/render.h"
#include "policygen/core/shell.h"
#include "scanner/fs/root_path.h"

namespace modgate::policygen {

extern const unsigned char kSelinuxTeTemplate[];
extern const std::size_t kSelinuxTeTemplate_size;
extern const unsigned char kSelinuxCilTemplate[];
extern const std::size_t kSelinuxCilTemplate_size;
extern const unsigned char kSelinuxFcTemplate[];
extern const std::size_t kSelinuxFcTemplate_size;
extern const unsigned char kSelinuxIfTemplate[];
extern const std::size_t kSelinuxIfTemplate_size;
extern const unsigned char kSelinuxApplyTemplate[];
extern const std::size_t kSelinuxApplyTemplate_size;
extern const unsigned char kSelinuxRollbackTemplate[];
extern const std::size_t kSelinuxRollbackTemplate_size;

namespace {

using Data = kainjow::mustache::data;

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

}  // namespace

Expected<SelinuxArtefacts> renderSelinuxArtefacts(const SelinuxPlan& plan, const selinux::Policy& policy,
                                                  const std::string& root, const std::string& policy_type) {
  SelinuxArtefacts out;
  out.has_module = !plan.module_rules.empty();
  Data data;
  data.set("version", MODGATE_VERSION);
  data.set("name", plan.module_name);
  data.set("root_q", shellQuote(root));
  data.set("policy_type", policy_type);
  Data findings{Data::type::list};
  for (const auto& finding : plan.findings) {
    findings.push_back(
        Data{commentSafe(finding.result.rule + " " + finding.result.subject + " " + finding.result.object)});
  }
  data.set("findings", findings);
  std::set<std::string> types, declared;
  for (const auto& type : plan.new_types) declared.insert(type.file_type);
  std::map<std::string, std::set<std::string>> classes;
  Data rules{Data::type::list};
  for (const auto& rule : plan.module_rules) {
    if (!declared.count(rule.source)) types.insert(rule.source);
    if (!declared.count(rule.target)) types.insert(rule.target);
    classes[rule.tclass].insert(rule.perms.begin(), rule.perms.end());
    Data item;
    item.set("source", rule.source);
    item.set("target", rule.target);
    item.set("tclass", rule.tclass);
    item.set("perms", joined(rule.perms));
    rules.push_back(item);
  }
  Data type_list{Data::type::list};
  for (const auto& type : types) type_list.push_back(Data{type});
  Data class_list{Data::type::list};
  for (const auto& [name, perms] : classes) {
    Data item;
    item.set("name", name);
    item.set("perms", joined(std::vector<std::string>(perms.begin(), perms.end())));
    class_list.push_back(item);
  }
  data.set("types", type_list);
  data.set("classes", class_list);
  data.set("rules", rules);
  data.set("has_module", out.has_module);
  data.set("cil", plan.moduleCil());
  Data new_types{Data::type::list};
  for (const auto& type : plan.new_types) {
    Data item;
    item.set("name", type.file_type);
    item.set("path_comment", commentSafe(type.path));
    // file_contexts regular expression: the path's metacharacters escaped.
    std::string regex;
    // Fields of a file_contexts line are separated by blanks: whitespace and control
    // bytes are written as \xHH, regex metacharacters are escaped.
    for (char c : type.path) {
      auto byte = static_cast<unsigned char>(c);
      if (byte <= 0x20 || byte == 0x7f) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", byte);
        regex += hex;
        continue;
      }
      if (std::string_view(".^$*+?()[]{}|\\").find(c) != std::string_view::npos) regex += '\\';
      regex += c;
    }
    item.set("regex", regex + "(/.*)?");
    item.set("context", "system_u:object_r:" + type.file_type + (policy.mls() ? ":s0" : ""));
    item.set("path_q", shellQuote(fs::joinRoot(root, type.path)));
    new_types.push_back(item);
  }
  data.set("new_types", new_types);
  data.set("has_new_types", !plan.new_types.empty());
  Data ports{Data::type::list};
  for (const auto& port : plan.port_labels) {
    Data item;
    item.set("verb", port.port_defined ? "-m" : "-a");
    item.set("type", port.port_type);
    item.set("port", std::to_string(port.port));
    ports.push_back(item);
  }
  data.set("ports", ports);
  Data relabels{Data::type::list};
  for (const auto& relabel : plan.relabels) {
    Data item;
    item.set("type", relabel.file_type);
    item.set("regex_q", shellQuote(relabel.path + "(/.*)?"));
    item.set("path_q", shellQuote(fs::joinRoot(root, relabel.path)));
    relabels.push_back(item);
  }
  data.set("relabels", relabels);
  Data booleans{Data::type::list};
  for (const auto& [name, value] : plan.booleans) {
    Data item;
    item.set("name", name);
    item.set("value", value ? "1" : "0");
    auto index = policy.booleanIndex(name);
    item.set("previous", index && policy.booleanState(*index) ? "1" : "0");
    booleans.push_back(item);
  }
  data.set("booleans", booleans);
  data.set("has_booleans", !plan.booleans.empty());
  bool host_only =
      !plan.port_labels.empty() || !plan.relabels.empty() || !plan.booleans.empty() || !plan.new_types.empty();
  data.set("host_only_changes", host_only ? "1" : "0");
  struct Job final {
    const char* file;
    const unsigned char* bytes;
    std::size_t size;
  };
  std::vector<Job> jobs = {{"apply.sh", kSelinuxApplyTemplate, kSelinuxApplyTemplate_size},
                           {"rollback.sh", kSelinuxRollbackTemplate, kSelinuxRollbackTemplate_size}};
  if (out.has_module) {
    jobs.push_back({".te", kSelinuxTeTemplate, kSelinuxTeTemplate_size});
    jobs.push_back({".cil", kSelinuxCilTemplate, kSelinuxCilTemplate_size});
    jobs.push_back({".fc", kSelinuxFcTemplate, kSelinuxFcTemplate_size});
    jobs.push_back({".if", kSelinuxIfTemplate, kSelinuxIfTemplate_size});
  }
  for (const auto& job : jobs) {
    auto text = renderTemplate(job.bytes, job.size, data, job.file);
    if (!text) return tl::unexpected(text.error());
    std::string name = job.file[0] == '.' ? plan.module_name + job.file : job.file;
    out.files[name] = *text;
  }
  return out;
}

Expected<std::string> compileModulePackage(const std::string& te_path, const std::string& fc_text,
                                           const std::string& scratch_dir) {
  // checkmodule wants the output named after the module.
  std::string base = te_path.substr(te_path.rfind('/') + 1);
  std::string mod_path = scratch_dir + "/" + base.substr(0, base.rfind('.')) + ".mod";
  auto run = runTool({"checkmodule", "-M", "-m", "-o", mod_path, te_path});
  if (!run) return tl::unexpected(run.error());
  if (run->exit_status != 0) {
    return makeError(ErrorCode::kInternal, "checkmodule rejected " + te_path + ": " + run->output);
  }
  auto mod = fs::readHostFile(mod_path, 64u << 20);
  if (!mod) return tl::unexpected(mod.error());
  return selinux::packageModule(*mod, fc_text);
}

}  // namespace modgate::policygen
