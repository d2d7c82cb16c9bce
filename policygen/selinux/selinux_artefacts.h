#pragma once

#include <map>
#include <string>

#include "policygen/selinux/selinux_plan.h"
#include "scanner/core/error.h"
#include "scanner/selinux/policy.h"

namespace modgate::policygen {

/// The files of an SELinux plan, by name (NAME.te, NAME.cil, NAME.fc, NAME.if,
/// apply.sh, rollback.sh), rendered from templates/selinux.
struct SelinuxArtefacts final {
  std::map<std::string, std::string> files;
  bool has_module = false;
};

/// Renders the artefacts; previous boolean values come from policy.
Expected<SelinuxArtefacts> renderSelinuxArtefacts(const SelinuxPlan& plan, const selinux::Policy& policy,
                                                  const std::string& root, const std::string& policy_type);

/// NAME.pp: checkmodule (run with an argument vector) compiles NAME.te into a .mod
/// in scratch_dir, libsepol packages it with NAME.fc.
Expected<std::string> compileModulePackage(const std::string& te_path, const std::string& fc_text,
                                           const std::string& scratch_dir);

}  // namespace modgate::policygen
