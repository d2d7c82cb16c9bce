#pragma once

// What Go tooling needs from SELinux, as access vectors: the one definition every
// caller (query, scan, generate) uses. docs/ACCESS.md explains each permission.
//
// Endpoint grammar accepted by parseEndpoint:
//   endpoint := host ":" port | "[" ipv6 "]" ":" port
//   host     := DNS name (letters, digits, '-', '.', '_') | IPv4 literal
//   port     := decimal 1..65535

#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/error.h"
#include "scanner/selinux/access.h"
#include "scanner/selinux/policy.h"

namespace modgate::selinux {

/// A TCP endpoint Go must reach.
struct Endpoint final {
  std::string host;
  unsigned port = 0;
  bool ip_literal = false;                ///< no name resolution needed
  [[nodiscard]] std::string uri() const;  ///< "tcp://host:port"
};

/// Parses "HOST:PORT" or "[V6]:PORT"; kInvalidArgument names what is wrong.
Expected<Endpoint> parseEndpoint(std::string_view text);

/// A path of the root with the type that applies to it.
struct TypedPath final {
  std::string path;
  TypeId type = 0;
};

/// Files Go's resolver reads before a name lookup (Go's pure resolver and glibc's).
const std::vector<std::string>& resolverFiles();

/// Reaching endpoint from domain over TCP: a TCP socket on itself, name_connect on
/// the port's type, and, unless the host is an IP literal, DNS over UDP and the
/// resolver's configuration files.
Expected<std::vector<AccessNeed>> connectNeeds(const Policy& policy, TypeId domain, const Endpoint& endpoint,
                                               TypeId port_type, const std::vector<TypedPath>& resolver_files);

enum class CacheAccess { kRead, kWrite };

/// Using a cache directory: search on every ancestor; for reading, listing it and
/// reading its files; for writing, also adding, renaming, locking and removing
/// entries and creating subdirectories, with new entries typed as the policy's
/// type_transition rules (or the directory's type) say.
Expected<std::vector<AccessNeed>> cacheNeeds(const Policy& policy, TypeId domain, const TypedPath& directory,
                                             const std::vector<TypedPath>& ancestors, CacheAccess access);

/// Needs for entries already in a cache tree, by the types seen on its directories
/// and files: directories are listed (read) or also changed (write); files are read,
/// or also written, renamed, locked and removed.
Expected<std::vector<AccessNeed>> cacheTreeNeeds(const Policy& policy, TypeId domain,
                                                 const std::vector<TypedPath>& directories,
                                                 const std::vector<TypedPath>& files, CacheAccess access);

}  // namespace modgate::selinux
