// Fuzz harness: rule files (toml++ reader, validator, merge).
#include <cstddef>
#include <cstdint>
#include <string>

#include "scanner/ruleset/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto result = modgate::ruleset::loadRuleSources({{"fuzz.toml", text}, {"second.toml", text}}, {2026, 11, 21});
  for (const auto& diagnostic : result.diagnostics) (void)modgate::ruleset::formatDiagnostic(diagnostic);
  return 0;
}
