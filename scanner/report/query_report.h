#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scanner/core/remedy.h"
#include "scanner/selinux/policy_source.h"
#include "scanner/selinux/query.h"

namespace modgate::report {

/// The `modgate.query/1` JSON document (docs/QUERY.md).
nlohmann::json queryJson(const selinux::QueryResult& result, const selinux::SelinuxHost& host,
                         const std::vector<Remedy>& remedies);

/// A short explanation for people: the decision, why, and what would change it.
std::string queryText(const selinux::QueryResult& result, const selinux::SelinuxHost& host,
                      const std::vector<Remedy>& remedies);

/// The `modgate.query/1` JSON document for a question that could not be answered.
nlohmann::json queryErrorJson(const Error& error);

}  // namespace modgate::report
