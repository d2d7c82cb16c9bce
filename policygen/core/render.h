#pragma once

#include <string>

#include "policygen/acl/acl_plan.h"
#include "policygen/goenv/goenv_plan.h"
#include "scanner/core/error.h"

namespace modgate::policygen {

/// A script and its undo, rendered from templates/.
struct RenderedScripts final {
  std::string apply;
  std::string rollback;
};

/// templates/acl/{apply,rollback}.sh for one cache of root.
Expected<RenderedScripts> renderAclScripts(const AclPlan& plan, const std::string& root);

/// templates/goenv/{apply,rollback}.sh; files/N, originals/N and absent/N are written
/// by the caller with the numbers these scripts use (N = index + 1).
Expected<RenderedScripts> renderGoEnvScripts(const GoEnvPlan& plan, const std::string& root);

}  // namespace modgate::policygen
