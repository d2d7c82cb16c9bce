#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/error.h"
#include "scanner/selinux/policy.h"

namespace modgate::selinux {

/// One access a subject needs: source domain, target type, class, permissions,
/// with what it is for and on which object, so a denial can be explained.
struct AccessNeed final {
  TypeId source = 0;
  TypeId target = 0;
  ClassId tclass = 0;
  PermMask perms = 0;
  std::string purpose;  ///< e.g. "connect to port 3000", "create files in the cache"
  std::string object;   ///< "tcp://host:port", a path, or "self"
};

/// Builds a need from class and permission names; kUnknownName if the policy lacks one.
Expected<AccessNeed> makeNeed(const Policy& policy, TypeId source, TypeId target, std::string_view tclass,
                              const std::vector<std::string>& perms, std::string purpose, std::string object);

/// Permissions of one need that the policy refuses, and why.
struct MissingAccess final {
  std::string source;
  std::string target;
  std::string tclass;
  std::vector<std::string> perms;
  DenialReason reason = DenialReason::kTypeEnforcement;
  std::string constraint;  ///< the failing constraint expression, for kConstraint
  std::string purpose;
  std::string object;
};

/// The answer for a set of needs: allowed only if every need is granted.
struct AccessVerdict final {
  bool allowed = true;
  std::vector<MissingAccess> missing;
};

/// Asks the kernel's decision code for each need; source_context, when given,
/// replaces the type-level source context (so user and role constraints apply).
Expected<AccessVerdict> evaluateNeeds(Policy& policy, const std::vector<AccessNeed>& needs,
                                      const std::optional<std::string>& source_context = {});

}  // namespace modgate::selinux
