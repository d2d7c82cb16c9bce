#pragma once

#include <string>

#include <kainjow/mustache.hpp>

#include "policygen/acl/acl_plan.h"
#include "policygen/goenv/goenv_plan.h"
#include "scanner/core/error.h"

namespace modgate::policygen {

/// Renders one embedded mustache template (bytes, size) with data; name appears in errors.
Expected<std::string> renderTemplate(const unsigned char* bytes, std::size_t size, const kainjow::mustache::data& data,
                                     const char* name);

/// Text safe inside a shell or policy comment line: control characters become '?'.
std::string commentSafe(const std::string& value);

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
