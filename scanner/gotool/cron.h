#pragma once

// Cron jobs of a root that run `go`. Grammar: /etc/crontab and /etc/cron.d/*
// lines are "MIN HOUR DOM MON DOW USER COMMAND" or "@KEYWORD USER COMMAND";
// user crontabs (/var/spool/cron/crontabs/USER) omit USER; "NAME=VALUE" lines set
// the environment of the jobs after them; '#' starts a comment. cron.d files whose
// names are not [A-Za-z0-9_-]+ are ignored, as Debian's cron does.

#include <map>
#include <string>
#include <vector>

namespace modgate::gotool {

struct CronJob final {
  std::string file;  ///< as the root sees it
  int line = 0;
  std::string user;
  bool system = false;  ///< from /etc/crontab or /etc/cron.d (not a user's crontab)
  std::string command;
  std::map<std::string, std::string> environment;
};

/// Every cron job of the root whose command runs `go`.
std::vector<CronJob> readGoCronJobs(const std::string& root);

/// Whether a shell command line runs `go` (a word whose base name is go).
bool commandRunsGo(const std::string& command);

}  // namespace modgate::gotool
