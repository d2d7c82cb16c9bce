#include "scanner/report/query_report.h"

#include <sstream>

namespace modgate::report {
namespace {

using nlohmann::json;

json labelJson(const selinux::FileLabel& label) {
  json out = {{"path", label.path}, {"exists", label.exists}, {"type_source", label.typeSource()}};
  out["actual"] = label.actual ? json(*label.actual) : json(nullptr);
  out["expected"] = label.expected ? json(*label.expected) : json(nullptr);
  return out;
}

std::string joinPerms(const std::vector<std::string>& perms) {
  std::string out;
  for (const auto& perm : perms) out += (out.empty() ? "" : " ") + perm;
  return perms.size() > 1 ? "{ " + out + " }" : out;
}

std::string verb(selinux::QueryRequest::Kind kind) {
  switch (kind) {
    case selinux::QueryRequest::Kind::kConnect:
      return "connect to";
    case selinux::QueryRequest::Kind::kWrite:
      return "write to";
    case selinux::QueryRequest::Kind::kRead:
      return "read";
    case selinux::QueryRequest::Kind::kExec:
      return "execute";
  }
  return "use";
}

std::string reasonText(const selinux::MissingAccess& missing) {
  switch (missing.reason) {
    case selinux::DenialReason::kTypeEnforcement:
      return "no allow rule grants it";
    case selinux::DenialReason::kConstraint:
      return "a constraint forbids it";
    case selinux::DenialReason::kRoleBased:
      return "the role is not allowed the transition";
    case selinux::DenialReason::kBounds:
      return "a type bound forbids it";
  }
  return "denied";
}

}  // namespace

json queryJson(const selinux::QueryResult& result, const selinux::SelinuxHost& host,
               const std::vector<Remedy>& remedies) {
  json out;
  out["schema"] = "modgate.query/1";
  out["decision"] = result.allowed ? "allowed" : "denied";
  out["question"] = selinux::queryKindName(result.kind);
  out["policy"] = {{"path", host.policy_path},
                   {"source", selinux::policyOriginName(host.origin)},
                   {"mode", host.mode},
                   {"root", host.root}};
  out["domain"] = result.domain;
  out["context"] = result.context ? json(*result.context) : json(nullptr);
  out["object"] = result.object;
  out["target_type"] = result.target_type;
  if (result.port) {
    out["port"] = {{"type", result.target_type},
                   {"range", {result.port->low, result.port->high}},
                   {"from_portcon", result.port->from_portcon}};
  }
  if (result.file) out["file"] = labelJson(*result.file);
  if (result.exec) {
    out["exec"] = {{"new_domain", result.exec->new_domain},
                   {"transitions", result.exec->transitions},
                   {"role", result.exec->role},
                   {"role_allows", result.exec->role_allows}};
  }
  out["checked"] = json::array();
  for (const auto& item : result.checked) {
    out["checked"].push_back({{"source", item.source},
                              {"target", item.target},
                              {"class", item.tclass},
                              {"perms", item.perms},
                              {"purpose", item.purpose},
                              {"object", item.object},
                              {"granted", item.granted}});
  }
  out["missing"] = json::array();
  for (const auto& missing : result.missing) {
    json item = {{"source", missing.source},
                 {"target", missing.target},
                 {"class", missing.tclass},
                 {"perms", missing.perms},
                 {"reason", selinux::denialReasonName(missing.reason)},
                 {"purpose", missing.purpose},
                 {"object", missing.object}};
    if (!missing.constraint.empty()) item["constraint"] = missing.constraint;
    out["missing"].push_back(std::move(item));
  }
  out["remedies"] = json::array();
  for (const auto& remedy : remedies) {
    json item = {
        {"kind", remedy.kind},         {"booleans", remedy.booleans},     {"summary", remedy.summary},
        {"commands", remedy.commands}, {"conditions", remedy.conditions}, {"descriptions", remedy.descriptions}};
    out["remedies"].push_back(std::move(item));
  }
  out["boolean_search"] = {{"run", result.boolean_search_run}, {"complete", result.booleans.complete}};
  out["notes"] = result.notes;
  return out;
}

json queryErrorJson(const Error& error) {
  return {{"schema", "modgate.query/1"},
          {"decision", "error"},
          {"error", {{"code", errorCodeName(error.code)}, {"message", error.message}}}};
}

std::string queryText(const selinux::QueryResult& result, const selinux::SelinuxHost& host,
                      const std::vector<Remedy>& remedies) {
  std::ostringstream out;
  const std::string who = result.context ? *result.context : result.domain;
  out << who << (result.allowed ? " may " : " may not ") << verb(result.kind) << " " << result.object;
  if (!result.target_type.empty()) out << " (" << result.target_type << ")";
  out << ".\n";
  out << "  policy: " << host.policy_path << " (" << selinux::policyOriginName(host.origin) << ", " << host.mode
      << ")\n";
  if (result.port) {
    out << "  port: tcp/" << result.object.substr(result.object.rfind(':') + 1) << " is " << result.target_type;
    if (result.port->from_portcon) {
      out << " (portcon " << result.port->low;
      if (result.port->high != result.port->low) out << "-" << result.port->high;
      out << ")";
    }
    out << "\n";
  }
  if (result.file) {
    out << "  label: " << result.file->path << " is " << result.target_type << " (from " << result.file->typeSource()
        << (result.file->exists ? "" : ", path does not exist yet") << ")\n";
  }
  if (result.exec) {
    out << "  runs as: " << result.exec->new_domain
        << (result.exec->transitions ? " (type_transition from " + result.exec->domain + ")"
                                     : " (no transition: stays in the caller's domain)")
        << "\n";
  }
  if (!result.missing.empty()) {
    out << "  denied:\n";
    for (const auto& missing : result.missing) {
      out << "    " << missing.source << " -> " << missing.target << " : " << missing.tclass << " "
          << joinPerms(missing.perms) << "\n      to " << missing.purpose << "; " << reasonText(missing) << "\n";
      if (!missing.constraint.empty()) out << "      constraint: " << missing.constraint << "\n";
    }
  }
  for (const auto& note : result.notes) out << "  note: " << note << "\n";
  if (!result.allowed && result.boolean_search_run) {
    if (remedies.empty()) {
      out << "  no boolean can allow this; it needs a policy module with a narrow allow rule\n";
    } else {
      out << "  booleans that would allow it (any one line):\n";
      for (const auto& remedy : remedies) {
        for (const auto& command : remedy.commands) out << "    " << command << "\n";
        for (const auto& [name, text] : remedy.descriptions) out << "      " << name << ": " << text << "\n";
      }
      if (!result.booleans.complete) out << "  (the boolean search was cut short; more may exist)\n";
    }
  }
  return out.str();
}

}  // namespace modgate::report
