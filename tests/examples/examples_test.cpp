// Every example in examples/ runs here: its report and exit status are checked
// against its expected.json.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/support/example_root.h"
#include "tests/support/run_program.h"

namespace modgate {
namespace {

using nlohmann::json;

class Example : public ::testing::TestWithParam<std::string> {};

TEST_P(Example, ReportAndExitStatusAreAsExpected) {
  const std::string name = GetParam();
  json expected = json::parse(test::slurp(test::kSourceDir + "/examples/" + name + "/expected.json"));
  test::ExampleRoot root(name);
  auto run =
      test::runProgram({MODGATE_CLI, "scan", "--rules", root.rules(), "--root", root.path(), "--format", "json"});
  ASSERT_EQ(run.exit_status, expected["exit_status"].get<int>()) << run.err << run.out;
  json report = json::parse(run.out);
  EXPECT_EQ(report["schema"], "modgate.report/1");
  EXPECT_EQ(report["host"]["hostname"], name + "-host");
  EXPECT_EQ(report["host"]["selinux"]["source"], "installed");
  for (const auto& want : expected["subjects"]) {
    bool found = false;
    for (const auto& subject : report["subjects"]) {
      if (subject["id"] != want["id"]) continue;
      found = true;
      EXPECT_EQ(subject["selinux_domain"], want["selinux_domain"]) << subject.dump(2);
    }
    EXPECT_TRUE(found) << "subject " << want["id"] << " not discovered";
  }
  for (const auto& want : expected["results"]) {
    const json* got = nullptr;
    for (const auto& result : report["results"]) {
      if (result["rule"] == want["rule"] && result["subject"] == want["subject"] &&
          result["object"] == want["object"]) {
        got = &result;
      }
    }
    ASSERT_NE(got, nullptr) << "no result for " << want.dump();
    EXPECT_EQ((*got)["status"], want["status"]) << got->dump(2);
    EXPECT_EQ((*got)["fingerprint"].get<std::string>().size(), 16u);
    if (want.contains("remedy_booleans")) {
      for (const auto& booleans : want["remedy_booleans"]) {
        bool offered = false;
        for (const auto& remedy : (*got)["remedies"]) offered = offered || remedy["booleans"] == booleans;
        EXPECT_TRUE(offered) << booleans.dump() << " not offered: " << got->dump(2);
      }
      if (want["remedy_booleans"].empty()) {
        EXPECT_TRUE((*got)["remedies"].empty()) << got->dump(2);
      }
    }
  }
}

std::vector<std::string> exampleNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(test::kSourceDir + "/examples")) {
    if (std::filesystem::exists(entry.path() / "expected.json")) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Examples, Example, ::testing::ValuesIn(exampleNames()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string id;
                           for (char c : param.param) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return id;
                         });

TEST(Examples, ThereAreAtLeastThree) {
  EXPECT_GE(exampleNames().size(), 3u);
}

}  // namespace
}  // namespace modgate
