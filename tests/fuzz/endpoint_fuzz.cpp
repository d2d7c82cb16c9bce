// Fuzz harness: the HOST:PORT parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scanner/selinux/go_access.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto endpoint = modgate::selinux::parseEndpoint(std::string_view(reinterpret_cast<const char*>(data), size));
  if (endpoint) (void)endpoint->uri();
  return 0;
}
