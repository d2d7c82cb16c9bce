#pragma once

#include <string>
#include <vector>

#include "scanner/core/error.h"
#include "scanner/selinux/access.h"
#include "scanner/selinux/policy.h"

namespace modgate::selinux {

/// What happens when a domain executes a file of some type.
struct ExecOutcome final {
  std::string domain;        ///< the caller
  std::string file_type;     ///< the executable's type
  std::string new_domain;    ///< the domain the program runs in
  bool transitions = false;  ///< new_domain differs from domain (a type_transition rule)
  bool allowed = true;       ///< execute, transition, entrypoint and role all permit it
  std::string role;          ///< the role checked for new_domain
  bool role_allows = true;   ///< role is authorised for new_domain
  std::vector<MissingAccess> missing;
};

/// The kernel's exec logic: new domain from type_transition (domain, file_type,
/// process) or the caller's; with a transition, execute on the file, transition
/// to the new domain, entrypoint from the file and the role's authorisation;
/// without one, execute and execute_no_trans.
Expected<ExecOutcome> execTransition(Policy& policy, TypeId domain, TypeId file_type,
                                     const std::string& role = "system_r");

}  // namespace modgate::selinux
