#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scanner/core/error.h"
#include "scanner/selinux/access.h"
#include "scanner/selinux/booleans.h"
#include "scanner/selinux/file_labels.h"
#include "scanner/selinux/go_access.h"
#include "scanner/selinux/policy.h"
#include "scanner/selinux/transitions.h"

namespace modgate::selinux {

/// The question `modgate query` answers.
struct QueryRequest final {
  enum class Kind { kConnect, kWrite, kRead, kExec };
  Kind kind = Kind::kConnect;
  std::string domain;                  ///< a domain type, or empty when context is set
  std::optional<std::string> context;  ///< a full source context instead of a type
  std::string target;                  ///< HOST:PORT for connect, a path otherwise
};
const char* queryKindName(QueryRequest::Kind kind) noexcept;

/// One access that was checked, granted or not.
struct CheckedAccess final {
  std::string source;
  std::string target;
  std::string tclass;
  std::vector<std::string> perms;
  std::string purpose;
  std::string object;
  bool granted = false;
};

/// The answer, as plain data for the report writers.
struct QueryResult final {
  QueryRequest::Kind kind = QueryRequest::Kind::kConnect;
  std::string domain;                  ///< the source type
  std::optional<std::string> context;  ///< the source context, when one was given
  std::string object;                  ///< tcp://HOST:PORT, or the path as the root sees it
  std::string target_type;             ///< the port's, directory's or executable's type
  bool allowed = false;
  std::vector<CheckedAccess> checked;
  std::vector<MissingAccess> missing;
  std::optional<PortLabel> port;
  std::optional<FileLabel> file;
  std::optional<ExecOutcome> exec;
  bool boolean_search_run = false;  ///< false when a non-TE denial makes booleans useless
  BooleanSearch booleans;
  std::vector<std::string> notes;  ///< facts a reader should know
};

/// Answers request against policy, labelling paths with labeler.
Expected<QueryResult> runQuery(Policy& policy, const FileLabeler& labeler, const QueryRequest& request);

/// Answers "may domain (or context) reach endpoint" for a parsed endpoint; a host
/// of "*" stands for any host reached by name (Go's `direct` mode).
Expected<QueryResult> queryEndpoint(Policy& policy, const FileLabeler& labeler, const std::string& domain,
                                    const std::optional<std::string>& context, const Endpoint& endpoint);

}  // namespace modgate::selinux
