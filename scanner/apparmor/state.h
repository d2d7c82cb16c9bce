#pragma once

#include <string>

namespace modgate::apparmor {

/// Whether AppArmor is in force on a root.
struct AppArmorState final {
  std::string state = "absent";  ///< enabled | disabled | installed | absent
  std::string source;            ///< live (securityfs or module parameter) | offline (/etc/apparmor.d only)
};

/// Reads ROOT/sys/kernel/security/apparmor, ROOT/sys/module/apparmor/parameters/enabled
/// and ROOT/etc/apparmor.d. "installed" means profiles exist but the kernel's state
/// cannot be read from this root.
AppArmorState detectAppArmor(const std::string& root);

}  // namespace modgate::apparmor
