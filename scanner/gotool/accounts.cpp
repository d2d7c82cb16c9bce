#include "scanner/gotool/accounts.h"

#include <algorithm>
#include <charconv>

#include "scanner/fs/root_path.h"

namespace modgate::gotool {
namespace {

std::vector<std::string> splitFields(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::size_t at = 0;
  for (;;) {
    std::size_t next = line.find(separator, at);
    fields.push_back(line.substr(at, next == std::string::npos ? std::string::npos : next - at));
    if (next == std::string::npos) break;
    at = next + 1;
  }
  return fields;
}

template <typename Number>
bool parseNumber(const std::string& text, Number& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t next = text.find('\n', at);
    if (next == std::string::npos) next = text.size();
    lines.push_back(text.substr(at, next - at));
    at = next + 1;
  }
  return lines;
}

bool Account::canLogIn() const {
  if (shell.empty()) return true;  // login(1) uses /bin/sh
  std::string base = shell.substr(shell.rfind('/') + 1);
  return base != "nologin" && base != "false" && base != "sync" && base != "halt" && base != "shutdown";
}

Expected<Accounts> Accounts::read(const std::string& root) {
  Accounts accounts;
  auto passwd = fs::readRootFile(root, "/etc/passwd", 16u << 20);
  if (!passwd) return tl::unexpected(passwd.error());
  for (const auto& line : splitLines(*passwd)) {
    if (line.empty() || line.front() == '#') continue;
    auto fields = splitFields(line, ':');
    Account account;
    if (fields.size() != 7 || fields[0].empty() || !parseNumber(fields[2], account.uid) ||
        !parseNumber(fields[3], account.gid)) {
      ++accounts.skipped_;
      continue;
    }
    account.name = fields[0];
    account.home = fields[5];
    account.shell = fields[6];
    accounts.accounts_.push_back(std::move(account));
  }
  auto group = fs::readRootFile(root, "/etc/group", 16u << 20);
  if (group) {
    for (const auto& line : splitLines(*group)) {
      auto fields = splitFields(line, ':');
      gid_t gid = 0;
      if (fields.size() != 4 || fields[0].empty() || !parseNumber(fields[2], gid)) continue;
      accounts.groups_.emplace_back(fields[0], gid);
      for (auto& account : accounts.accounts_) {
        if (account.gid == gid) {
          account.groups.insert(account.groups.begin(), fields[0]);
          account.gids.insert(account.gids.begin(), gid);
        }
      }
      for (const auto& member : splitFields(fields[3], ',')) {
        for (auto& account : accounts.accounts_) {
          if (account.name == member && account.gid != gid) {
            account.groups.push_back(fields[0]);
            account.gids.push_back(gid);
          }
        }
      }
    }
  }
  for (auto& account : accounts.accounts_) {
    if (account.gids.empty() || account.gids.front() != account.gid)
      account.gids.insert(account.gids.begin(), account.gid);
  }
  auto defs = fs::readRootFile(root, "/etc/login.defs", 1u << 20);
  if (defs) {
    for (const auto& line : splitLines(*defs)) {
      if (line.rfind("UID_MIN", 0) != 0) continue;
      std::string value = line.substr(7);
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t\r") + 1);
      uid_t parsed = 0;
      if (parseNumber(value, parsed)) accounts.uid_min_ = parsed;
    }
  }
  return accounts;
}

std::optional<gid_t> Accounts::groupId(const std::string& name) const {
  for (const auto& [group, gid] : groups_) {
    if (group == name) return gid;
  }
  gid_t number = 0;
  if (parseNumber(name, number)) return number;
  return std::nullopt;
}

std::optional<uid_t> Accounts::userId(const std::string& name) const {
  if (const Account* account = byName(name)) return account->uid;
  uid_t number = 0;
  if (parseNumber(name, number)) return number;
  return std::nullopt;
}

const Account* Accounts::byName(const std::string& name) const {
  auto it = std::find_if(accounts_.begin(), accounts_.end(), [&](const Account& a) { return a.name == name; });
  return it == accounts_.end() ? nullptr : &*it;
}

}  // namespace modgate::gotool
