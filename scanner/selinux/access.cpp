#include "scanner/selinux/access.h"

namespace modgate::selinux {
namespace {

constexpr unsigned kComputeConstraint = 0x2;  // SEPOL_COMPUTEAV_CONS
constexpr unsigned kComputeRbac = 0x4;        // SEPOL_COMPUTEAV_RBAC
constexpr unsigned kComputeBounds = 0x8;      // SEPOL_COMPUTEAV_BOUNDS

MissingAccess describe(const Policy& policy, const AccessNeed& need, PermMask perms, DenialReason reason) {
  MissingAccess out;
  out.source = policy.typeName(need.source);
  out.target = policy.typeName(need.target);
  out.tclass = policy.className(need.tclass);
  out.perms = policy.permissionNames(need.tclass, perms);
  out.reason = reason;
  out.purpose = need.purpose;
  out.object = need.object;
  return out;
}

}  // namespace

Expected<AccessNeed> makeNeed(const Policy& policy, TypeId source, TypeId target, std::string_view tclass,
                              const std::vector<std::string>& perms, std::string purpose, std::string object) {
  auto class_id = policy.securityClass(tclass);
  if (!class_id) return tl::unexpected(class_id.error());
  auto mask = policy.permissions(*class_id, perms);
  if (!mask) return tl::unexpected(mask.error());
  return AccessNeed{source, target, *class_id, *mask, std::move(purpose), std::move(object)};
}

Expected<AccessVerdict> evaluateNeeds(Policy& policy, const std::vector<AccessNeed>& needs,
                                      const std::optional<std::string>& source_context) {
  AccessVerdict verdict;
  for (const auto& need : needs) {
    auto check = policy.check(need.source, need.target, need.tclass, need.perms, source_context);
    if (!check) return tl::unexpected(check.error());
    if (check->granted()) continue;
    verdict.allowed = false;
    PermMask denied = need.perms & ~check->allowed;
    PermMask by_rules = denied & ~check->te_allowed;
    PermMask by_other = denied & check->te_allowed;
    if (by_rules) verdict.missing.push_back(describe(policy, need, by_rules, DenialReason::kTypeEnforcement));
    if (by_other) {
      DenialReason reason = DenialReason::kConstraint;
      if ((check->reason_bits & kComputeConstraint) == 0) {
        if (check->reason_bits & kComputeRbac)
          reason = DenialReason::kRoleBased;
        else if (check->reason_bits & kComputeBounds)
          reason = DenialReason::kBounds;
      }
      MissingAccess missing = describe(policy, need, by_other, reason);
      if (reason == DenialReason::kConstraint) missing.constraint = check->constraint_text;
      verdict.missing.push_back(std::move(missing));
    }
  }
  return verdict;
}

}  // namespace modgate::selinux
