#include "scanner/eval/results.h"

#include <cstdint>
#include <cstdio>

namespace modgate::eval {

const char* statusName(Status status) noexcept {
  switch (status) {
    case Status::kPass:
      return "pass";
    case Status::kFail:
      return "fail";
    case Status::kError:
      return "error";
    case Status::kNotApplicable:
      return "notapplicable";
    case Status::kNotChecked:
      return "notchecked";
    case Status::kWaived:
      return "waived";
  }
  return "error";
}

Summary summarize(const std::vector<Result>& results) {
  Summary summary;
  for (const auto& result : results) {
    switch (result.status) {
      case Status::kPass:
        ++summary.pass;
        break;
      case Status::kFail:
        ++summary.fail;
        break;
      case Status::kError:
        ++summary.error;
        break;
      case Status::kNotApplicable:
        ++summary.notapplicable;
        break;
      case Status::kNotChecked:
        ++summary.notchecked;
        break;
      case Status::kWaived:
        ++summary.waived;
        break;
    }
  }
  summary.compliant =
      summary.fail == 0 && summary.error == 0 && summary.notchecked == 0 && summary.pass + summary.waived > 0;
  return summary;
}

std::string fingerprintOf(const std::string& rule, const std::string& subject, const std::string& object) {
  std::uint64_t hash = 14695981039346656037ull;
  auto feed = [&](const std::string& text) {
    for (char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ull;
    }
    hash ^= 0xff;  // separator that cannot occur in UTF-8 text
    hash *= 1099511628211ull;
  };
  feed(rule);
  feed(subject);
  feed(object);
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

int scanExitStatus(const std::vector<Result>& results, ruleset::Severity fail_on) {
  bool failed = false, incomplete = false, applied = false;
  for (const auto& result : results) {
    if (result.status == Status::kFail && result.severity >= fail_on) failed = true;
    if (result.status == Status::kError || result.status == Status::kNotChecked) incomplete = true;
    if (result.status != Status::kNotApplicable) applied = true;
  }
  if (failed) return 1;
  if (incomplete || !applied) return 3;
  return 0;
}

}  // namespace modgate::eval
