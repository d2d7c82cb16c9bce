#pragma once

// A subject's effective Go environment, with the go command's own precedence:
// the process environment, then the user's go/env file (GOENV), then
// $GOROOT/go.env (Go 1.21+), then the built-in defaults. An empty process value
// counts as unset, as cfg.Getenv does.
//
// GOPROXY grammar (Go's proxyList): entries separated by ',' (fall back only on
// 404/410) or '|' (fall back on any error); "direct" and "off" are keywords and
// end the list; an entry without a scheme gets "https://".
// GOSUMDB grammar: "off" | NAME[+KEY] [URL]; the URL defaults to https://NAME.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace modgate::gotool {

/// A value and the layer it came from: "process", "goenv:/home/u/.config/go/env",
/// "goroot:/usr/local/go/go.env" or "default".
struct EnvValue final {
  std::string value;
  std::string source;
};
using GoEnvironment = std::map<std::string, EnvValue>;

/// What decides a subject's Go environment.
struct GoEnvInputs final {
  std::string root = "/";
  std::map<std::string, std::string> process;  ///< the subject's process environment
  std::string home;                            ///< its HOME (from passwd unless set)
  std::string goroot;                          ///< of the go it runs; empty if none
};

/// The variables modgate reports (others in the layers are kept too).
const std::vector<std::string>& goEnvKeys();

/// Computes the effective environment; problems gets files that could not be read.
GoEnvironment effectiveGoEnv(const GoEnvInputs& inputs, std::vector<std::string>& problems);

struct ProxyEntry final {
  std::string url;
  bool any_error_falls_through = false;  ///< '|' after it
};
struct ProxyList final {
  std::vector<ProxyEntry> proxies;  ///< in order, up to the first direct or off
  bool direct = false;              ///< the list reaches "direct"
  bool off = false;                 ///< the list reaches "off"
};
ProxyList parseGoproxy(std::string_view value);

struct SumDb final {
  bool off = false;
  std::string name;  ///< e.g. sum.golang.org
  std::string url;   ///< e.g. https://sum.golang.org
};
SumDb parseGosumdb(std::string_view value);

/// GOFLAGS split as the go command splits it (space-separated; quoting as in
/// Go's quoted.Split for 'a b' and "a b").
std::vector<std::string> parseGoflagsWords(std::string_view value);

/// host and port of an http(s) URL (port from the scheme when absent); nullopt
/// for other schemes (file://).
std::optional<std::pair<std::string, unsigned>> urlEndpoint(std::string_view url);

}  // namespace modgate::gotool
