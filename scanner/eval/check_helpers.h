#pragma once

// Small helpers shared by the checks' implementation files (eval/ only).

#include <string>

#include "scanner/eval/results.h"
#include "scanner/selinux/access.h"

namespace modgate::eval::detail {

/// A result of rule for subject and object, before the check decides it.
inline Result baseResult(const ruleset::Rule& rule, const std::string& subject, const std::string& object) {
  Result result;
  result.rule = rule.id;
  result.check = rule.check;
  result.severity = rule.severity;
  result.subject = subject;
  result.object = object;
  return result;
}

/// "denied: httpd_t -> http_port_t tcp_socket { name_connect } (te)"
inline std::string missingText(const selinux::MissingAccess& missing) {
  std::string perms;
  for (const auto& perm : missing.perms) perms += (perms.empty() ? "" : " ") + perm;
  return "denied: " + missing.source + " -> " + missing.target + " " + missing.tclass + " { " + perms + " } (" +
         selinux::denialReasonName(missing.reason) + ")";
}

}  // namespace modgate::eval::detail
