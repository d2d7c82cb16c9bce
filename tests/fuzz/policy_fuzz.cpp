// Fuzz harness: arbitrary bytes as a binary policy, then a few questions on
// whatever parses. Built with -fsanitize=fuzzer under clang (MODGATE_FUZZ), and
// always as a replay program over tests/fuzz/corpus/policy.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scanner/selinux/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto policy =
      modgate::selinux::Policy::fromBytes(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!policy) return 0;
  (void)policy->portLabel(6, 443);
  if (auto tcp = policy->securityClass("tcp_socket")) {
    for (modgate::selinux::TypeId type = 1; type <= 3; ++type) {
      (void)policy->check(type, type, *tcp, 1);
      (void)policy->conditionalGrants(type, type, *tcp, ~0u);
    }
  }
  return 0;
}
