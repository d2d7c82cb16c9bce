#include "scanner/selinux/policy.h"

#include <cstdlib>

#include "scanner/fs/root_path.h"
#include "scanner/selinux/sepol_shim.h"

namespace modgate::selinux {
namespace {

/// Frees a string libsepol allocated with malloc.
struct MallocDeleter final {
  void operator()(char* text) const noexcept { std::free(text); }
};

}  // namespace

void SepolPolicyDeleter::operator()(mg_policy* policy) const noexcept {
  mg_policy_free(policy);
}

const char* denialReasonName(DenialReason reason) noexcept {
  switch (reason) {
    case DenialReason::kTypeEnforcement:
      return "te";
    case DenialReason::kConstraint:
      return "constraint";
    case DenialReason::kRoleBased:
      return "rbac";
    case DenialReason::kBounds:
      return "bounds";
  }
  return "te";
}

Expected<Policy> Policy::fromBytes(std::string_view bytes, const std::string& origin) {
  if (bytes.empty()) return makeError(ErrorCode::kInvalidPolicy, "policy '" + origin + "' is empty");
  char reason[320] = "";
  UniqueSepolPolicy handle(mg_policy_load(bytes.data(), bytes.size(), reason, sizeof reason));
  if (!handle) {
    return makeError(ErrorCode::kInvalidPolicy, "policy '" + origin + "': " + reason);
  }
  return Policy(std::move(handle));
}

Expected<Policy> Policy::fromFile(const std::string& path) {
  auto bytes = fs::readHostFile(path, std::size_t{256} << 20);
  if (!bytes) return tl::unexpected(bytes.error());
  return fromBytes(*bytes, path);
}

unsigned Policy::version() const {
  return mg_policy_version(handle_.get());
}
bool Policy::mls() const {
  return mg_policy_mls(handle_.get()) != 0;
}

Expected<TypeId> Policy::type(std::string_view name) const {
  std::string key(name);
  TypeId value = mg_type_value(handle_.get(), key.c_str());
  if (value == 0) return makeError(ErrorCode::kUnknownName, "type '" + key + "' is not in the policy");
  return value;
}

std::string Policy::typeName(TypeId type) const {
  const char* name = mg_type_name(handle_.get(), type);
  return name ? name : "<type " + std::to_string(type) + ">";
}

std::uint32_t Policy::typeCount() const {
  return mg_type_count(handle_.get());
}

bool Policy::isAttribute(TypeId type) const {
  return mg_type_is_attribute(handle_.get(), type) != 0;
}

std::vector<TypeId> Policy::attributesOf(TypeId type) const {
  std::vector<TypeId> out(mg_type_attributes(handle_.get(), type, nullptr, 0));
  if (!out.empty()) mg_type_attributes(handle_.get(), type, out.data(), out.size());
  return out;
}

Expected<ClassId> Policy::securityClass(std::string_view name) const {
  std::string key(name);
  ClassId value = mg_class_value(handle_.get(), key.c_str());
  if (value == 0) return makeError(ErrorCode::kUnknownName, "class '" + key + "' is not in the policy");
  return value;
}

std::string Policy::className(ClassId tclass) const {
  const char* name = mg_class_name(handle_.get(), tclass);
  return name ? name : "<class " + std::to_string(tclass) + ">";
}

Expected<PermMask> Policy::permissions(ClassId tclass, const std::vector<std::string>& names) const {
  PermMask mask = 0;
  for (const auto& name : names) {
    PermMask bit = mg_perm_bit(handle_.get(), tclass, name.c_str());
    if (bit == 0) {
      return makeError(ErrorCode::kUnknownName,
                       "permission '" + name + "' is not in class '" + className(tclass) + "'");
    }
    mask |= bit;
  }
  return mask;
}

std::vector<std::string> Policy::permissionNames(ClassId tclass, PermMask mask) const {
  std::vector<std::string> out;
  for (unsigned bit = 0; bit < 32; ++bit) {
    if ((mask & (PermMask{1} << bit)) == 0) continue;
    const char* name = mg_perm_name(handle_.get(), tclass, bit);
    out.emplace_back(name ? name : "<perm " + std::to_string(bit) + ">");
  }
  return out;
}

bool Policy::roleHasType(std::string_view role, TypeId type) const {
  std::string key(role);
  return mg_role_has_type(handle_.get(), mg_role_value(handle_.get(), key.c_str()), type) != 0;
}

std::size_t Policy::booleanCount() const {
  return mg_bool_count(handle_.get());
}

std::string Policy::booleanName(std::uint32_t index) const {
  const char* name = mg_bool_name(handle_.get(), index);
  return name ? name : "";
}

std::optional<std::uint32_t> Policy::booleanIndex(std::string_view name) const {
  std::string key(name);
  int index = mg_bool_index(handle_.get(), key.c_str());
  if (index < 0) return std::nullopt;
  return static_cast<std::uint32_t>(index);
}

bool Policy::booleanState(std::uint32_t index) const {
  return mg_bool_state(handle_.get(), index) != 0;
}

Expected<void> Policy::setBooleans(const std::map<std::string, bool>& values) {
  std::vector<int> states(booleanCount());
  for (std::uint32_t i = 0; i < states.size(); ++i) states[i] = booleanState(i) ? 1 : 0;
  for (const auto& [name, value] : values) {
    auto index = booleanIndex(name);
    if (!index) return makeError(ErrorCode::kUnknownName, "boolean '" + name + "' is not in the policy");
    states[*index] = value ? 1 : 0;
  }
  if (mg_bool_set_states(handle_.get(), states.data(), states.size()) != 0) {
    return makeError(ErrorCode::kInternal, "libsepol could not re-evaluate the conditional rules");
  }
  return {};
}

std::uint32_t Policy::condCount() const {
  return mg_cond_count(handle_.get());
}

std::vector<CondToken> Policy::condExpression(std::uint32_t cond) const {
  std::size_t count = mg_cond_expr(handle_.get(), cond, nullptr, 0);
  std::vector<mg_cond_token> raw(count);
  if (count) mg_cond_expr(handle_.get(), cond, raw.data(), raw.size());
  std::vector<CondToken> out;
  out.reserve(count);
  for (const auto& token : raw) out.push_back({static_cast<CondToken::Op>(token.op), token.boolean});
  return out;
}

std::vector<ConditionalGrant> Policy::conditionalGrants(TypeId source, TypeId target, ClassId tclass,
                                                        PermMask perms) const {
  std::vector<mg_cond_grant> raw(16);
  std::size_t count = mg_cond_grants(handle_.get(), source, target, tclass, perms, raw.data(), raw.size());
  if (count > raw.size()) {
    raw.resize(count);
    count = mg_cond_grants(handle_.get(), source, target, tclass, perms, raw.data(), raw.size());
  }
  std::vector<ConditionalGrant> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back({raw[i].cond, raw[i].branch != 0, raw[i].perms});
  return out;
}

PermMask Policy::unconditionalAllowed(TypeId source, TypeId target, ClassId tclass) const {
  return mg_te_unconditional(handle_.get(), source, target, tclass);
}

PermMask Policy::teAllowed(TypeId source, TypeId target, ClassId tclass) const {
  return mg_te_allowed(handle_.get(), source, target, tclass);
}

Expected<AccessCheck> Policy::check(TypeId source, TypeId target, ClassId tclass, PermMask requested,
                                    const std::optional<std::string>& source_context) {
  return decide(source, target, tclass, requested, source_context, false);
}

Expected<AccessCheck> Policy::referenceCheck(TypeId source, TypeId target, ClassId tclass, PermMask requested,
                                             const std::optional<std::string>& source_context) {
  return decide(source, target, tclass, requested, source_context, true);
}

Expected<AccessCheck> Policy::decide(TypeId source, TypeId target, ClassId tclass, PermMask requested,
                                     const std::optional<std::string>& source_context, bool reference) {
  mg_decision decision{};
  const char* context = source_context ? source_context->c_str() : nullptr;
  int rc = reference ? mg_compute_reference(handle_.get(), context, source, target, tclass, requested, &decision)
                     : mg_compute(handle_.get(), context, source, target, tclass, requested, &decision);
  if (rc != 0) {
    return makeError(ErrorCode::kInternal, "libsepol could not compute the access decision for " + typeName(source) +
                                               " -> " + typeName(target) + ":" + className(tclass));
  }
  std::unique_ptr<char, MallocDeleter> text(decision.constraint_text);
  AccessCheck out;
  out.requested = requested;
  out.allowed = decision.allowed & requested;
  // What allow rules grant only matters to explain a denial.
  out.te_allowed = out.granted() ? requested : mg_te_allowed(handle_.get(), source, target, tclass) & requested;
  out.reason_bits = decision.reason;
  if (text) out.constraint_text = text.get();
  return out;
}

Expected<TypeId> Policy::contextType(const std::string& context) {
  std::uint32_t type = 0;
  if (mg_context_check(handle_.get(), context.c_str(), &type) != 0) {
    return makeError(ErrorCode::kUnknownName, "context '" + context +
                                                  "' is not valid in the policy (unknown user, role, "
                                                  "type or level, or a role not authorised for the type)");
  }
  return type;
}

std::vector<TypeId> Policy::typesOf(TypeId type_or_attribute) const {
  std::vector<TypeId> out(mg_attribute_types(handle_.get(), type_or_attribute, nullptr, 0));
  if (!out.empty()) mg_attribute_types(handle_.get(), type_or_attribute, out.data(), out.size());
  return out;
}

std::vector<Policy::Rule> Policy::conditionalRules(std::uint32_t cond, bool branch) const {
  std::size_t count = mg_cond_rules(handle_.get(), cond, branch ? 1 : 0, nullptr, 0);
  std::vector<mg_rule> raw(count);
  if (count) mg_cond_rules(handle_.get(), cond, branch ? 1 : 0, raw.data(), raw.size());
  std::vector<Rule> out;
  out.reserve(count);
  for (const auto& rule : raw) out.push_back({rule.source, rule.target, rule.tclass, rule.perms});
  return out;
}

Expected<void> Policy::addAllow(TypeId source, TypeId target, ClassId tclass, PermMask perms) {
  if (mg_add_allow(handle_.get(), source, target, tclass, perms) != 0) {
    return makeError(ErrorCode::kInternal, "cannot add allow " + typeName(source) + " " + typeName(target) + ":" +
                                               className(tclass) + " to the in-memory policy");
  }
  return {};
}

Expected<Policy> Policy::withCilModule(const std::string& module_cil) const {
  char* bytes = nullptr;
  std::size_t size = 0;
  char reason[256] = "";
  if (mg_policy_with_cil(handle_.get(), module_cil.data(), module_cil.size(), &bytes, &size, reason, sizeof reason) !=
      0) {
    return makeError(ErrorCode::kInternal, std::string("CIL what-if: ") + reason);
  }
  std::unique_ptr<char, MallocDeleter> owned(bytes);
  return Policy::fromBytes(std::string_view(bytes, size), "policy with the module");
}

Expected<void> Policy::setPortType(unsigned protocol, unsigned port, TypeId type) {
  if (mg_set_port_type(handle_.get(), protocol, port, type) != 0) {
    return makeError(ErrorCode::kInternal, "cannot relabel port " + std::to_string(port) + " in memory");
  }
  return {};
}

TypeId Policy::typeTransition(TypeId source, TypeId target, ClassId tclass) const {
  return mg_type_transition(handle_.get(), source, target, tclass);
}

PortLabel Policy::portLabel(unsigned protocol, unsigned port) const {
  PortLabel out;
  out.type = mg_port_type(handle_.get(), protocol, port, &out.low, &out.high);
  if (out.type != 0) {
    out.from_portcon = true;
    return out;
  }
  out.type = mg_initial_sid_type(handle_.get(), "port");
  out.low = out.high = port;
  return out;
}

Expected<std::string> packageModule(std::string_view mod, std::string_view file_contexts) {
  char* bytes = nullptr;
  std::size_t size = 0;
  char reason[256] = "";
  if (mg_package_module(mod.data(), mod.size(), file_contexts.data(), file_contexts.size(), &bytes, &size, reason,
                        sizeof reason) != 0) {
    return makeError(ErrorCode::kInternal, std::string("cannot package the module: ") + reason);
  }
  std::unique_ptr<char, MallocDeleter> owned(bytes);
  return std::string(bytes, size);
}

}  // namespace modgate::selinux
