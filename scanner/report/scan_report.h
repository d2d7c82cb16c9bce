#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "scanner/eval/results.h"

namespace modgate::report {

/// The reference report, `modgate.report/1` (docs/REPORTS.md).
nlohmann::json scanJson(const eval::ScanReport& report);

/// For people: results grouped by subject, one summary line; ANSI colour when asked.
std::string scanText(const eval::ScanReport& report, bool colour);

/// JUnit XML for GitLab and Jenkins: one testcase per result, host in classname.
std::string scanJunit(const eval::ScanReport& report);

/// SARIF 2.1.0: rules with help, results located at the rule's line in its TOML file.
std::string scanSarif(const eval::ScanReport& report);

/// XCCDF 1.2 Benchmark with a TestResult, valid for `oscap xccdf validate`.
std::string scanXccdf(const eval::ScanReport& report);

/// Writes report in format (text|json|junit|sarif|xccdf); nullopt for an unknown format.
std::optional<std::string> renderScan(const eval::ScanReport& report, const std::string& format, bool colour);

}  // namespace modgate::report
