#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/eval/results.h"
#include "scanner/selinux/policy.h"

namespace modgate::policygen {

/// How the planner chooses among candidates (DESIGN.md, "Remedies").
enum class Prefer {
  kLeastPrivilege,  ///< fewest extra grants; ties: boolean, port label, relabel, module
  kMaintained,      ///< booleans and labels the policy maintainers keep, before a module
};

/// One allow rule of a generated module: one domain, one target type, one class.
struct ModuleRule final {
  std::string source;
  std::string target;
  std::string tclass;
  std::vector<std::string> perms;
};

/// A way to turn a failed SELinux result into a pass, and what else it grants.
struct SelinuxCandidate final {
  std::string kind;  ///< selinux-boolean | selinux-port-label | selinux-fcontext | selinux-newtype | selinux-module
  std::string summary;
  std::map<std::string, bool> booleans;  ///< selinux-boolean
  unsigned port = 0;                     ///< selinux-port-label
  std::string port_type;
  bool port_defined = false;                ///< the policy labels exactly this port: semanage port -m
  std::string path;                         ///< selinux-fcontext, selinux-newtype: the cache
  std::string file_type;                    ///< the type it gets (new for selinux-newtype)
  std::vector<ModuleRule> rules;            ///< selinux-module
  std::size_t extra_grants = 0;             ///< (source, target, class, permission) tuples allowed beyond the need
  bool extra_capped = false;                ///< counting stopped at a limit: at least extra_grants
  std::size_t revokes = 0;                  ///< tuples it takes away (port labels and relabels)
  std::vector<std::string> extra_examples;  ///< a few of them, "httpd_t ftp_port_t:tcp_socket name_connect"
  int rank = 0;                             ///< 0 boolean, 1 port label, 2 relabel, 3 module
};

/// A failed SELinux result and what could fix it.
struct SelinuxFinding final {
  eval::Result result;  ///< the failed result (rule, subject, object, denials)
  std::vector<SelinuxCandidate> candidates;
  std::size_t chosen = 0;
};

struct SelinuxPlan final {
  std::string module_name;
  std::vector<SelinuxFinding> findings;
  /// The chosen changes, merged.
  std::map<std::string, bool> booleans;
  std::vector<SelinuxCandidate> port_labels;
  std::vector<SelinuxCandidate> relabels;
  std::vector<SelinuxCandidate> new_types;  ///< cache types the module declares (rules in module_rules)
  std::vector<ModuleRule> module_rules;
  /// The module as CIL: new types, their file_type attribute, and every rule.
  [[nodiscard]] std::string moduleCil() const;
};

/// Plans the least-privilege fix for every failed result SELinux alone (or in part)
/// denies by type enforcement. Constraint denials get no candidate.
Expected<SelinuxPlan> planSelinux(selinux::Policy& policy, const std::vector<eval::Result>& results, Prefer prefer,
                                  const std::string& module_name);

}  // namespace modgate::policygen
