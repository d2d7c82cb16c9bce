#pragma once

#include <string>
#include <vector>

#include "scanner/core/error.h"

namespace modgate::policygen {

/// How a tool ended and what it printed.
struct ToolRun final {
  int exit_status = -1;
  std::string output;  ///< stdout and stderr together
};

/// Runs a tool with an argument vector (never a shell), waiting for it.
Expected<ToolRun> runTool(const std::vector<std::string>& argv);

}  // namespace modgate::policygen
