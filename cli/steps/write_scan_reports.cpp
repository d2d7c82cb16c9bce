#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>

#include "cli/app_state.h"
#include "scanner/report/scan_report.h"

namespace modgate::cli {
namespace {

Expected<void> writeAll(int fd, const std::string& path, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t got = ::write(fd, text.data() + written, text.size() - written);
    if (got < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      return makeError(ErrorCode::kUnreadable, "cannot write '" + path + "': " + std::strerror(error), error);
    }
    written += static_cast<std::size_t>(got);
  }
  return {};
}

/// Writes text to path through a temporary file renamed into place, so a reader
/// never sees half a report and a failed write leaves the old file alone. A path
/// that exists and is not a regular file (/dev/stdout, a pipe) is written as it is.
Expected<void> writeFileAtomically(const std::string& path, const std::string& text) {
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
    int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) {
      int error = errno;
      return makeError(ErrorCode::kInvalidArgument, "cannot write '" + path + "': " + std::strerror(error), error);
    }
    auto written = writeAll(fd, path, text);
    ::close(fd);
    return written;
  }
  std::string temporary = path + ".modgate-tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    int error = errno;
    return makeError(ErrorCode::kInvalidArgument, "cannot write '" + path + "': " + std::strerror(error), error);
  }
  if (auto written = writeAll(fd, path, text); !written) {
    ::close(fd);
    ::unlink(temporary.c_str());
    return written;
  }
  if (::close(fd) != 0 || ::rename(temporary.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temporary.c_str());
    return makeError(ErrorCode::kUnreadable, "cannot write '" + path + "': " + std::strerror(error), error);
  }
  return {};
}

}  // namespace

StepOutcome compareWithBaseline(AppState& state) {
  if (state.scan.baseline.empty()) return StepOutcome::kContinue;
  auto absent = eval::compareBaseline(state.scan.baseline, state.report.results);
  if (!absent) {
    auto error = absent.error();
    error.code = ErrorCode::kInvalidArgument;  // the user named a wrong file
    return fail(state, error);
  }
  state.report.baseline_path = state.scan.baseline;
  state.report.baseline_absent = std::move(*absent);
  return StepOutcome::kContinue;
}

StepOutcome writeScanReports(AppState& state) {
  auto& report = state.report;
  report.finished_at = isoNowUtc();
  report.summary = eval::summarize(report.results);
  const auto& options = state.scan;
  bool colour = options.output.empty() && ::isatty(1) && !std::getenv("NO_COLOR");
  auto main_report = report::renderScan(report, options.format, colour);
  if (options.output.empty()) {
    std::cout << *main_report;
  } else if (auto written = writeFileAtomically(options.output, *main_report); !written) {
    return fail(state, written.error());
  }
  for (const auto& item : options.reports) {
    auto equals = item.find('=');
    auto text = report::renderScan(report, item.substr(0, equals), false);
    if (auto written = writeFileAtomically(item.substr(equals + 1), *text); !written) {
      return fail(state, written.error());
    }
  }
  state.exit_status = eval::scanExitStatus(report.results, *ruleset::parseSeverity(options.fail_on));
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
