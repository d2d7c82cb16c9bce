#include "scanner/gotool/go_env.h"

#include "scanner/fs/root_path.h"
#include "scanner/gotool/accounts.h"

namespace modgate::gotool {
namespace {

std::string trim(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  return std::string(text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1));
}

/// go/env and go.env: KEY=VALUE lines; '#' comments (go.env); nothing else.
std::map<std::string, std::string> readGoEnvFile(const std::string& root, const std::string& path, bool& found,
                                                 std::vector<std::string>& problems) {
  std::map<std::string, std::string> out;
  auto text = fs::readRootFile(root, path, 1u << 20);
  found = static_cast<bool>(text);
  if (!text) {
    if (text.error().code != ErrorCode::kNotFound) problems.push_back(text.error().message);
    return out;
  }
  for (const auto& line : splitLines(*text)) {
    std::string trimmed = trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    auto equals = trimmed.find('=');
    if (equals == std::string::npos || equals == 0) continue;
    out[trimmed.substr(0, equals)] = trimmed.substr(equals + 1);
  }
  return out;
}

}  // namespace

const std::vector<std::string>& goEnvKeys() {
  static const std::vector<std::string> keys = {"GOPROXY",    "GOSUMDB",     "GOPRIVATE", "GONOPROXY",  "GONOSUMDB",
                                                "GOINSECURE", "GOFLAGS",     "GOPATH",    "GOMODCACHE", "GOCACHE",
                                                "GOTMPDIR",   "GOTOOLCHAIN", "GOENV",     "GOROOT"};
  return keys;
}

GoEnvironment effectiveGoEnv(const GoEnvInputs& inputs, std::vector<std::string>& problems) {
  GoEnvironment env;
  // Built-in defaults (those that do not depend on other variables).
  env["GOPROXY"] = {"https://proxy.golang.org,direct", "default"};
  env["GOSUMDB"] = {"sum.golang.org", "default"};
  env["GOFLAGS"] = {"", "default"};
  env["GOPRIVATE"] = {"", "default"};
  env["GOINSECURE"] = {"", "default"};
  env["GOTMPDIR"] = {"", "default"};
  if (!inputs.goroot.empty()) env["GOROOT"] = {inputs.goroot, "default"};

  auto process = [&](const std::string& key) -> std::optional<std::string> {
    auto it = inputs.process.find(key);
    if (it == inputs.process.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
  std::string home = process("HOME").value_or(inputs.home);

  if (!inputs.goroot.empty()) {
    bool found = false;
    std::string path = inputs.goroot + "/go.env";
    for (auto& [key, value] : readGoEnvFile(inputs.root, path, found, problems)) env[key] = {value, "goroot:" + path};
  }
  // GOENV: the process value, else os.UserConfigDir()/go/env.
  std::string goenv_path;
  if (auto explicit_path = process("GOENV")) {
    goenv_path = *explicit_path;
  } else if (auto config = process("XDG_CONFIG_HOME")) {
    goenv_path = *config + "/go/env";
  } else if (!home.empty()) {
    goenv_path = home + "/.config/go/env";
  }
  if (!goenv_path.empty() && goenv_path != "off" && goenv_path.front() == '/') {
    env["GOENV"] = {goenv_path, process("GOENV") ? "process" : "default"};
    bool found = false;
    for (auto& [key, value] : readGoEnvFile(inputs.root, goenv_path, found, problems)) {
      env[key] = {value, "goenv:" + goenv_path};
    }
  } else if (goenv_path == "off") {
    env["GOENV"] = {"off", "process"};
  }
  for (const auto& [key, value] : inputs.process) {
    if (!value.empty() && key.rfind("GO", 0) == 0) env[key] = {value, "process"};
  }
  // Defaults that derive from others.
  if (env.find("GOPATH") == env.end() && !home.empty()) env["GOPATH"] = {home + "/go", "default"};
  if (env.find("GOMODCACHE") == env.end() && env.count("GOPATH")) {
    std::string first = env["GOPATH"].value.substr(0, env["GOPATH"].value.find(':'));
    env["GOMODCACHE"] = {first + "/pkg/mod", "default"};
  }
  if (env.find("GOCACHE") == env.end()) {
    if (auto cache = process("XDG_CACHE_HOME")) {
      env["GOCACHE"] = {*cache + "/go-build", "default"};
    } else if (!home.empty()) {
      env["GOCACHE"] = {home + "/.cache/go-build", "default"};
    }
  }
  for (const char* key : {"GONOPROXY", "GONOSUMDB"}) {
    if (env.find(key) == env.end()) env[key] = {env["GOPRIVATE"].value, "default"};
  }
  return env;
}

ProxyList parseGoproxy(std::string_view value) {
  ProxyList list;
  std::string text = trim(value);
  if (text.empty()) text = "https://proxy.golang.org,direct";
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t next = text.find_first_of(",|", at);
    std::string entry =
        trim(std::string_view(text).substr(at, next == std::string::npos ? std::string::npos : next - at));
    bool any_error = next != std::string::npos && text[next] == '|';
    at = next == std::string::npos ? text.size() + 1 : next + 1;
    if (entry.empty()) continue;
    if (entry == "direct") {
      list.direct = true;
      break;
    }
    if (entry == "off") {
      list.off = true;
      break;
    }
    if (entry.find("://") == std::string::npos) entry = "https://" + entry;
    list.proxies.push_back({entry, any_error});
  }
  return list;
}

SumDb parseGosumdb(std::string_view value) {
  SumDb sumdb;
  std::string text = trim(value);
  if (text.empty()) text = "sum.golang.org";
  if (text == "off") {
    sumdb.off = true;
    return sumdb;
  }
  std::string first = text.substr(0, text.find_first_of(" \t"));
  std::string rest = trim(text.size() > first.size() ? std::string_view(text).substr(first.size()) : "");
  sumdb.name = first.substr(0, first.find('+'));
  sumdb.url = rest.empty() ? "https://" + sumdb.name : rest;
  if (sumdb.url.find("://") == std::string::npos) sumdb.url = "https://" + sumdb.url;
  return sumdb;
}

std::vector<std::string> parseGoflagsWords(std::string_view value) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : value) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        word += c;
      continue;
    }
    if ((c == '\'' || c == '"') && !in_word) {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::optional<std::pair<std::string, unsigned>> urlEndpoint(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string_view scheme = url.substr(0, scheme_end);
  unsigned port = scheme == "https" ? 443 : scheme == "http" ? 80 : 0;
  if (port == 0) return std::nullopt;
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  std::string host;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') port_text = authority.substr(close + 2);
  } else {
    auto colon = authority.rfind(':');
    host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (!port_text.empty()) {
    unsigned parsed = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || parsed > 65535) return std::nullopt;
      parsed = parsed * 10 + static_cast<unsigned>(c - '0');
    }
    if (parsed == 0 || parsed > 65535) return std::nullopt;
    port = parsed;
  }
  if (host.empty()) return std::nullopt;
  return std::make_pair(host, port);
}

}  // namespace modgate::gotool
