#pragma once

#include <string>
#include <vector>

namespace modgate::test {

/// What a program printed and how it ended.
struct ProgramRun final {
  int exit_status = -1;  ///< exit code, or 128 + signal when killed
  std::string out;
  std::string err;
};

/// Runs a program with an argument vector (no shell), capturing its output.
ProgramRun runProgram(const std::vector<std::string>& argv);

}  // namespace modgate::test
