#include "scanner/gotool/systemd_units.h"

#include <unistd.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "scanner/fs/root_path.h"
#include "scanner/gotool/accounts.h"

namespace modgate::gotool {
namespace {

std::string trim(const std::string& text) {
  std::size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

/// Logical lines with continuations joined and comments dropped.
std::vector<std::string> logicalLines(const std::string& text) {
  std::vector<std::string> out;
  std::string pending;
  for (auto line : splitLines(text)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string trimmed = trim(line);
    if (pending.empty() && (trimmed.empty() || trimmed.front() == '#' || trimmed.front() == ';')) continue;
    if (!trimmed.empty() && trimmed.back() == '\\') {
      pending += trimmed.substr(0, trimmed.size() - 1) + " ";
      continue;
    }
    out.push_back(pending + trimmed);
    pending.clear();
  }
  if (!pending.empty()) out.push_back(pending);
  return out;
}

void applyAssignment(Unit& unit, const std::string& root, const std::string& key, const std::string& value) {
  if (key == "ExecStart") {
    if (value.empty()) {
      unit.exec_start.clear();
      return;
    }
    if (!unit.exec_start.empty()) return;  // the first command is the one that runs Go tooling
    std::string command = value;
    std::size_t prefix = command.find_first_not_of("@-:+!|");
    command = prefix == std::string::npos ? "" : command.substr(prefix);
    unit.exec_start = splitCommandLine(command);
  } else if (key == "User") {
    unit.user = value;
  } else if (key == "Group") {
    unit.group = value;
  } else if (key == "UMask") {
    unit.umask = value;
  } else if (key == "SELinuxContext") {
    unit.selinux_context = !value.empty() && value.front() == '-' ? value.substr(1) : value;
  } else if (key == "AppArmorProfile") {
    unit.apparmor_profile = !value.empty() && value.front() == '-' ? value.substr(1) : value;
  } else if (key == "WorkingDirectory") {
    unit.working_directory = value;
  } else if (key == "Environment") {
    if (value.empty()) {
      unit.environment.clear();
      return;
    }
    for (const auto& word : splitCommandLine(value)) {
      auto equals = word.find('=');
      if (equals == std::string::npos || equals == 0) continue;
      unit.environment[word.substr(0, equals)] = word.substr(equals + 1);
    }
  } else if (key == "EnvironmentFile") {
    if (value.empty()) return;
    bool optional = value.front() == '-';
    std::string path = optional ? value.substr(1) : value;
    auto text = fs::readRootFile(root, path, 1u << 20);
    if (!text) {
      if (!optional) unit.problems.push_back("EnvironmentFile=" + path + ": " + text.error().message);
      return;
    }
    for (auto& [name, setting] : parseEnvironmentFile(*text)) unit.environment[name] = setting;
  }
}

void applyFile(Unit& unit, const std::string& root, const std::string& text) {
  std::string section;
  for (const auto& line : logicalLines(text)) {
    if (line.front() == '[') {
      section = line;
      continue;
    }
    if (section != "[Service]") continue;
    auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    applyAssignment(unit, root, trim(line.substr(0, equals)), trim(line.substr(equals + 1)));
  }
}

std::string baseName(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

/// A unit linked to /dev/null is masked (systemctl mask); the link is read as
/// written, since /dev/null of an image root is usually absent.
bool isMasked(const std::string& root, const std::string& dir, const std::string& name) {
  auto directory = fs::resolveInRoot(root, dir);
  if (!directory || !directory->exists) return false;
  std::string path = directory->host + "/" + name;
  char target[64];
  ssize_t length = ::readlink(path.c_str(), target, sizeof target);
  return length == 9 && std::string_view(target, 9) == "/dev/null";
}

}  // namespace

const std::vector<std::string>& unitSearchPath() {
  static const std::vector<std::string> paths = {"/etc/systemd/system", "/run/systemd/system",
                                                 "/usr/local/lib/systemd/system", "/lib/systemd/system",
                                                 "/usr/lib/systemd/system"};
  return paths;
}

std::vector<std::string> splitCommandLine(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < text.size()) {
        word += text[++i];
      } else {
        word += c;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::map<std::string, std::string> parseEnvironmentFile(const std::string& text) {
  std::map<std::string, std::string> out;
  for (const auto& raw : splitLines(text)) {
    std::string line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    auto equals = line.find('=');
    if (equals == std::string::npos || equals == 0) continue;
    std::string value = trim(line.substr(equals + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    out[trim(line.substr(0, equals))] = value;
  }
  return out;
}

Expected<std::optional<Unit>> readUnit(const std::string& root, const std::string& name) {
  Unit unit;
  unit.name = name;
  std::string text;
  bool found = false;
  for (const auto& dir : unitSearchPath()) {
    if (isMasked(root, dir, name)) return std::optional<Unit>();
    auto resolved = fs::resolveInRoot(root, dir + "/" + name);
    if (!resolved) return tl::unexpected(resolved.error());
    if (!resolved->exists) continue;
    auto content = fs::readHostFile(resolved->host, 4u << 20);
    if (!content) return tl::unexpected(content.error());
    unit.path = dir + "/" + name;
    text = std::move(*content);
    found = true;
    break;
  }
  if (!found) return std::optional<Unit>();
  applyFile(unit, root, text);
  // Drop-ins: NAME.d/*.conf from every directory, sorted by file name; a name in a
  // more important directory hides the same name in a less important one.
  std::map<std::string, std::string> dropins;
  for (auto dir = unitSearchPath().rbegin(); dir != unitSearchPath().rend(); ++dir) {
    std::string dropin_dir = *dir + "/" + name + ".d";
    for (const auto& file : fs::listRootDirectory(root, dropin_dir)) {
      if (file.size() > 5 && file.substr(file.size() - 5) == ".conf") dropins[file] = dropin_dir + "/" + file;
    }
  }
  for (const auto& [file, path] : dropins) {
    auto content = fs::readRootFile(root, path, 4u << 20);
    if (!content) {
      unit.problems.push_back("drop-in " + path + ": " + content.error().message);
      continue;
    }
    applyFile(unit, root, *content);
    unit.dropins.push_back(path);
  }
  return std::optional<Unit>(std::move(unit));
}

Expected<std::vector<Unit>> readAllServiceUnits(const std::string& root) {
  std::set<std::string> names;
  for (const auto& dir : unitSearchPath()) {
    for (const auto& file : fs::listRootDirectory(root, dir)) {
      if (file.size() > 8 && file.substr(file.size() - 8) == ".service" && file.find('@') == std::string::npos) {
        names.insert(file);
      }
    }
  }
  std::vector<Unit> units;
  for (const auto& name : names) {
    auto unit = readUnit(root, name);
    if (!unit) return tl::unexpected(unit.error());
    if (*unit) units.push_back(std::move(**unit));
  }
  return units;
}

std::optional<std::string> goToolingKind(const std::vector<std::string>& argv) {
  if (argv.empty()) return std::nullopt;
  std::string program = baseName(argv[0]);
  if (program == "go") return std::string("go");
  if (program == "gitlab-runner") return std::string("gitlab-runner");
  if (program == "act_runner" || program == "forgejo-runner" || program == "gitea-runner")
    return std::string("act_runner");
  if (program == "Runner.Listener" || program == "runsvc.sh") return std::string("github-actions-runner");
  if (program == "run.sh" && argv[0].find("actions-runner") != std::string::npos) {
    return std::string("github-actions-runner");
  }
  if (program == "athens" || program == "athens-proxy" || program == "proxy") {
    if (program != "proxy" || argv[0].find("athens") != std::string::npos) return std::string("athens");
  }
  if (program == "goproxy") return std::string("goproxy");
  if (program == "java") {
    for (const auto& arg : argv) {
      if (arg.find("agent.jar") != std::string::npos || arg.find("remoting") != std::string::npos ||
          arg.find("jenkins") != std::string::npos) {
        return std::string("jenkins-agent");
      }
    }
  }
  // A shell running a script that calls go: sh -c '... go build ...'.
  if ((program == "sh" || program == "bash" || program == "dash") && argv.size() >= 3 && argv[1] == "-c") {
    for (const auto& word : splitCommandLine(argv[2])) {
      if (baseName(word) == "go") return std::string("go");
    }
  }
  return std::nullopt;
}

}  // namespace modgate::gotool
