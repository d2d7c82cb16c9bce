#include "scanner/selinux/query.h"

#include <sys/stat.h>

#include <algorithm>

#include "scanner/selinux/go_access.h"

namespace modgate::selinux {
namespace {

/// The type a file label names, checked against the policy. An on-disk type the
/// policy does not know is what the kernel treats as unlabeled.
Expected<TypeId> typeOfLabel(const Policy& policy, const FileLabel& label, std::vector<std::string>& notes) {
  auto name = label.type();
  if (!name) {
    return makeError(ErrorCode::kNotFound, "cannot tell the SELinux type of '" + label.path +
                                               "': it has no label on disk and file_contexts assigns none");
  }
  auto type = policy.type(*name);
  if (type) return type;
  if (label.actual) {
    auto unlabeled = policy.type("unlabeled_t");
    if (unlabeled) {
      notes.push_back("'" + label.path + "' is labelled " + *name +
                      ", which the policy does not define; the kernel treats it as unlabeled_t");
      return unlabeled;
    }
  }
  return tl::unexpected(type.error());
}

/// Ancestors of a logical path, from "/" down to its parent.
std::vector<std::string> ancestorsOf(const std::string& path) {
  std::vector<std::string> out = {"/"};
  for (std::size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1)) {
    out.push_back(path.substr(0, at));
  }
  if (path == "/") out.clear();
  return out;
}

std::vector<CheckedAccess> describeChecked(const Policy& policy, const std::vector<AccessNeed>& needs,
                                           const std::vector<MissingAccess>& missing) {
  std::vector<CheckedAccess> out;
  for (const auto& need : needs) {
    CheckedAccess item;
    item.source = policy.typeName(need.source);
    item.target = policy.typeName(need.target);
    item.tclass = policy.className(need.tclass);
    item.perms = policy.permissionNames(need.tclass, need.perms);
    item.purpose = need.purpose;
    item.object = need.object;
    item.granted = std::none_of(missing.begin(), missing.end(), [&](const MissingAccess& denied) {
      return denied.source == item.source && denied.target == item.target && denied.tclass == item.tclass &&
             denied.object == item.object && denied.purpose == item.purpose;
    });
    out.push_back(std::move(item));
  }
  return out;
}

Expected<std::vector<AccessNeed>> connectQuestion(Policy& policy, const FileLabeler& labeler, TypeId domain,
                                                  const Endpoint* endpoint, QueryResult& result) {
  result.object = endpoint->uri();
  PortLabel port = policy.portLabel(6, endpoint->port);
  if (port.type == 0) {
    return makeError(ErrorCode::kInternal, "the policy labels no port and has no 'port' initial SID");
  }
  result.port = port;
  result.target_type = policy.typeName(port.type);
  if (!port.from_portcon) {
    result.notes.push_back("no portcon covers tcp/" + std::to_string(endpoint->port) +
                           "; it has the default port type " + result.target_type);
  }
  std::vector<TypedPath> resolver;
  if (!endpoint->ip_literal) {
    for (const auto& path : resolverFiles()) {
      auto label = labeler.label(path, S_IFREG);
      if (!label) return tl::unexpected(label.error());
      auto type = typeOfLabel(policy, *label, result.notes);
      if (!type) return tl::unexpected(type.error());
      resolver.push_back({label->path, *type});
    }
  }
  return connectNeeds(policy, domain, *endpoint, port.type, resolver);
}

Expected<std::vector<AccessNeed>> cacheQuestion(Policy& policy, const FileLabeler& labeler, TypeId domain,
                                                const std::string& target, CacheAccess access, QueryResult& result) {
  auto label = labeler.label(target, S_IFDIR);
  if (!label) return tl::unexpected(label.error());
  result.object = label->path;
  result.file = *label;
  if (!label->exists) {
    result.notes.push_back("'" + label->path +
                           "' does not exist; it is judged as the directory file_contexts would label");
  }
  auto type = typeOfLabel(policy, *label, result.notes);
  if (!type) return tl::unexpected(type.error());
  result.target_type = policy.typeName(*type);
  std::vector<TypedPath> ancestors;
  for (const auto& path : ancestorsOf(label->path)) {
    auto parent = labeler.label(path, S_IFDIR);
    if (!parent) return tl::unexpected(parent.error());
    auto parent_type = typeOfLabel(policy, *parent, result.notes);
    if (!parent_type) return tl::unexpected(parent_type.error());
    ancestors.push_back({parent->path, *parent_type});
  }
  return cacheNeeds(policy, domain, {label->path, *type}, ancestors, access);
}

}  // namespace

const char* queryKindName(QueryRequest::Kind kind) noexcept {
  switch (kind) {
    case QueryRequest::Kind::kConnect:
      return "connect";
    case QueryRequest::Kind::kWrite:
      return "write";
    case QueryRequest::Kind::kRead:
      return "read";
    case QueryRequest::Kind::kExec:
      return "exec";
  }
  return "connect";
}

namespace {

/// The source type of a request: its context's type, or the domain named.
Expected<TypeId> sourceType(Policy& policy, const std::string& domain, const std::optional<std::string>& context) {
  Expected<TypeId> type = context ? policy.contextType(*context) : policy.type(domain);
  if (!type) return type;
  if (policy.isAttribute(*type)) {
    return makeError(ErrorCode::kUnknownName, "'" + policy.typeName(*type) + "' is an attribute, not a domain type");
  }
  return type;
}

/// Decides the needs, and when denied only by rules, searches for booleans.
Expected<QueryResult> decide(Policy& policy, const std::vector<AccessNeed>& needs, QueryResult result) {
  auto verdict = evaluateNeeds(policy, needs, result.context);
  if (!verdict) return tl::unexpected(verdict.error());
  result.allowed = verdict->allowed;
  result.missing = std::move(verdict->missing);
  result.checked = describeChecked(policy, needs, result.missing);
  if (result.allowed) return result;
  bool only_rules = std::all_of(result.missing.begin(), result.missing.end(), [](const MissingAccess& missing) {
    return missing.reason == DenialReason::kTypeEnforcement;
  });
  if (!only_rules) {
    result.notes.push_back("part of the denial comes from a constraint or role rule, which no boolean can lift");
    return result;
  }
  result.boolean_search_run = true;
  result.booleans = findBooleanAssignments(policy, needs);
  return result;
}

}  // namespace

Expected<QueryResult> queryEndpoint(Policy& policy, const FileLabeler& labeler, const std::string& domain,
                                    const std::optional<std::string>& context, const Endpoint& endpoint) {
  QueryResult result;
  result.kind = QueryRequest::Kind::kConnect;
  result.context = context;
  auto source = sourceType(policy, domain, context);
  if (!source) return tl::unexpected(source.error());
  result.domain = policy.typeName(*source);
  auto needs = connectQuestion(policy, labeler, *source, &endpoint, result);
  if (!needs) return tl::unexpected(needs.error());
  return decide(policy, *needs, std::move(result));
}

Expected<QueryResult> runQuery(Policy& policy, const FileLabeler& labeler, const QueryRequest& request) {
  if (request.kind == QueryRequest::Kind::kConnect) {
    auto endpoint = parseEndpoint(request.target);
    if (!endpoint) return tl::unexpected(endpoint.error());
    return queryEndpoint(policy, labeler, request.domain, request.context, *endpoint);
  }
  QueryResult result;
  result.kind = request.kind;
  result.context = request.context;
  auto domain = sourceType(policy, request.domain, request.context);
  if (!domain) return tl::unexpected(domain.error());
  result.domain = policy.typeName(*domain);

  if (request.kind == QueryRequest::Kind::kExec) {
    auto label = labeler.label(request.target, S_IFREG);
    if (!label) return tl::unexpected(label.error());
    result.object = label->path;
    result.file = *label;
    auto type = typeOfLabel(policy, *label, result.notes);
    if (!type) return tl::unexpected(type.error());
    result.target_type = policy.typeName(*type);
    std::string role = "system_r";
    if (request.context) {
      std::size_t first = request.context->find(':');
      std::size_t second = request.context->find(':', first + 1);
      role = request.context->substr(first + 1, second - first - 1);
    }
    auto outcome = execTransition(policy, *domain, *type, role);
    if (!outcome) return tl::unexpected(outcome.error());
    result.allowed = outcome->allowed;
    result.missing = outcome->missing;
    if (!outcome->role_allows) {
      result.notes.push_back("role " + role + " is not authorised for " + outcome->new_domain);
    }
    result.exec = std::move(*outcome);
    return result;
  }

  auto needs =
      cacheQuestion(policy, labeler, *domain, request.target,
                    request.kind == QueryRequest::Kind::kWrite ? CacheAccess::kWrite : CacheAccess::kRead, result);
  if (!needs) return tl::unexpected(needs.error());
  return decide(policy, *needs, std::move(result));
}

}  // namespace modgate::selinux
