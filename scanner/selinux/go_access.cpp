#include "scanner/selinux/go_access.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace modgate::selinux {
namespace {

// Keep in step with docs/ACCESS.md.

/// Go's dialer: socket(), setsockopt (TCP_NODELAY, keep-alive), non-blocking
/// connect() then getsockopt(SO_ERROR), getsockname/getpeername, read, write.
const std::vector<std::string> kTcpSocketSelf = {"create", "connect", "getopt", "setopt", "getattr", "read", "write"};
/// Connecting to the port: checked against the port's type.
const std::vector<std::string> kTcpNameConnect = {"name_connect"};
/// Go's resolver: UDP socket, SO_BROADCAST setsockopt, connect, send, receive.
const std::vector<std::string> kUdpSocketSelf = {"create", "connect", "setopt", "getattr", "read", "write"};
/// Reading resolver configuration.
const std::vector<std::string> kConfigRead = {"getattr", "open", "read"};
/// Walking through a parent directory.
const std::vector<std::string> kDirTraverse = {"search"};
/// Reading a cache: stat, list and look up entries.
const std::vector<std::string> kDirRead = {"getattr", "search", "open", "read"};
const std::vector<std::string> kFileRead = {"getattr", "open", "read"};
/// Changing the cache directory's entries (new files, renames into place, removal).
const std::vector<std::string> kDirModify = {"getattr", "search", "open", "read", "write", "add_name", "remove_name"};
/// New subdirectories: created, filled, made read-only (setattr) and removed by go clean.
const std::vector<std::string> kSubdirManage = {"create", "getattr",  "search",      "open",    "read",
                                                "write",  "add_name", "remove_name", "setattr", "rmdir"};
/// New files: written, renamed into place, chmod'ed, locked (lockedfile), removed.
const std::vector<std::string> kFileManage = {"create", "getattr", "open",    "read", "write",
                                              "rename", "unlink",  "setattr", "lock"};

bool validHostName(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.front() == '-') return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_';
  });
}

}  // namespace

std::string Endpoint::uri() const {
  bool v6 = host.find(':') != std::string::npos;  // "*" (any host) stays as it is
  return "tcp://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Expected<Endpoint> parseEndpoint(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return makeError(ErrorCode::kInvalidArgument, "endpoint '" + std::string(text) + "': " + why);
  };
  Endpoint out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) return bad("missing ']' after an IPv6 address");
    out.host = std::string(text.substr(1, close - 1));
    if (close + 1 >= text.size() || text[close + 1] != ':') return bad("expected ':PORT' after ']'");
    port_text = text.substr(close + 2);
    in6_addr address{};
    if (inet_pton(AF_INET6, out.host.c_str(), &address) != 1) return bad("'" + out.host + "' is not an IPv6 address");
    out.ip_literal = true;
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("expected HOST:PORT");
    out.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (out.host.find(':') != std::string::npos) return bad("an IPv6 address must be written [ADDRESS]:PORT");
    if (!validHostName(out.host)) return bad("'" + out.host + "' is not a host name or IPv4 address");
    in_addr address{};
    out.ip_literal = inet_pton(AF_INET, out.host.c_str(), &address) == 1;
  }
  unsigned port = 0;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size()) {
    return bad("port '" + std::string(port_text) + "' is not a number");
  }
  if (port < 1 || port > 65535) return bad("port " + std::string(port_text) + " is outside 1-65535");
  out.port = port;
  return out;
}

const std::vector<std::string>& resolverFiles() {
  static const std::vector<std::string> files = {"/etc/nsswitch.conf", "/etc/hosts", "/etc/resolv.conf"};
  return files;
}

Expected<std::vector<AccessNeed>> connectNeeds(const Policy& policy, TypeId domain, const Endpoint& endpoint,
                                               TypeId port_type, const std::vector<TypedPath>& resolver_files) {
  std::vector<AccessNeed> needs;
  auto add = [&](Expected<AccessNeed> item) -> bool {
    if (!item) return false;
    needs.push_back(std::move(*item));
    return true;
  };
  std::string object = endpoint.uri();
  Expected<AccessNeed> item =
      makeNeed(policy, domain, domain, "tcp_socket", kTcpSocketSelf, "open a TCP socket", "self");
  if (!add(item)) return tl::unexpected(item.error());
  item = makeNeed(policy, domain, port_type, "tcp_socket", kTcpNameConnect,
                  "connect to port " + std::to_string(endpoint.port), object);
  if (!add(item)) return tl::unexpected(item.error());
  if (!endpoint.ip_literal) {
    item = makeNeed(policy, domain, domain, "udp_socket", kUdpSocketSelf,
                    "resolve " + (endpoint.host == "*" ? std::string("host names") : endpoint.host) + " (DNS over UDP)",
                    "self");
    if (!add(item)) return tl::unexpected(item.error());
    for (const auto& file : resolver_files) {
      item = makeNeed(policy, domain, file.type, "file", kConfigRead, "read the resolver configuration", file.path);
      if (!add(item)) return tl::unexpected(item.error());
    }
  }
  return needs;
}

Expected<std::vector<AccessNeed>> cacheNeeds(const Policy& policy, TypeId domain, const TypedPath& directory,
                                             const std::vector<TypedPath>& ancestors, CacheAccess access) {
  std::vector<AccessNeed> needs;
  auto add = [&](Expected<AccessNeed> item) -> bool {
    if (!item) return false;
    needs.push_back(std::move(*item));
    return true;
  };
  for (const auto& ancestor : ancestors) {
    bool seen = std::any_of(needs.begin(), needs.end(),
                            [&](const AccessNeed& earlier) { return earlier.target == ancestor.type; });
    if (seen) continue;
    auto item = makeNeed(policy, domain, ancestor.type, "dir", kDirTraverse, "reach the cache through " + ancestor.path,
                         ancestor.path);
    if (!add(item)) return tl::unexpected(item.error());
  }
  if (access == CacheAccess::kRead) {
    auto item = makeNeed(policy, domain, directory.type, "dir", kDirRead, "list the cache", directory.path);
    if (!add(item)) return tl::unexpected(item.error());
    item = makeNeed(policy, domain, directory.type, "file", kFileRead, "read cached files", directory.path + "/*");
    if (!add(item)) return tl::unexpected(item.error());
    return needs;
  }
  auto file_class = policy.securityClass("file");
  auto dir_class = policy.securityClass("dir");
  if (!file_class) return tl::unexpected(file_class.error());
  if (!dir_class) return tl::unexpected(dir_class.error());
  TypeId new_file = policy.typeTransition(domain, directory.type, *file_class);
  TypeId new_dir = policy.typeTransition(domain, directory.type, *dir_class);
  if (new_file == 0) new_file = directory.type;
  if (new_dir == 0) new_dir = directory.type;
  auto item =
      makeNeed(policy, domain, directory.type, "dir", kDirModify, "add and remove cache entries", directory.path);
  if (!add(item)) return tl::unexpected(item.error());
  item = makeNeed(policy, domain, new_dir, "dir", kSubdirManage, "create and remove cache subdirectories",
                  directory.path + "/*/");
  if (!add(item)) return tl::unexpected(item.error());
  item = makeNeed(policy, domain, new_file, "file", kFileManage, "write, rename, lock and remove cache files",
                  directory.path + "/*");
  if (!add(item)) return tl::unexpected(item.error());
  return needs;
}

Expected<std::vector<AccessNeed>> cacheTreeNeeds(const Policy& policy, TypeId domain,
                                                 const std::vector<TypedPath>& directories,
                                                 const std::vector<TypedPath>& files, CacheAccess access) {
  std::vector<AccessNeed> needs;
  bool write = access == CacheAccess::kWrite;
  for (const auto& dir : directories) {
    auto item = makeNeed(policy, domain, dir.type, "dir", write ? kSubdirManage : kDirRead,
                         write ? "change cache directories" : "list cache directories", dir.path);
    if (!item) return tl::unexpected(item.error());
    needs.push_back(std::move(*item));
  }
  for (const auto& file : files) {
    auto item = makeNeed(policy, domain, file.type, "file", write ? kFileManage : kFileRead,
                         write ? "write, lock and remove cache files" : "read cache files", file.path);
    if (!item) return tl::unexpected(item.error());
    needs.push_back(std::move(*item));
  }
  return needs;
}

}  // namespace modgate::selinux
