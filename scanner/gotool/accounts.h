#pragma once

// The root's user and group databases. Grammar: passwd lines
// NAME:PASSWORD:UID:GID:GECOS:HOME:SHELL, group lines NAME:PASSWORD:GID:MEMBER,...;
// malformed lines are skipped and counted.

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scanner/core/error.h"

namespace modgate::gotool {

struct Account final {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
  std::string shell;
  std::vector<std::string> groups;      ///< primary group first
  std::vector<gid_t> gids;              ///< the same groups as ids, primary first
  [[nodiscard]] bool canLogIn() const;  ///< a real shell, not nologin/false
};

class Accounts final {
 public:
  /// Reads ROOT/etc/passwd and ROOT/etc/group (and UID_MIN from login.defs).
  static Expected<Accounts> read(const std::string& root);
  [[nodiscard]] const Account* byName(const std::string& name) const;
  /// A group's id from the root's /etc/group (or a number).
  [[nodiscard]] std::optional<gid_t> groupId(const std::string& name) const;
  /// A user's id from the root's /etc/passwd (or a number).
  [[nodiscard]] std::optional<uid_t> userId(const std::string& name) const;
  [[nodiscard]] const std::vector<Account>& all() const { return accounts_; }
  [[nodiscard]] uid_t uidMin() const { return uid_min_; }
  [[nodiscard]] std::size_t skippedLines() const { return skipped_; }

 private:
  std::vector<Account> accounts_;
  std::vector<std::pair<std::string, gid_t>> groups_;
  uid_t uid_min_ = 1000;
  std::size_t skipped_ = 0;
};

/// Splits text into lines (without the newline).
std::vector<std::string> splitLines(const std::string& text);

}  // namespace modgate::gotool
