#include <unistd.h>

#include <chrono>
#include <ctime>
#include <iostream>

#include "cli/app_state.h"
#include "scanner/apparmor/state.h"
#include "scanner/fs/root_path.h"

namespace modgate::cli {
namespace {

std::string hostnameOf(const std::string& root) {
  if (root == "/") {
    char buffer[256] = "";
    if (::gethostname(buffer, sizeof buffer - 1) == 0 && buffer[0]) return buffer;
  }
  if (auto text = fs::readRootFile(root, "/etc/hostname", 4096)) {
    std::string name = text->substr(0, text->find('\n'));
    if (!name.empty()) return name;
  }
  return root;
}

bool selinuxPresent(const std::string& root) {
  for (const char* path : {"/etc/selinux/config", "/sys/fs/selinux/policy"}) {
    auto resolved = fs::resolveInRoot(root, path);
    if (resolved && resolved->exists) return true;
  }
  return false;
}

}  // namespace

std::string isoNowUtc() {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

StepOutcome collectHostFacts(AppState& state) {
  const auto& options = state.scan;
  auto& report = state.report;
  report.root = options.root;
  report.scanned_at = isoNowUtc();
  report.rule_files = state.rules.rules.files;
  report.rule_set_names = state.rules.rules.names;
  report.rules = state.rules.rules.rules;
  auto top = fs::resolveInRoot(options.root, "/");
  if (!top) return fail(state, top.error());
  if (::isatty(2)) std::cerr << "modgate: scanning " << options.root << "\n";
  report.hostname = hostnameOf(options.root);

  auto& mac = report.mac;
  if (!options.policy.empty() || selinuxPresent(options.root)) {
    std::optional<std::string> policy_file;
    if (!options.policy.empty()) policy_file = options.policy;
    auto host = selinux::locatePolicy(options.root, policy_file);
    if (!host) {
      mac.selinux_state = "unknown";
      mac.selinux_problem = host.error().message;
    } else {
      state.host = std::move(*host);
      mac.selinux_state = state.host->mode;
      mac.selinux_source = selinux::policyOriginName(state.host->origin);
      mac.selinux_policy = state.host->policy_path;
      mac.selinux_type = state.host->selinux_type;
      auto policy = selinux::loadPolicy(*state.host);
      if (!policy) {
        if (!options.policy.empty()) return fail(state, policy.error());  // the user's file is wrong
        mac.selinux_problem = policy.error().message;
      } else {
        state.policy.emplace(std::move(*policy));
        if (state.host->file_contexts.empty()) {
          state.labeler.emplace(selinux::FileLabeler::attributesOnly(options.root));
        } else if (auto labeler = selinux::FileLabeler::open(options.root, state.host->file_contexts)) {
          state.labeler.emplace(std::move(*labeler));
        } else {
          mac.selinux_problem = labeler.error().message;
          state.policy.reset();
        }
      }
    }
  }
  auto apparmor = apparmor::detectAppArmor(options.root);
  mac.apparmor_state = apparmor.state;
  mac.apparmor_source = apparmor.source;

  auto accounts = gotool::Accounts::read(options.root);
  if (accounts) {
    state.accounts.emplace(std::move(*accounts));
  } else {
    std::cerr << "modgate: warning: " << accounts.error().message << "; users cannot be resolved\n";
    state.accounts.emplace();
  }
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
