// Builds a cache-like tree for bench/cache.sh: DIRS directories of FILES files
// each (plus the top), a default ACL on every directory and an access ACL on every
// tenth file, as a shared Go cache has after setfacl.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

std::string aclBytes(unsigned group_perms, bool with_named_group) {
  auto entry = [](unsigned tag, unsigned perms, unsigned id) {
    std::string out;
    for (unsigned value : {tag & 0xff, tag >> 8, perms & 0xff, perms >> 8}) out += static_cast<char>(value);
    for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((id >> shift) & 0xff);
    return out;
  };
  std::string out("\x02\x00\x00\x00", 4);
  out += entry(0x01, 7, 0xffffffffu);
  out += entry(0x04, group_perms, 0xffffffffu);
  if (with_named_group) out += entry(0x08, 7, 2000);
  out += entry(0x10, 7, 0xffffffffu);
  out += entry(0x20, 5, 0xffffffffu);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: make_tree DIR DIRS FILES_PER_DIR\n");
    return 2;
  }
  std::string top = argv[1];
  long dirs = std::atol(argv[2]), files = std::atol(argv[3]);
  std::string default_acl = aclBytes(7, true), access_acl = aclBytes(7, true);
  if (::mkdir(top.c_str(), 02775) != 0) {
    std::perror(top.c_str());
    return 1;
  }
  for (long d = 0; d < dirs; ++d) {
    std::string dir = top + "/d" + std::to_string(d);
    if (::mkdir(dir.c_str(), 02775) != 0 ||
        ::setxattr(dir.c_str(), "system.posix_acl_default", default_acl.data(), default_acl.size(), 0) != 0) {
      std::perror(dir.c_str());
      return 1;
    }
    for (long f = 0; f < files; ++f) {
      std::string file = dir + "/f" + std::to_string(f);
      int fd = ::open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0664);
      if (fd < 0) {
        std::perror(file.c_str());
        return 1;
      }
      if (f % 10 == 0) ::fsetxattr(fd, "system.posix_acl_access", access_acl.data(), access_acl.size(), 0);
      ::close(fd);
    }
  }
  std::printf("%ld entries\n", 1 + dirs + dirs * files);
  return 0;
}
