// `modgate query` as a user runs it: output, JSON schema and exit statuses.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "tests/support/fixture_root.h"
#include "tests/support/run_program.h"

namespace modgate {
namespace {

using nlohmann::json;

class QueryCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new test::TempRoot();
    root_->installSelinuxPolicy();
  }
  static void TearDownTestSuite() {
    delete root_;
    root_ = nullptr;
  }
  static test::ProgramRun modgate(std::vector<std::string> args) {
    args.insert(args.begin(), MODGATE_CLI);
    return test::runProgram(args);
  }
  static test::ProgramRun query(std::vector<std::string> args) {
    args.insert(args.begin(), {"query", "--root", root_->path()});
    return modgate(args);
  }
  static json queryJson(std::vector<std::string> args, int expected_status) {
    args.push_back("--format");
    args.push_back("json");
    auto run = query(args);
    EXPECT_EQ(run.exit_status, expected_status) << run.err;
    return json::parse(run.out);
  }
  static test::TempRoot* root_;
};
test::TempRoot* QueryCli::root_ = nullptr;

TEST_F(QueryCli, AllowedIsExitZeroWithTheReportSchema) {
  auto report = queryJson({"--domain", "unconfined_t", "--connect", "proxy.golang.org:443"}, 0);
  EXPECT_EQ(report["schema"], "modgate.query/1");
  EXPECT_EQ(report["decision"], "allowed");
  EXPECT_EQ(report["policy"]["source"], "installed");
  EXPECT_EQ(report["policy"]["path"], root_->path() + "/etc/selinux/default/policy/policy.33");
  EXPECT_EQ(report["object"], "tcp://proxy.golang.org:443");
  EXPECT_EQ(report["target_type"], "http_port_t");
  EXPECT_TRUE(report["missing"].empty());
  EXPECT_TRUE(report["remedies"].empty());
}

TEST_F(QueryCli, DeniedWithABooleanRemedyIsExitOne) {
  auto report = queryJson({"--domain", "httpd_t", "--connect", "proxy.golang.org:443"}, 1);
  EXPECT_EQ(report["decision"], "denied");
  ASSERT_EQ(report["missing"].size(), 1u);
  EXPECT_EQ(report["missing"][0]["source"], "httpd_t");
  EXPECT_EQ(report["missing"][0]["target"], "http_port_t");
  EXPECT_EQ(report["missing"][0]["class"], "tcp_socket");
  EXPECT_EQ(report["missing"][0]["perms"], json::array({"name_connect"}));
  EXPECT_EQ(report["missing"][0]["reason"], "te");
  bool offered = false;
  for (const auto& remedy : report["remedies"]) {
    EXPECT_EQ(remedy["kind"], "selinux-boolean");
    if (remedy["booleans"] == json{{"httpd_can_network_connect", true}}) {
      offered = true;
      EXPECT_EQ(remedy["commands"][0], "setsebool -P httpd_can_network_connect=1");
      EXPECT_NE(remedy["descriptions"]["httpd_can_network_connect"].get<std::string>().find("network"),
                std::string::npos);
    }
  }
  EXPECT_TRUE(offered);
}

TEST_F(QueryCli, RemediesStandWithoutPolicyDocumentation) {
  test::TempRoot bare;
  bare.installSelinuxPolicy();
  std::filesystem::remove(bare.path() + "/usr/share/selinux/devel/policy.xml");
  auto run =
      modgate({"query", "--root", bare.path(), "--domain", "httpd_t", "--connect", "1.2.3.4:443", "--format", "json"});
  EXPECT_EQ(run.exit_status, 1);
  auto report = json::parse(run.out);
  ASSERT_FALSE(report["remedies"].empty());
  EXPECT_TRUE(report["remedies"][0]["descriptions"].empty());
}

TEST_F(QueryCli, TextExplainsTheDenialAndTheFix) {
  auto run = query({"--domain", "httpd_sys_script_t", "--connect", "10.0.0.1:3000"});
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.out.find("httpd_sys_script_t may not connect to tcp://10.0.0.1:3000 (ntop_port_t)"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("setsebool -P httpd_can_network_connect=1 httpd_enable_cgi=1"), std::string::npos) << run.out;
  auto cron = query({"--domain", "system_cronjob_t", "--write", "/var/cache/goproxy"});
  EXPECT_EQ(cron.exit_status, 1);
  EXPECT_NE(cron.out.find("no boolean can allow this"), std::string::npos) << cron.out;
}

TEST_F(QueryCli, ExecReportsTheDomainTheProgramRunsIn) {
  auto report = queryJson({"--domain", "init_t", "--exec", "/usr/local/bin/gitlab-runner"}, 0);
  EXPECT_EQ(report["target_type"], "bin_t");
  EXPECT_EQ(report["exec"]["new_domain"], "initrc_t");
  EXPECT_EQ(report["exec"]["transitions"], true);
}

TEST_F(QueryCli, BadInputIsExitTwoWithOneLine) {
  struct Case {
    std::vector<std::string> args;
    const char* says;
  };
  std::vector<Case> cases = {
      {{"--domain", "no_such_t", "--connect", "a.example:443"}, "type 'no_such_t' is not in the policy"},
      {{"--domain", "httpd_t", "--connect", "a.example"}, "expected HOST:PORT"},
      {{"--domain", "httpd_t", "--connect", "a.example:70000"}, "outside 1-65535"},
      {{"--context", "user_u:system_r:httpd_t:s0", "--connect", "a.example:443"}, "is not valid in the policy"},
      {{"--domain", "httpd_t"}, "needs one of --connect"},
      {{"--connect", "a.example:443"}, "needs --domain"},
      {{"--domain", "httpd_t", "--connect", "a:1", "--write", "/x"}, "excludes"},
      {{"--domain", "httpd_t", "--connect", "a:1", "--format", "xml"}, "format"},
  };
  for (const auto& item : cases) {
    auto run = query(item.args);
    EXPECT_EQ(run.exit_status, 2) << item.says << ": " << run.err;
    EXPECT_NE(run.err.find(item.says), std::string::npos) << run.err;
  }
}

TEST_F(QueryCli, BrokenPolicyFilesAreExitTwo) {
  test::TempRoot files;
  std::string policy = test::slurp(test::kHostPolicy);
  files.write("/truncated", policy.substr(0, policy.size() / 3));
  files.write("/random", std::string(8192, '\x5a'));
  files.write("/empty", "");
  for (const char* name : {"/truncated", "/random", "/empty", "/missing"}) {
    auto run = query({"--domain", "httpd_t", "--connect", "a.example:443", "--policy", files.path() + name});
    EXPECT_EQ(run.exit_status, 2) << name << ": " << run.err;
    EXPECT_NE(run.err.find(files.path() + name), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
}

TEST_F(QueryCli, NothingToEvaluateIsExitThree) {
  test::TempRoot empty;
  auto no_policy = modgate({"query", "--root", empty.path(), "--domain", "httpd_t", "--connect", "a.example:443"});
  EXPECT_EQ(no_policy.exit_status, 3) << no_policy.err;
  EXPECT_NE(no_policy.err.find("no SELinux policy"), std::string::npos);
  auto no_root = modgate({"query", "--root", empty.path() + "/absent", "--domain", "httpd_t", "--connect", "a:1"});
  EXPECT_EQ(no_root.exit_status, 3);
  EXPECT_NE(no_root.err.find("cannot read root"), std::string::npos);
  auto json_error =
      modgate({"query", "--root", empty.path(), "--domain", "httpd_t", "--connect", "a:1", "--format", "json"});
  EXPECT_EQ(json_error.exit_status, 3);
  auto report = json::parse(json_error.out);
  EXPECT_EQ(report["decision"], "error");
  EXPECT_EQ(report["error"]["code"], "not-found");
}

TEST_F(QueryCli, VersionAndHelp) {
  auto version = modgate({"version"});
  EXPECT_EQ(version.exit_status, 0);
  EXPECT_EQ(version.out, std::string("modgate ") + MODGATE_VERSION + "\n");
  auto help = modgate({"query", "--help"});
  EXPECT_EQ(help.exit_status, 0);
  EXPECT_NE(help.out.find("--connect"), std::string::npos);
  auto none = modgate({});
  EXPECT_EQ(none.exit_status, 2);
}

}  // namespace
}  // namespace modgate
