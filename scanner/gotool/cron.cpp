#include "scanner/gotool/cron.h"


#include <algorithm>

#include "scanner/fs/root_path.h"
#include "scanner/gotool/accounts.h"

namespace modgate::gotool {
namespace {

/// Splits off the first n whitespace-separated fields; the rest is the command.
bool splitFields(const std::string& line, std::size_t n, std::vector<std::string>& fields, std::string& rest) {
  std::size_t at = 0;
  fields.clear();
  while (fields.size() < n) {
    at = line.find_first_not_of(" \t", at);
    if (at == std::string::npos) return false;
    std::size_t end = line.find_first_of(" \t", at);
    if (end == std::string::npos) return false;
    fields.push_back(line.substr(at, end - at));
    at = end;
  }
  at = line.find_first_not_of(" \t", at);
  if (at == std::string::npos) return false;
  rest = line.substr(at);
  return true;
}

/// "NAME = value": a name of letters, digits and '_' (not starting with a digit), blanks, '='.
bool isAssignment(const std::string& line, std::size_t equals) {
  std::size_t end = line.find_last_not_of(" \t", equals == 0 ? 0 : equals - 1);
  if (equals == 0 || end == std::string::npos) return false;
  if (line[0] >= '0' && line[0] <= '9') return false;
  return std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(end + 1), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void readCrontab(const std::string& root, const std::string& path, bool system, const std::string& owner,
                 std::vector<CronJob>& out) {
  auto text = fs::readRootFile(root, path, 4u << 20);
  if (!text) return;
  std::map<std::string, std::string> environment;
  int number = 0;
  for (auto line : splitLines(*text)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    line = line.substr(start);
    std::size_t equals = line.find('=');
    if (equals != std::string::npos && isAssignment(line, equals)) {
      std::string name = line.substr(0, equals);
      name.erase(name.find_last_not_of(" \t") + 1);
      std::string value = line.substr(equals + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
      }
      environment[name] = value;
      continue;
    }
    std::size_t time_fields = line[0] == '@' ? 1 : 5;
    std::vector<std::string> fields;
    std::string command;
    if (!splitFields(line, time_fields + (system ? 1 : 0), fields, command)) continue;
    if (!commandRunsGo(command)) continue;
    CronJob job;
    job.file = path;
    job.line = number;
    job.user = system ? fields.back() : owner;
    job.system = system;
    job.command = command;
    job.environment = environment;
    out.push_back(std::move(job));
  }
}

bool validCronDName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

bool commandRunsGo(const std::string& command) {
  std::string word;
  auto flush = [&]() {
    bool go = word == "go" || (word.size() > 3 && word.substr(word.size() - 3) == "/go");
    word.clear();
    return go;
  };
  for (char c : command) {
    if (c == ' ' || c == '\t' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '`' || c == '\'' ||
        c == '"' || c == '$' || c == '{' || c == '}') {
      if (flush()) return true;
    } else {
      word += c;
    }
  }
  return flush();
}

std::vector<CronJob> readGoCronJobs(const std::string& root) {
  std::vector<CronJob> jobs;
  readCrontab(root, "/etc/crontab", true, "", jobs);
  for (const auto& name : fs::listRootDirectory(root, "/etc/cron.d")) {
    if (validCronDName(name)) readCrontab(root, "/etc/cron.d/" + name, true, "", jobs);
  }
  for (const auto& name : fs::listRootDirectory(root, "/var/spool/cron/crontabs")) {
    readCrontab(root, "/var/spool/cron/crontabs/" + name, false, name, jobs);
  }
  return jobs;
}

}  // namespace modgate::gotool
