// Fuzz harness: the small text formats read from a root — /etc/selinux/config,
// selinuxfs boolean files — and refpolicy's policy.xml (tinyxml2; its element
// depth limit bounds the recursion).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scanner/selinux/booleans.h"
#include "scanner/selinux/policy_source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)modgate::selinux::parseSelinuxConfig(text);
  (void)modgate::selinux::parseLiveBoolean(text);
  auto docs = modgate::selinux::BooleanDocs::parse(text, "fuzz");
  if (docs) (void)docs->describe("httpd_can_network_connect");
  return 0;
}
