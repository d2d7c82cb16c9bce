#pragma once

// Reads schema-1 rule files (docs/RULES.md) with toml++, validates them and merges
// several into one RuleSet. Every problem becomes a Diagnostic with file:line:col;
// the RuleSet is usable only when no diagnostic is an error.

#include <string>
#include <string_view>
#include <vector>

#include "scanner/ruleset/diagnostic.h"
#include "scanner/ruleset/ruleset.h"

namespace modgate::ruleset {

/// A rule file's text and the name diagnostics give it.
struct RuleSource final {
  std::string origin;  ///< a path, or "<embedded>/default.toml"
  std::string text;
};

struct LoadResult final {
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;  ///< sorted by file, line, column
  [[nodiscard]] bool ok() const { return !hasErrors(diagnostics); }
};

/// Largest rule file accepted.
inline constexpr std::size_t kMaxRuleFileBytes = std::size_t{4} << 20;

/// Parses, validates and merges sources; `today` decides which waivers expired.
LoadResult loadRuleSources(const std::vector<RuleSource>& sources, const Date& today);

/// Reads files of this machine, then loadRuleSources. Unreadable or oversized files
/// are diagnostics (MG014).
LoadResult loadRuleFiles(const std::vector<std::string>& paths, const Date& today);

/// The rule set compiled into modgate (rules/default.toml).
RuleSource embeddedDefaultRules();

/// Today's date (UTC).
Date todayUtc();

}  // namespace modgate::ruleset
