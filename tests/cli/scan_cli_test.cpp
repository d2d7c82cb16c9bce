// `modgate scan` and `modgate rules validate` as users and CI pipelines run them.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "tests/support/example_root.h"
#include "tests/support/run_program.h"

namespace modgate {
namespace {

using nlohmann::json;
namespace stdfs = std::filesystem;

test::ProgramRun modgate(std::vector<std::string> args) {
  args.insert(args.begin(), MODGATE_CLI);
  return test::runProgram(args);
}

/// Path, type, size, mode, owner and mtime of everything below dir.
std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : stdfs::recursive_directory_iterator(dir)) {
    struct stat info {};
    ::lstat(entry.path().c_str(), &info);
    out[entry.path().string()] = std::to_string(info.st_mode) + "/" + std::to_string(info.st_size) + "/" +
                                 std::to_string(info.st_uid) + "/" + std::to_string(info.st_mtim.tv_sec) + "." +
                                 std::to_string(info.st_mtim.tv_nsec);
  }
  return out;
}

TEST(ScanCli, WritesEveryFormatInOneRunAndEachValidates) {
  test::ExampleRoot root("webhook-httpd");
  test::TempRoot out;
  auto run = modgate({"scan", "--rules", root.rules(), "--root", root.path(), "--format", "text", "--report",
                      "json=" + out.path() + "/r.json", "--report", "junit=" + out.path() + "/r.xml", "--report",
                      "sarif=" + out.path() + "/r.sarif", "--report", "xccdf=" + out.path() + "/r.xccdf.xml"});
  EXPECT_EQ(run.exit_status, 1) << run.err;
  EXPECT_NE(run.out.find("summary: 0 pass, 1 fail"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("\033["), std::string::npos) << "no colour when stdout is not a terminal";

  auto junit = test::runProgram(
      {"/usr/bin/xmllint", "--noout", "--schema", test::kSourceDir + "/tests/data/junit.xsd", out.path() + "/r.xml"});
  EXPECT_EQ(junit.exit_status, 0) << junit.err;
  std::string xml = test::slurp(out.path() + "/r.xml");
  EXPECT_NE(xml.find("classname=\"modgate.webhook-httpd-host.HOOK-PROXY-001\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure type=\"high\""), std::string::npos);
  EXPECT_NE(xml.find("setsebool -P httpd_can_network_connect=1"), std::string::npos) << "details are in the text";
  EXPECT_NE(xml.find("<skipped message=\"waived: internal modules"), std::string::npos);

  auto validate = test::runProgram({"/usr/bin/oscap", "xccdf", "validate", out.path() + "/r.xccdf.xml"});
  EXPECT_EQ(validate.exit_status, 0) << validate.out << validate.err;
  auto html = test::runProgram({"/usr/bin/oscap", "xccdf", "generate", "report", "--output", out.path() + "/r.html",
                                out.path() + "/r.xccdf.xml"});
  EXPECT_EQ(html.exit_status, 0) << html.err;
  std::string page = test::slurp(out.path() + "/r.html");
  EXPECT_NE(page.find("HOOK-PROXY-001"), std::string::npos);
  EXPECT_NE(page.find("The deploy hook reaches the public module proxy"), std::string::npos);

  json sarif = json::parse(test::slurp(out.path() + "/r.sarif"));
  EXPECT_EQ(sarif["version"], "2.1.0");
  const auto& sarif_run = sarif["runs"][0];
  const auto& rules = sarif_run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 2u);
  for (const auto& rule : rules) {
    EXPECT_FALSE(rule["help"]["text"].get<std::string>().empty());
    EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty());
    EXPECT_FALSE(rule["fullDescription"]["text"].get<std::string>().empty());
  }
  bool located = false;
  for (const auto& result : sarif_run["results"]) {
    EXPECT_FALSE(result["message"]["text"].get<std::string>().empty());
    EXPECT_FALSE(result["partialFingerprints"]["primaryLocationLineHash"].get<std::string>().empty());
    const auto& physical = result["locations"][0]["physicalLocation"];
    EXPECT_EQ(physical["artifactLocation"]["uri"], root.rules());
    if (result["ruleId"] == "HOOK-PROXY-001") {
      located = true;
      EXPECT_EQ(physical["region"]["startLine"], 16) << "the line of [[rule]] HOOK-PROXY-001 in rules.toml";
      EXPECT_EQ(result["kind"], "fail");
      EXPECT_EQ(result["level"], "error");
    }
    if (result["ruleId"] == "HOOK-ENV-001") {
      EXPECT_EQ(result["suppressions"][0]["status"], "accepted");
    }
  }
  EXPECT_TRUE(located);

  json report = json::parse(test::slurp(out.path() + "/r.json"));
  EXPECT_EQ(report["summary"]["fail"], 1);
  EXPECT_EQ(report["summary"]["waived"], 1);
  EXPECT_EQ(report["summary"]["compliant"], false);
}

TEST(ScanCli, ReportsToDevicesAreWrittenNotReplaced) {
  test::ExampleRoot root("webhook-httpd");
  struct stat before {};
  ASSERT_EQ(::stat("/dev/null", &before), 0);
  auto run = modgate({"scan", "--rules", root.rules(), "--root", root.path(), "--report", "json=/dev/null"});
  EXPECT_EQ(run.exit_status, 1) << run.err;
  struct stat after {};
  ASSERT_EQ(::stat("/dev/null", &after), 0);
  EXPECT_TRUE(S_ISCHR(after.st_mode)) << "/dev/null must stay a device";
  EXPECT_EQ(before.st_rdev, after.st_rdev);
  EXPECT_FALSE(std::filesystem::exists("/dev/null.modgate-tmp"));
}

TEST(ScanCli, FailOnDecidesWhichFailuresCount) {
  test::ExampleRoot root("webhook-httpd");
  auto high = modgate({"scan", "--rules", root.rules(), "--root", root.path(), "--fail-on", "high"});
  EXPECT_EQ(high.exit_status, 1);
  auto critical = modgate({"scan", "--rules", root.rules(), "--root", root.path(), "--fail-on", "critical"});
  EXPECT_EQ(critical.exit_status, 0) << "a high failure below --fail-on critical, nothing incomplete";
}

TEST(ScanCli, BaselineMarksNewUnchangedAndAbsent) {
  test::ExampleRoot root("webhook-httpd");
  test::TempRoot files;
  std::string first = files.path() + "/first.json";
  ASSERT_EQ(modgate({"scan", "--rules", root.rules(), "--root", root.path(), "--output", first, "--format", "json"})
                .exit_status,
            1);
  auto again =
      modgate({"scan", "--rules", root.rules(), "--root", root.path(), "--format", "json", "--baseline", first});
  json same = json::parse(again.out);
  for (const auto& result : same["results"]) {
    if (result["status"] == "fail") {
      EXPECT_EQ(result["baseline"], "unchanged");
    }
  }
  EXPECT_TRUE(same["baseline"]["absent"].empty());

  std::string rules = test::slurp(root.rules());
  rules.replace(rules.find("url = \"https://proxy.golang.org\""), 32, "url = \"https://goproxy.corp.example:3128\"");
  files.write("/moved.toml", rules);
  auto moved = modgate({"scan", "--rules", files.path() + "/moved.toml", "--root", root.path(), "--format", "json",
                        "--baseline", first});
  json changed = json::parse(moved.out);
  bool new_fail = false;
  for (const auto& result : changed["results"]) {
    if (result["object"] == "tcp://goproxy.corp.example:3128") new_fail = result["baseline"] == "new";
  }
  EXPECT_TRUE(new_fail) << moved.out;
  ASSERT_EQ(changed["baseline"]["absent"].size(), 1u);
  EXPECT_EQ(changed["baseline"]["absent"][0]["object"], "tcp://proxy.golang.org:443");

  files.write("/not-a-report.json", "{\"schema\": \"something else\"}");
  auto bad = modgate(
      {"scan", "--rules", root.rules(), "--root", root.path(), "--baseline", files.path() + "/not-a-report.json"});
  EXPECT_EQ(bad.exit_status, 2);
  EXPECT_NE(bad.err.find("not-a-report.json"), std::string::npos);
}

TEST(ScanCli, NothingApplicableIsIncompleteNotCompliant) {
  test::TempRoot root;
  root.installSelinuxPolicy();
  root.write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  test::TempRoot files;
  files.write("/rules.toml",
              "schema = 1\n[[subject]]\nid = \"cron\"\ndiscover = \"cron\"\n[[rule]]\nid = \"R-1\"\n"
              "title = \"t\"\nseverity = \"high\"\ncheck = \"go-install\"\n");
  auto run = modgate({"scan", "--rules", files.path() + "/rules.toml", "--root", root.path(), "--format", "json"});
  EXPECT_EQ(run.exit_status, 3) << run.out;
  json report = json::parse(run.out);
  EXPECT_EQ(report["summary"]["notapplicable"], 1);
  EXPECT_EQ(report["summary"]["compliant"], false);
}

TEST(ScanCli, AnUnreadablePolicyIsAnErrorNeverAPass) {
  test::ExampleRoot root("ci-runner-systemd");
  root.root().write("/etc/selinux/default/policy/policy.33", "truncated");
  auto run = modgate({"scan", "--rules", root.rules(), "--root", root.path(), "--format", "json"});
  EXPECT_EQ(run.exit_status, 3) << run.out;
  json report = json::parse(run.out);
  EXPECT_NE(report["host"]["selinux"]["problem"].get<std::string>().find("policy.33"), std::string::npos);
  for (const auto& result : report["results"]) {
    if (result["check"] == "proxy-reachable") {
      EXPECT_EQ(result["status"], "error") << result.dump(2);
    }
  }
  test::TempRoot files;
  files.write("/state.toml",
              "schema = 1\n[[rule]]\nid = \"S-1\"\ntitle = \"t\"\nseverity = \"high\"\ncheck = \"selinux-state\"\n");
  root.root().write("/etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=missing\n");
  auto state = modgate({"scan", "--rules", files.path() + "/state.toml", "--root", root.path(), "--format", "json"});
  EXPECT_EQ(state.exit_status, 3) << state.out;
  EXPECT_EQ(json::parse(state.out)["results"][0]["status"], "error");
}

TEST(ScanCli, ReportsGoInstallsWithTheirLabels) {
  test::ExampleRoot root("ci-runner-systemd");
  root.root().write("/usr/local/go/VERSION", "go1.21.5\n");
  root.root().write("/usr/local/go/bin/go", "#!/bin/false\n");
  ASSERT_EQ(::chmod((root.path() + "/usr/local/go/bin/go").c_str(), 0755), 0);
  auto run = modgate({"scan", "--rules", root.rules(), "--root", root.path(), "--format", "json"});
  json report = json::parse(run.out);
  ASSERT_EQ(report["go_installs"].size(), 1u) << run.out;
  const auto& install = report["go_installs"][0];
  EXPECT_EQ(install["path"], "/usr/local/go/bin/go");
  EXPECT_EQ(install["version"], "go1.21.5");
  EXPECT_EQ(install["selinux_type"], "bin_t");
  EXPECT_EQ(install["tool_selinux_type"], "usr_t") << "the toolchain under /usr/local/go is usr_t on Debian";
  // systemd's default PATH does not contain /usr/local/go/bin: the runner finds no go.
  EXPECT_TRUE(report["subjects"][0]["go"].is_null()) << report["subjects"][0].dump(2);
}

TEST(ScanCli, AScanChangesNothingUnderTheRoot) {
  test::ExampleRoot root("ci-runner-systemd");
  auto before = snapshot(root.path());
  auto run = modgate({"scan", "--rules", root.rules(), "--root", root.path(), "--format", "json"});
  EXPECT_EQ(run.exit_status, 0) << run.err;
  EXPECT_EQ(snapshot(root.path()), before);
}

TEST(ScanCli, BadRuleFilesStopTheScanWithDiagnostics) {
  test::TempRoot files;
  files.write("/bad.toml",
              "schema = 1\n[[rule]]\nid = \"R-1\"\ntitle = \"t\"\nseverity = \"urgent\"\ncheck = \"go-env\"\n");
  auto scan = modgate({"scan", "--rules", files.path() + "/bad.toml", "--format", "json"});
  EXPECT_EQ(scan.exit_status, 2);
  EXPECT_TRUE(scan.out.empty()) << "no report from invalid rules";
  EXPECT_NE(scan.err.find(files.path() + "/bad.toml:5:12: error[MG007]: R-1: 'rule.severity'"), std::string::npos)
      << scan.err;
  auto validate = modgate({"rules", "validate", files.path() + "/bad.toml"});
  EXPECT_EQ(validate.exit_status, 2);
  EXPECT_NE(validate.out.find("error[MG004]"), std::string::npos) << validate.out;
  auto as_json = modgate({"rules", "validate", "--format", "json", files.path() + "/bad.toml"});
  json diagnostics = json::parse(as_json.out);
  EXPECT_EQ(diagnostics["ok"], false);
  EXPECT_GE(diagnostics["diagnostics"].size(), 2u);
  auto good = modgate({"rules", "validate", test::kSourceDir + "/rules/default.toml",
                       test::kSourceDir + "/examples/webhook-httpd/rules.toml"});
  EXPECT_EQ(good.exit_status, 0) << good.out;
  EXPECT_NE(good.out.find("0 error(s), 0 warning(s) in 2 file(s)"), std::string::npos) << good.out;
  // Two files that both declare proxy "goenv" conflict when merged.
  auto conflict = modgate({"rules", "validate", test::kSourceDir + "/rules/default.toml",
                           test::kSourceDir + "/examples/cron-corporate-proxy/rules.toml"});
  EXPECT_EQ(conflict.exit_status, 2);
  EXPECT_NE(conflict.out.find("duplicate proxy id 'goenv' (first defined at"), std::string::npos) << conflict.out;
}

TEST(ScanCli, UsageErrorsAndUnreadableRoots) {
  EXPECT_EQ(modgate({"scan", "--report", "pdf=/tmp/x"}).exit_status, 2);
  EXPECT_EQ(modgate({"scan", "--report", "json"}).exit_status, 2);
  EXPECT_EQ(modgate({"scan", "--fail-on", "severe"}).exit_status, 2);
  auto missing = modgate({"scan", "--root", "/nonexistent/image"});
  EXPECT_EQ(missing.exit_status, 3);
  EXPECT_NE(missing.err.find("/nonexistent/image"), std::string::npos);
}

TEST(ScanCli, SubjectFilterKeepsHostResultsAndTheNamedSubjects) {
  test::ExampleRoot root("cron-corporate-proxy");
  auto run =
      modgate({"scan", "--rules", root.rules(), "--root", root.path(), "--format", "json", "--subject", "nobody"});
  json report = json::parse(run.out);
  EXPECT_TRUE(report["subjects"].empty());
  EXPECT_EQ(run.exit_status, 3) << "nothing left to apply";
}

}  // namespace
}  // namespace modgate
