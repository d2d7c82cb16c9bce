// The HOST:PORT grammar and the access vectors Go needs.
#include "scanner/selinux/go_access.h"

#include <gtest/gtest.h>

#include "tests/support/fixture_root.h"

namespace modgate::selinux {
namespace {

TEST(ParseEndpoint, AcceptsNamesIpv4AndBracketedIpv6) {
  auto name = parseEndpoint("proxy.golang.org:443");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->host, "proxy.golang.org");
  EXPECT_EQ(name->port, 443u);
  EXPECT_FALSE(name->ip_literal);
  EXPECT_EQ(name->uri(), "tcp://proxy.golang.org:443");
  auto v4 = parseEndpoint("10.0.0.1:3000");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->ip_literal);
  auto v6 = parseEndpoint("[2001:db8::1]:8080");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->ip_literal);
  EXPECT_EQ(v6->uri(), "tcp://[2001:db8::1]:8080");
}

TEST(ParseEndpoint, NamesWhatIsWrong) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const auto& item :
       {Case{"proxy", "HOST:PORT"}, Case{"proxy:", "not a number"}, Case{"proxy:http", "not a number"},
        Case{"proxy:0", "outside"}, Case{"proxy:65536", "outside"}, Case{":443", "not a host"},
        Case{"2001:db8::1:443", "[ADDRESS]:PORT"}, Case{"[2001:db8::1:443", "']'"}, Case{"[zz]:443", "not an IPv6"},
        Case{"pro xy:443", "not a host"}, Case{"proxy:44 3", "not a number"}, Case{"$(reboot):1", "not a host"}}) {
    auto parsed = parseEndpoint(item.text);
    ASSERT_FALSE(parsed) << item.text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find(item.says), std::string::npos) << parsed.error().message;
  }
}

TEST(CacheNeeds, WritingCreatesEntriesWithTheTransitionedType) {
  auto policy = Policy::fromFile(test::kHostPolicy);
  ASSERT_TRUE(policy);
  // unconfined_t creating files in /tmp (tmp_t) gets user_tmp_t by type_transition.
  TypeId domain = *policy->type("unconfined_t");
  auto needs = cacheNeeds(*policy, domain, {"/tmp/gocache", *policy->type("tmp_t")},
                          {{"/", *policy->type("root_t")}, {"/tmp", *policy->type("tmp_t")}}, CacheAccess::kWrite);
  ASSERT_TRUE(needs);
  bool file_in_user_tmp = false;
  for (const auto& need : *needs) {
    if (policy->className(need.tclass) == "file") file_in_user_tmp = policy->typeName(need.target) == "user_tmp_t";
  }
  EXPECT_TRUE(file_in_user_tmp);
  auto read = cacheNeeds(*policy, domain, {"/tmp/gocache", *policy->type("tmp_t")}, {}, CacheAccess::kRead);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->size(), 2u);
}

}  // namespace
}  // namespace modgate::selinux
