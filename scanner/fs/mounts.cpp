#include "scanner/fs/mounts.h"

#include <algorithm>

namespace modgate::fs {
namespace {

std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size()) {
      auto octal = text.substr(i + 1, 3);
      if (octal.size() == 3 && std::all_of(octal.begin(), octal.end(), [](char c) { return c >= '0' && c <= '7'; })) {
        out += static_cast<char>((octal[0] - '0') * 64 + (octal[1] - '0') * 8 + (octal[2] - '0'));
        i += 3;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t next = text.find(separator, at);
    if (next == std::string_view::npos) next = text.size();
    if (next > at) out.push_back(text.substr(at, next - at));
    at = next + 1;
  }
  return out;
}

}  // namespace

bool MountInfo::has(std::string_view option) const {
  return std::find(options.begin(), options.end(), option) != options.end();
}

bool MountInfo::network() const {
  static const char* const kinds[] = {"nfs",  "nfs4",      "cifs",           "smb3",   "smbfs", "fuse.sshfs", "9p",
                                      "ceph", "glusterfs", "fuse.glusterfs", "lustre", "afs",   "fuse.s3fs"};
  return std::any_of(std::begin(kinds), std::end(kinds), [&](const char* kind) { return fs_type == kind; });
}

bool MountInfo::posixAcls() const {
  if (has("noacl")) return false;
  static const char* const kinds[] = {"ext2",     "ext3",  "ext4", "xfs", "btrfs",   "tmpfs",    "f2fs", "jfs",
                                      "reiserfs", "ocfs2", "gfs2", "zfs", "overlay", "bcachefs", "ceph"};
  return std::any_of(std::begin(kinds), std::end(kinds), [&](const char* kind) { return fs_type == kind; });
}

std::vector<MountInfo> parseMountInfo(std::string_view text) {
  std::vector<MountInfo> mounts;
  for (auto line : split(text, '\n')) {
    auto fields = split(line, ' ');
    auto dash = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 6 || dash == fields.end() || std::distance(dash, fields.end()) < 3) continue;
    MountInfo mount;
    mount.mount_point = unescape(fields[4]);
    mount.fs_type = std::string(*(dash + 1));
    for (auto option : split(fields[5], ',')) mount.options.emplace_back(option);
    if (std::distance(dash, fields.end()) >= 4) {
      for (auto option : split(*(dash + 3), ',')) mount.options.emplace_back(option);
    }
    mounts.push_back(std::move(mount));
  }
  return mounts;
}

std::optional<MountInfo> mountOf(const std::vector<MountInfo>& mounts, const std::string& host_path) {
  const MountInfo* best = nullptr;
  for (const auto& mount : mounts) {
    const std::string& point = mount.mount_point;
    bool prefix = point == "/" || host_path == point ||
                  (host_path.size() > point.size() && host_path.compare(0, point.size(), point) == 0 &&
                   host_path[point.size()] == '/');
    if (prefix && (!best || point.size() >= best->mount_point.size())) best = &mount;
  }
  if (!best) return std::nullopt;
  return *best;
}

}  // namespace modgate::fs
