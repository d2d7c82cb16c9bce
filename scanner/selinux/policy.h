#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/error.h"

struct mg_policy;

namespace modgate::selinux {

/// Releases a policy loaded by the shim.
struct SepolPolicyDeleter final {
  void operator()(mg_policy* policy) const noexcept;
};
using UniqueSepolPolicy = std::unique_ptr<mg_policy, SepolPolicyDeleter>;

using TypeId = std::uint32_t;    ///< a type's policy value (1-based)
using ClassId = std::uint32_t;   ///< a class's policy value (1-based)
using PermMask = std::uint32_t;  ///< permissions of one class as bits

/// Why the kernel refuses (part of) an access.
enum class DenialReason { kTypeEnforcement, kConstraint, kRoleBased, kBounds };
const char* denialReasonName(DenialReason reason) noexcept;

/// The kernel's answer for one (source, target, class, permissions) question.
struct AccessCheck final {
  PermMask requested = 0;
  PermMask allowed = 0;         ///< of requested, what the kernel grants
  PermMask te_allowed = 0;      ///< of requested, what allow rules grant (booleans as they are);
                                ///< computed only when something is denied
  unsigned reason_bits = 0;     ///< libsepol's SEPOL_COMPUTEAV_* bits
  std::string constraint_text;  ///< the failing constraint, with -Fail- markers
  [[nodiscard]] bool granted() const { return (allowed & requested) == requested; }
};

/// One conditional allow rule block relevant to a question: in effect when
/// conditional `cond` evaluates to `branch`.
struct ConditionalGrant final {
  std::uint32_t cond = 0;
  bool branch = true;
  PermMask perms = 0;
};

/// A token of a conditional expression in reverse Polish notation.
struct CondToken final {
  enum class Op : std::uint32_t { kBool = 1, kNot, kOr, kAnd, kXor, kEq, kNeq };
  Op op = Op::kBool;
  std::uint32_t boolean = 0;  ///< boolean index when op is kBool
};

/// The portcon entry a port falls in.
struct PortLabel final {
  TypeId type = 0;
  unsigned low = 0;
  unsigned high = 0;
  bool from_portcon = false;  ///< false: no entry matched, the "port" initial SID applies
};

/// A loaded binary kernel policy. Not thread-safe: libsepol's decision code works
/// on one process-wide policy, which each call switches to this one.
class Policy final {
 public:
  /// Parses a binary policy held in memory; origin names it in errors.
  static Expected<Policy> fromBytes(std::string_view bytes, const std::string& origin);
  /// Reads and parses a binary policy file of this machine.
  static Expected<Policy> fromFile(const std::string& path);

  [[nodiscard]] unsigned version() const;
  [[nodiscard]] bool mls() const;

  // Names and values. Errors are kUnknownName with the name in the message.
  [[nodiscard]] Expected<TypeId> type(std::string_view name) const;
  [[nodiscard]] std::string typeName(TypeId type) const;
  [[nodiscard]] std::uint32_t typeCount() const;  ///< types and attributes; values are 1..typeCount()
  [[nodiscard]] bool isAttribute(TypeId type) const;
  [[nodiscard]] std::vector<TypeId> attributesOf(TypeId type) const;
  [[nodiscard]] Expected<ClassId> securityClass(std::string_view name) const;
  [[nodiscard]] std::string className(ClassId tclass) const;
  [[nodiscard]] Expected<PermMask> permissions(ClassId tclass, const std::vector<std::string>& names) const;
  [[nodiscard]] std::vector<std::string> permissionNames(ClassId tclass, PermMask mask) const;
  [[nodiscard]] bool roleHasType(std::string_view role, TypeId type) const;

  // Booleans.
  [[nodiscard]] std::size_t booleanCount() const;
  [[nodiscard]] std::string booleanName(std::uint32_t index) const;
  [[nodiscard]] std::optional<std::uint32_t> booleanIndex(std::string_view name) const;
  [[nodiscard]] bool booleanState(std::uint32_t index) const;
  /// Sets booleans by name (others keep their state) and re-evaluates conditionals.
  Expected<void> setBooleans(const std::map<std::string, bool>& values);

  // Conditional rules.
  [[nodiscard]] std::uint32_t condCount() const;
  [[nodiscard]] std::vector<CondToken> condExpression(std::uint32_t cond) const;
  [[nodiscard]] std::vector<ConditionalGrant> conditionalGrants(TypeId source, TypeId target, ClassId tclass,
                                                                PermMask perms) const;
  [[nodiscard]] PermMask unconditionalAllowed(TypeId source, TypeId target, ClassId tclass) const;
  /// What allow rules grant now (unconditional and enabled conditional), attributes expanded.
  [[nodiscard]] PermMask teAllowed(TypeId source, TypeId target, ClassId tclass) const;

  /// The kernel's decision at type level (system_u, lowest level), or with the
  /// given full source context when there is one.
  Expected<AccessCheck> check(TypeId source, TypeId target, ClassId tclass, PermMask requested,
                              const std::optional<std::string>& source_context = {});
  /// The same decision computed by libsepol alone (slower; for verification).
  Expected<AccessCheck> referenceCheck(TypeId source, TypeId target, ClassId tclass, PermMask requested,
                                       const std::optional<std::string>& source_context = {});
  /// Validates a full context; returns its type.
  Expected<TypeId> contextType(const std::string& context);

  /// Types an attribute stands for (a type: itself).
  [[nodiscard]] std::vector<TypeId> typesOf(TypeId type_or_attribute) const;
  /// One allow rule as stored (source/target may be attributes).
  struct Rule final {
    TypeId source = 0;
    TypeId target = 0;
    ClassId tclass = 0;
    PermMask perms = 0;
  };
  /// The allow rules a conditional enables when it evaluates to branch.
  [[nodiscard]] std::vector<Rule> conditionalRules(std::uint32_t cond, bool branch) const;
  /// What-if only: adds an allow rule to this in-memory policy.
  Expected<void> addAllow(TypeId source, TypeId target, ClassId tclass, PermMask perms);
  /// What-if for modules that declare types: this policy with a CIL module compiled
  /// in (as a new in-memory Policy, booleans as this one has them).
  [[nodiscard]] Expected<Policy> withCilModule(const std::string& module_cil) const;
  /// What-if only: labels one port of this in-memory policy.
  Expected<void> setPortType(unsigned protocol, unsigned port, TypeId type);

  [[nodiscard]] TypeId typeTransition(TypeId source, TypeId target, ClassId tclass) const;
  [[nodiscard]] PortLabel portLabel(unsigned protocol, unsigned port) const;

 private:
  explicit Policy(UniqueSepolPolicy handle) : handle_(std::move(handle)) {}
  Expected<AccessCheck> decide(TypeId source, TypeId target, ClassId tclass, PermMask requested,
                               const std::optional<std::string>& source_context, bool reference);
  UniqueSepolPolicy handle_;
};

/// Packages a compiled module with its file contexts (semodule_package's job, done by libsepol).
Expected<std::string> packageModule(std::string_view mod, std::string_view file_contexts);

}  // namespace modgate::selinux
