#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "scanner/core/error.h"

struct selabel_handle;

namespace modgate::selinux {

/// Closes a libselinux labeling handle.
struct SelabelDeleter final {
  void operator()(selabel_handle* handle) const noexcept;
};
using UniqueSelabel = std::unique_ptr<selabel_handle, SelabelDeleter>;

/// What SELinux says about one path of the root.
struct FileLabel final {
  std::string path;  ///< as the root sees it, links resolved
  bool exists = false;
  std::optional<std::string> actual;    ///< its security.selinux attribute, if any
  std::optional<std::string> expected;  ///< what file_contexts assigns, if anything
  /// The type that applies: the actual label's when there is one, else the expected one.
  [[nodiscard]] std::optional<std::string> type() const;
  /// "xattr" when the actual label is used, "file_contexts" for the expected one, "none".
  [[nodiscard]] const char* typeSource() const;
};

/// Type field of a context ("u:r:t:s0" -> "t"); empty if malformed.
std::string contextType(const std::string& context);

/// Labels paths of a root from its own file_contexts (with .local, .homedirs and
/// substitutions) and from the security.selinux attributes on disk. Attributes are
/// read on every call; file_contexts answers are remembered. Not thread-safe.
class FileLabeler final {
 public:
  /// file_contexts is a path of the root, e.g. /etc/selinux/default/contexts/files/file_contexts.
  static Expected<FileLabeler> open(const std::string& root, const std::string& file_contexts);
  /// A labeler that only reads on-disk labels (no file_contexts known).
  static FileLabeler attributesOnly(const std::string& root);

  /// Labels path; a path that does not exist is labelled as assumed_mode
  /// (S_IFDIR or S_IFREG) would be.
  Expected<FileLabel> label(const std::string& path, mode_t assumed_mode) const;

 private:
  FileLabeler(std::string root, UniqueSelabel handle) : root_(std::move(root)), handle_(std::move(handle)) {}
  std::string root_;
  UniqueSelabel handle_;
  /// file_contexts answers by (path, file type): pure functions of the loaded
  /// specifications, and scans ask about the same ancestors again and again.
  mutable std::map<std::pair<std::string, mode_t>, std::optional<std::string>> expected_cache_;
};

}  // namespace modgate::selinux
