// On-disk labels win over file_contexts. Writing security.selinux needs
// CAP_SYS_ADMIN, so this file is built into the root-labelled test program.
#include <sys/xattr.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "scanner/selinux/file_labels.h"
#include "scanner/selinux/policy_source.h"
#include "scanner/selinux/query.h"
#include "tests/support/fixture_root.h"

namespace modgate::selinux {
namespace {

void setLabel(const std::string& path, const std::string& context) {
  ASSERT_EQ(::lsetxattr(path.c_str(), "security.selinux", context.c_str(), context.size() + 1, 0), 0)
      << path << ": " << std::strerror(errno) << " (this test needs root)";
}

TEST(FileLabelsOnDisk, TheActualLabelIsUsedWhenPresent) {
  test::TempRoot root;
  root.installSelinuxPolicy();
  root.mkdir("/var/cache/goproxy");
  setLabel(root.path() + "/var/cache/goproxy", "system_u:object_r:system_cronjob_tmp_t:s0");
  auto host = locatePolicy(root.path());
  ASSERT_TRUE(host);
  auto labeler = FileLabeler::open(root.path(), host->file_contexts);
  ASSERT_TRUE(labeler);
  auto label = labeler->label("/var/cache/goproxy", S_IFDIR);
  ASSERT_TRUE(label);
  EXPECT_EQ(label->actual.value_or(""), "system_u:object_r:system_cronjob_tmp_t:s0");
  EXPECT_EQ(label->expected.value_or(""), "system_u:object_r:var_t:s0");
  EXPECT_EQ(label->type().value_or(""), "system_cronjob_tmp_t");
  EXPECT_STREQ(label->typeSource(), "xattr");

  // The cron job may manage its own tmp type, so the relabelled cache is writable.
  auto policy = loadPolicy(*host);
  ASSERT_TRUE(policy);
  QueryRequest request;
  request.kind = QueryRequest::Kind::kWrite;
  request.domain = "system_cronjob_t";
  request.target = "/var/cache/goproxy";
  auto result = runQuery(*policy, *labeler, request);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->target_type, "system_cronjob_tmp_t");
  EXPECT_TRUE(result->allowed);
}

TEST(FileLabelsOnDisk, ATypeThePolicyLacksIsUnlabeled) {
  test::TempRoot root;
  root.installSelinuxPolicy();
  root.mkdir("/srv/cache");
  setLabel(root.path() + "/srv/cache", "system_u:object_r:gocache_custom_t:s0");
  auto host = locatePolicy(root.path());
  ASSERT_TRUE(host);
  auto labeler = FileLabeler::open(root.path(), host->file_contexts);
  ASSERT_TRUE(labeler);
  auto policy = loadPolicy(*host);
  ASSERT_TRUE(policy);
  QueryRequest request;
  request.kind = QueryRequest::Kind::kRead;
  request.domain = "unconfined_t";
  request.target = "/srv/cache";
  auto result = runQuery(*policy, *labeler, request);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->target_type, "unlabeled_t");
  ASSERT_FALSE(result->notes.empty());
  EXPECT_NE(result->notes[0].find("gocache_custom_t"), std::string::npos);
}

}  // namespace
}  // namespace modgate::selinux
