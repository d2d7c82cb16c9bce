#include "scanner/selinux/file_labels.h"

#include <selinux/label.h>
#include <selinux/selinux.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include <cerrno>
#include <cstring>

#include "scanner/fs/root_path.h"

namespace modgate::selinux {

void SelabelDeleter::operator()(selabel_handle* handle) const noexcept {
  selabel_close(handle);
}

std::optional<std::string> FileLabel::type() const {
  if (actual) {
    std::string type = contextType(*actual);
    if (!type.empty()) return type;
  }
  if (expected) {
    std::string type = contextType(*expected);
    if (!type.empty()) return type;
  }
  return std::nullopt;
}

const char* FileLabel::typeSource() const {
  if (actual && !contextType(*actual).empty()) return "xattr";
  if (expected && !contextType(*expected).empty()) return "file_contexts";
  return "none";
}

std::string contextType(const std::string& context) {
  std::size_t first = context.find(':');
  if (first == std::string::npos) return {};
  std::size_t second = context.find(':', first + 1);
  if (second == std::string::npos) return {};
  std::size_t third = context.find(':', second + 1);
  std::string type = context.substr(second + 1, third == std::string::npos ? std::string::npos : third - second - 1);
  return type;
}

Expected<FileLabeler> FileLabeler::open(const std::string& root, const std::string& file_contexts) {
  auto resolved = fs::resolveInRoot(root, file_contexts);
  if (!resolved) return tl::unexpected(resolved.error());
  if (!resolved->exists) {
    return makeError(ErrorCode::kNotFound, "file contexts '" + resolved->host + "' do not exist", ENOENT);
  }
  selinux_opt options[] = {{SELABEL_OPT_PATH, resolved->host.c_str()}};
  UniqueSelabel handle(selabel_open(SELABEL_CTX_FILE, options, 1));
  if (!handle) {
    int error = errno;
    return makeError(ErrorCode::kUnreadable,
                     "cannot load file contexts '" + resolved->host + "': " + std::strerror(error), error);
  }
  return FileLabeler(root, std::move(handle));
}

FileLabeler FileLabeler::attributesOnly(const std::string& root) {
  return FileLabeler(root, nullptr);
}

Expected<FileLabel> FileLabeler::label(const std::string& path, mode_t assumed_mode) const {
  auto resolved = fs::resolveInRoot(root_, path);
  if (!resolved) return tl::unexpected(resolved.error());
  FileLabel out;
  out.path = resolved->logical;
  out.exists = resolved->exists;
  mode_t mode = assumed_mode;
  if (resolved->exists) {
    struct stat entry {};
    if (::lstat(resolved->host.c_str(), &entry) == 0) mode = entry.st_mode & S_IFMT;
    char buffer[1024];
    ssize_t length = ::lgetxattr(resolved->host.c_str(), "security.selinux", buffer, sizeof buffer - 1);
    if (length > 0) {
      std::size_t size = static_cast<std::size_t>(length);
      while (size > 0 && buffer[size - 1] == '\0') --size;
      out.actual = std::string(buffer, size);
    } else if (length < 0 && errno != ENODATA && errno != ENOTSUP && errno != ERANGE) {
      int error = errno;
      return makeError(ErrorCode::kUnreadable,
                       "cannot read the label of '" + resolved->host + "': " + std::strerror(error), error);
    }
  }
  if (handle_) {
    auto [cached, inserted] = expected_cache_.try_emplace({out.path, mode});
    if (inserted) {
      char* context = nullptr;
      if (selabel_lookup(handle_.get(), &context, out.path.c_str(), static_cast<int>(mode)) == 0 && context) {
        cached->second = context;
        freecon(context);
      }
    }
    out.expected = cached->second;
  }
  return out;
}

}  // namespace modgate::selinux
