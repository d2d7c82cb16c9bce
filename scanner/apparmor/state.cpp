#include "scanner/apparmor/state.h"

#include "scanner/fs/root_path.h"

namespace modgate::apparmor {

AppArmorState detectAppArmor(const std::string& root) {
  AppArmorState out;
  auto securityfs = fs::resolveInRoot(root, "/sys/kernel/security/apparmor/profiles");
  if (securityfs && securityfs->exists) {
    out.state = "enabled";
    out.source = "live";
    return out;
  }
  if (auto enabled = fs::readRootFile(root, "/sys/module/apparmor/parameters/enabled", 64)) {
    out.state = !enabled->empty() && (*enabled)[0] == 'Y' ? "enabled" : "disabled";
    out.source = "live";
    return out;
  }
  auto profiles = fs::resolveInRoot(root, "/etc/apparmor.d");
  if (profiles && profiles->exists) {
    out.state = "installed";
    out.source = "offline";
  }
  return out;
}

}  // namespace modgate::apparmor
