#include "policygen/core/render.h"

#include <kainjow/mustache.hpp>

#include <cstdio>

#include "policygen/core/shell.h"

namespace modgate::policygen {

extern const unsigned char kAclApplyTemplate[];
extern const std::size_t kAclApplyTemplate_size;
extern const unsigned char kAclRollbackTemplate[];
extern const std::size_t kAclRollbackTemplate_size;
extern const unsigned char kGoEnvApplyTemplate[];
extern const std::size_t kGoEnvApplyTemplate_size;
extern const unsigned char kGoEnvRollbackTemplate[];
extern const std::size_t kGoEnvRollbackTemplate_size;

namespace {

using Data = kainjow::mustache::data;

std::string octal(unsigned value, int width) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%0*o", width, value);
  return buffer;
}

std::string joinComma(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace

Expected<std::string> renderTemplate(const unsigned char* bytes, std::size_t size, const kainjow::mustache::data& data,
                                     const char* name) {
  kainjow::mustache::mustache tmpl{std::string(reinterpret_cast<const char*>(bytes), size)};
  if (!tmpl.is_valid())
    return makeError(ErrorCode::kInternal, std::string("template ") + name + ": " + tmpl.error_message());
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid())
    return makeError(ErrorCode::kInternal, std::string("template ") + name + ": " + tmpl.error_message());
  return out;
}

std::string commentSafe(const std::string& value) {
  std::string out;
  for (char c : value) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out;
}

Expected<RenderedScripts> renderAclScripts(const AclPlan& plan, const std::string& root) {
  Data data;
  data.set("version", MODGATE_VERSION);
  data.set("cache_id", commentSafe(plan.cache_id));
  data.set("path_comment", commentSafe(plan.path));
  data.set("root_q", shellQuote(root));
  data.set("path_q", shellQuote(plan.path));
  Data reasons{Data::type::list};
  for (const auto& reason : plan.reasons) reasons.push_back(Data{commentSafe(reason)});
  data.set("reasons", reasons);
  data.set("has_group", plan.gid.has_value());
  if (plan.gid) data.set("gid", std::to_string(*plan.gid));
  data.set("group_name_comment", commentSafe(plan.group_name));
  data.set("has_dir_bits", plan.directory_bits != 0);
  data.set("dir_octal", octal(plan.directory_bits, 4));
  data.set("dir_symbolic", symbolicMode(plan.directory_bits));
  data.set("has_file_bits", plan.file_bits != 0);
  data.set("file_octal", octal(plan.file_bits, 4));
  data.set("file_symbolic", symbolicMode(plan.file_bits));
  data.set("scope_q", plan.file_scope.empty() ? std::string() : shellQuote(plan.file_scope));
  // ACL entries are numeric and drawn from a fixed alphabet: no quoting needed.
  data.set("has_access", !plan.access_entries.empty());
  data.set("access", joinComma(plan.access_entries));
  data.set("has_default", !plan.default_entries.empty());
  data.set("defaults", joinComma(plan.default_entries));
  auto apply = renderTemplate(kAclApplyTemplate, kAclApplyTemplate_size, data, "acl/apply.sh");
  if (!apply) return tl::unexpected(apply.error());
  auto rollback = renderTemplate(kAclRollbackTemplate, kAclRollbackTemplate_size, data, "acl/rollback.sh");
  if (!rollback) return tl::unexpected(rollback.error());
  return RenderedScripts{*apply, *rollback};
}

Expected<RenderedScripts> renderGoEnvScripts(const GoEnvPlan& plan, const std::string& root) {
  Data data;
  data.set("version", MODGATE_VERSION);
  data.set("root_q", shellQuote(root));
  Data changes{Data::type::list};
  bool units = false;
  for (std::size_t i = 0; i < plan.changes.size(); ++i) {
    const auto& change = plan.changes[i];
    Data item;
    item.set("number", std::to_string(i + 1));
    item.set("subject", commentSafe(change.subject));
    item.set("reason", commentSafe(change.reason));
    item.set("target_q", shellQuote(change.target));
    item.set("uid", std::to_string(change.uid));
    item.set("gid", std::to_string(change.gid));
    item.set("mode", octal(change.mode, 4));
    item.set("original_uid", std::to_string(change.original_uid));
    item.set("original_gid", std::to_string(change.original_gid));
    item.set("original_mode", octal(change.original_mode, 4));
    changes.push_back(item);
    units = units || change.kind == "systemd-dropin";
  }
  data.set("changes", changes);
  data.set("has_units", units);
  auto apply = renderTemplate(kGoEnvApplyTemplate, kGoEnvApplyTemplate_size, data, "goenv/apply.sh");
  if (!apply) return tl::unexpected(apply.error());
  auto rollback = renderTemplate(kGoEnvRollbackTemplate, kGoEnvRollbackTemplate_size, data, "goenv/rollback.sh");
  if (!rollback) return tl::unexpected(rollback.error());
  return RenderedScripts{*apply, *rollback};
}

}  // namespace modgate::policygen
