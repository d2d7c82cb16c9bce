#include "tests/support/fixture_root.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "scanner/selinux/policy.h"

namespace modgate::test {

namespace stdfs = std::filesystem;

TempRoot::TempRoot() {
  std::string pattern = (stdfs::temp_directory_path() / "modgate-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempRoot::~TempRoot() {
  std::error_code ignored;
  stdfs::remove_all(path_, ignored);
}

void TempRoot::write(const std::string& logical, const std::string& content) const {
  stdfs::path target = path_ + logical;
  stdfs::create_directories(target.parent_path());
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + target.string());
}

void TempRoot::mkdir(const std::string& logical) const {
  stdfs::create_directories(path_ + logical);
}

void TempRoot::symlink(const std::string& target, const std::string& logical) const {
  stdfs::path link = path_ + logical;
  stdfs::create_directories(link.parent_path());
  stdfs::create_symlink(target, link);
}

void TempRoot::copyIn(const std::string& host_path, const std::string& logical) const {
  stdfs::path target = path_ + logical;
  stdfs::create_directories(target.parent_path());
  stdfs::copy_file(host_path, target, stdfs::copy_options::overwrite_existing);
}

void TempRoot::installSelinuxPolicy() const {
  copyIn(std::string(kHostSelinuxDir) + "/config", "/etc/selinux/config");
  copyIn(kHostPolicy, "/etc/selinux/default/policy/policy.33");
  for (const auto& entry : stdfs::directory_iterator(std::string(kHostSelinuxDir) + "/default/contexts/files")) {
    if (!entry.is_regular_file()) continue;
    copyIn(entry.path().string(), "/etc/selinux/default/contexts/files/" + entry.path().filename().string());
  }
  copyIn(kHostPolicyDoc, "/usr/share/selinux/devel/policy.xml");
}

void TempRoot::installPolicyStore() const {
  stdfs::create_directories(path_ + "/var/lib/selinux");
  stdfs::copy("/var/lib/selinux/default", path_ + "/var/lib/selinux/default",
              stdfs::copy_options::recursive | stdfs::copy_options::copy_symlinks);
}

void TempRoot::mountFakeSelinuxfs(bool enforcing) const {
  copyIn(kHostPolicy, "/sys/fs/selinux/policy");
  write("/sys/fs/selinux/enforce", enforcing ? "1" : "0");
  auto policy = selinux::Policy::fromFile(kHostPolicy);
  if (!policy) throw std::runtime_error(policy.error().message);
  for (std::uint32_t i = 0; i < policy->booleanCount(); ++i) {
    std::string state = policy->booleanState(i) ? "1" : "0";
    write("/sys/fs/selinux/booleans/" + policy->booleanName(i), state + " " + state);
  }
}

selinux::Policy& realPolicy() {
  static selinux::Policy* policy = [] {
    auto loaded = selinux::Policy::fromFile(kHostPolicy);
    if (!loaded) throw std::runtime_error("Debian's policy is needed: " + loaded.error().message);
    return new selinux::Policy(std::move(*loaded));
  }();
  return *policy;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace modgate::test
