#pragma once

#include <map>
#include <string>

namespace modgate::test {

/// Writes a Go module to a file:// GOPROXY directory (module@version/{list,.info,.mod,.zip}),
/// files given relative to the module root; go.mod is added when absent.
void writeModule(const std::string& proxy_dir, const std::string& module, const std::string& version,
                 std::map<std::string, std::string> files);

}  // namespace modgate::test
