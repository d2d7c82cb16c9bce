#include "scanner/selinux/transitions.h"

namespace modgate::selinux {
Expected<ExecOutcome> execTransition(Policy& policy, TypeId domain, TypeId file_type, const std::string& role) {
  auto process = policy.securityClass("process");
  if (!process) return tl::unexpected(process.error());
  TypeId new_domain = policy.typeTransition(domain, file_type, *process);
  ExecOutcome out;
  out.domain = policy.typeName(domain);
  out.file_type = policy.typeName(file_type);
  out.transitions = new_domain != 0 && new_domain != domain;
  if (!out.transitions) new_domain = domain;
  out.new_domain = policy.typeName(new_domain);
  out.role = role;

  std::vector<Expected<AccessNeed>> candidates;
  if (out.transitions) {
    candidates.push_back(
        makeNeed(policy, domain, file_type, "file", {"execute"}, "execute the program", out.file_type));
    candidates.push_back(
        makeNeed(policy, domain, new_domain, "process", {"transition"}, "enter " + out.new_domain, out.new_domain));
    candidates.push_back(makeNeed(policy, new_domain, file_type, "file", {"entrypoint"},
                                  "start " + out.new_domain + " from this file", out.file_type));
    out.role_allows = policy.roleHasType(role, new_domain);
  } else {
    candidates.push_back(makeNeed(policy, domain, file_type, "file", {"execute", "execute_no_trans"},
                                  "execute the program in the caller's domain", out.file_type));
  }
  std::vector<AccessNeed> needs;
  for (auto& candidate : candidates) {
    if (!candidate) return tl::unexpected(candidate.error());
    needs.push_back(std::move(*candidate));
  }
  auto verdict = evaluateNeeds(policy, needs);
  if (!verdict) return tl::unexpected(verdict.error());
  out.missing = std::move(verdict->missing);
  out.allowed = verdict->allowed && out.role_allows;
  return out;
}

}  // namespace modgate::selinux
