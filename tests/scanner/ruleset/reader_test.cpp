// Rule files: what loads, and every problem as a diagnostic with file:line:col.
#include "scanner/ruleset/reader.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace modgate::ruleset {
namespace {

constexpr Date kToday{2026, 11, 21};

class RuleFiles : public ::testing::Test {
 protected:
  static LoadResult load(const std::string& text, const std::string& origin = "rules.toml") {
    return loadRuleSources({{origin, text}}, kToday);
  }
  static RuleSet rulesShouldLoad(const std::string& text) {
    auto result = load(text);
    for (const auto& diagnostic : result.diagnostics) ADD_FAILURE() << formatDiagnostic(diagnostic);
    return result.rules;
  }
  /// The first diagnostic with code; fails the test when there is none.
  static Diagnostic rulesShouldFail(const std::string& code, const std::string& text) {
    auto result = load(text);
    auto it = std::find_if(result.diagnostics.begin(), result.diagnostics.end(),
                           [&](const Diagnostic& d) { return d.code == code; });
    if (it == result.diagnostics.end()) {
      ADD_FAILURE() << "no " << code << " diagnostic; got " << result.diagnostics.size();
      for (const auto& d : result.diagnostics) ADD_FAILURE() << formatDiagnostic(d);
      return {};
    }
    return *it;
  }
};

constexpr const char* kGood = R"(schema = 1
name = "ci"

[[subject]]
id = "nightly"
selinux_domain = "system_cronjob_t"
user = "builder"
env = { GOFLAGS = "-modcacherw" }

[[proxy]]
id = "corp"
url = "https://goproxy.corp.example:3000"

[[cache]]
id = "modcache"
path = "/srv/gocache/mod"
kind = "gomodcache"
mode = "2775"
writers = ["nightly"]

[[rule]]
id = "GO-PROXY-001"
title = "Go tooling reaches its module proxy"
severity = "high"
check = "proxy-reachable"
subjects = ["nightly"]
proxies = ["corp"]

[[rule]]
id = "GO-ENV-001"
title = "Shared caches are writable"
severity = "medium"
check = "go-env"
expect = { GOFLAGS = { contains = "-modcacherw" }, GOPROXY = "https://goproxy.corp.example:3000", GOSUMDB = { not = "off" } }

[[waiver]]
rule = "GO-PROXY-001"
object = "tcp://goproxy.corp.example:3000"
reason = "migrating, SEC-123"
expires = 2027-01-31
)";

TEST_F(RuleFiles, AGoodFileLoadsEveryField) {
  RuleSet rules = rulesShouldLoad(kGood);
  ASSERT_EQ(rules.subjects.size(), 1u);
  EXPECT_EQ(rules.subjects[0].selinux_domain, "system_cronjob_t");
  EXPECT_EQ(rules.subjects[0].env.at("GOFLAGS"), "-modcacherw");
  EXPECT_EQ(rules.proxies[0].url, "https://goproxy.corp.example:3000");
  EXPECT_EQ(rules.caches[0].mode.value_or(0), 02775u);
  ASSERT_EQ(rules.rules.size(), 2u);
  EXPECT_EQ(rules.rules[0].severity, Severity::kHigh);
  EXPECT_EQ(rules.rules[0].where.line, 21);
  EXPECT_EQ(rules.rules[1].expect.size(), 3u);
  ASSERT_EQ(rules.waivers.size(), 1u);
  EXPECT_EQ(rules.waivers[0].expires->text(), "2027-01-31");
  EXPECT_EQ(rules.names, std::vector<std::string>{"ci"});
}

TEST_F(RuleFiles, SyntaxErrorsNameLineAndColumn) {
  auto d = rulesShouldFail("MG001", "schema = 1\n[[rule]\nid = 'x'\n");
  EXPECT_EQ(d.file, "rules.toml");
  EXPECT_EQ(d.line, 2);
  EXPECT_GT(d.column, 0);
  EXPECT_EQ(d.level, Diagnostic::Level::kError);
}

TEST_F(RuleFiles, UnknownKeysAreWarningsNotIgnored) {
  auto result = load(std::string(kGood) + "\n[[proxy]]\nid = \"p2\"\nurl = \"https://x.example\"\ncolour = \"red\"\n");
  EXPECT_TRUE(result.ok());
  auto it = std::find_if(result.diagnostics.begin(), result.diagnostics.end(),
                         [](const Diagnostic& d) { return d.code == "MG002"; });
  ASSERT_NE(it, result.diagnostics.end());
  EXPECT_EQ(it->level, Diagnostic::Level::kWarning);
  EXPECT_EQ(it->rule_id, "p2");
  EXPECT_EQ(it->field, "proxy.colour");
  EXPECT_GT(it->line, 40);
}

TEST_F(RuleFiles, WrongTypesAreNamedByField) {
  auto d = rulesShouldFail("MG003",
                           "schema = 1\n[[rule]]\nid = \"R-1\"\ntitle = \"t\"\nseverity = 3\ncheck = \"go-install\"\n");
  EXPECT_EQ(d.rule_id, "R-1");
  EXPECT_EQ(d.field, "rule.severity");
  EXPECT_EQ(d.line, 5);
  auto list = rulesShouldFail("MG003",
                              "schema = 1\n[[rule]]\nid = \"R-1\"\ntitle = \"t\"\nseverity = \"low\"\n"
                              "check = \"go-install\"\nsubjects = \"all\"\n");
  EXPECT_EQ(list.field, "rule.subjects");
  auto section = rulesShouldFail("MG003", "schema = 1\nrule = 5\n");
  EXPECT_EQ(section.field, "rule");
}

TEST_F(RuleFiles, BadValuesAreNamed) {
  EXPECT_EQ(rulesShouldFail("MG007",
                            "schema = 1\n[[rule]]\nid = \"R\"\ntitle = \"t\"\nseverity = \"urgent\"\n"
                            "check = \"go-install\"\n")
                .field,
            "rule.severity");
  auto check = rulesShouldFail("MG008",
                               "schema = 1\n[[rule]]\nid = \"R\"\ntitle = \"t\"\nseverity = \"low\"\n"
                               "check = \"go-vibes\"\n");
  EXPECT_NE(check.message.find("proxy-reachable"), std::string::npos) << "the message lists the catalogue";
  for (const char* url : {"goproxy.example", "ftp://x.example", "https://:443", "https://x.example:99999",
                          "https://user:pw@x.example", "https://x y.example"}) {
    auto d = rulesShouldFail("MG009", std::string("schema = 1\n[[proxy]]\nid = \"p\"\nurl = \"") + url + "\"\n");
    EXPECT_EQ(d.field, "proxy.url") << url;
  }
  rulesShouldFail("MG011", "schema = 1\n[[cache]]\nid = \"c\"\npath = \"relative/dir\"\n");
  rulesShouldFail("MG011", "schema = 1\n[[cache]]\nid = \"c\"\npath = \"/x\"\nmode = \"rwx\"\n");
  rulesShouldFail("MG011", "schema = 1\n[[subject]]\nid = \"s\"\ndiscover = \"everything\"\n");
  rulesShouldFail("MG011", "schema = 1\n[[subject]]\nid = \"s\"\ndiscover = \"all\"\nuser = \"x\"\n");
  rulesShouldFail("MG011",
                  "schema = 1\n[[rule]]\nid = \"R\"\ntitle = \"t\"\nseverity = \"low\"\ncheck = \"go-env\"\n"
                  "expect = { GOFLAGS = { matches = \"([\" } }\n");
  rulesShouldFail("MG011",
                  "schema = 1\n[[rule]]\nid = \"R\"\ntitle = \"t\"\nseverity = \"low\"\ncheck = \"go-env\"\n"
                  "expect = { PATH = \"/usr/bin\" }\n");
  rulesShouldFail("MG011",
                  "schema = 1\n[[rule]]\nid = \"bad id!\"\ntitle = \"t\"\nseverity = \"low\"\n"
                  "check = \"go-install\"\n");
}

TEST_F(RuleFiles, MissingRequiredKeys) {
  EXPECT_EQ(rulesShouldFail("MG004", "name = \"x\"\n").field, "schema");
  EXPECT_EQ(rulesShouldFail("MG004", "schema = 1\n[[rule]]\nid = \"R\"\ntitle = \"t\"\ncheck = \"go-install\"\n").field,
            "rule.severity");
  EXPECT_EQ(rulesShouldFail("MG004", "schema = 1\n[[subject]]\nid = \"s\"\n").rule_id, "s");
  rulesShouldFail("MG004", "schema = 1\n[[rule]]\nid = \"R\"\ntitle = \"t\"\nseverity = \"low\"\ncheck = \"go-env\"\n");
  rulesShouldFail("MG013", "schema = 2\n");
}

TEST_F(RuleFiles, DanglingReferencesAreErrors) {
  auto d = rulesShouldFail("MG006",
                           "schema = 1\n[[rule]]\nid = \"R\"\ntitle = \"t\"\nseverity = \"low\"\n"
                           "check = \"proxy-reachable\"\nsubjects = [\"ghost\"]\nproxies = [\"nowhere\"]\n");
  EXPECT_NE(d.message.find("ghost"), std::string::npos);
  rulesShouldFail("MG006", "schema = 1\n[[waiver]]\nrule = \"NOPE-1\"\nreason = \"r\"\n");
  rulesShouldFail("MG006", "schema = 1\n[[cache]]\nid = \"c\"\npath = \"/x\"\nwriters = [\"ghost\"]\n");
}

TEST_F(RuleFiles, DuplicateIdsWithinAndAcrossFilesAreErrors) {
  auto within = rulesShouldFail("MG005",
                                "schema = 1\n[[proxy]]\nid = \"p\"\nurl = \"https://a.example\"\n"
                                "[[proxy]]\nid = \"p\"\nurl = \"https://b.example\"\n");
  EXPECT_NE(within.message.find("first defined at rules.toml:2"), std::string::npos) << within.message;
  auto across = loadRuleSources({{"a.toml", kGood}, {"b.toml", kGood}}, kToday);
  EXPECT_FALSE(across.ok());
  auto it = std::find_if(across.diagnostics.begin(), across.diagnostics.end(),
                         [](const Diagnostic& d) { return d.code == "MG005" && d.file == "b.toml"; });
  ASSERT_NE(it, across.diagnostics.end());
  EXPECT_NE(it->message.find("a.toml"), std::string::npos);
}

TEST_F(RuleFiles, SeveralFilesMerge) {
  auto merged = loadRuleSources({{"a.toml", kGood},
                                 {"b.toml",
                                  "schema = 1\n[[rule]]\nid = \"GO-INST-9\"\ntitle = \"t\"\n"
                                  "severity = \"low\"\ncheck = \"go-install\"\nsubjects = [\"nightly\"]\n"}},
                                kToday);
  EXPECT_TRUE(merged.ok());
  EXPECT_EQ(merged.rules.rules.size(), 3u);
  EXPECT_EQ(merged.rules.files, (std::vector<std::string>{"a.toml", "b.toml"}));
}

TEST_F(RuleFiles, ExpiredWaiversWarnAndStayOutOfForce) {
  auto result =
      load(std::string(kGood) + "\n[[waiver]]\nrule = \"GO-ENV-001\"\nreason = \"old\"\nexpires = 2020-01-01\n");
  EXPECT_TRUE(result.ok());
  auto it = std::find_if(result.diagnostics.begin(), result.diagnostics.end(),
                         [](const Diagnostic& d) { return d.code == "MG010"; });
  ASSERT_NE(it, result.diagnostics.end());
  EXPECT_EQ(it->level, Diagnostic::Level::kWarning);
  EXPECT_NE(it->message.find("2020-01-01"), std::string::npos);
  rulesShouldFail("MG003",
                  "schema = 1\n[[rule]]\nid = \"R\"\ntitle = \"t\"\nseverity = \"low\"\ncheck = \"go-install\"\n"
                  "[[waiver]]\nrule = \"R\"\nreason = \"r\"\nexpires = \"soon\"\n");
}

TEST_F(RuleFiles, CacheEntriesAreValidated) {
  rulesShouldFail("MG011", "schema = 1\n[[cache]]\nid = \"c\"\npath = \"/x\"\ndefault_acl = [\"group:ro ot:rwx\"]\n");
  rulesShouldFail("MG011", "schema = 1\n[[cache]]\nid = \"c\"\npath = \"/x\"\ndefault_acl = [\"mask:x:rwx\"]\n");
  rulesShouldFail("MG011", "schema = 1\n[[cache]]\nid = \"c\"\npath = \"/x\"\ndefault_acl = [\"group::rwz\"]\n");
  rulesShouldLoad(
      "schema = 1\n[[cache]]\nid = \"c\"\npath = \"/x\"\ndefault_acl = [\"group::rwx\", \"d:group:godev:rwx\", "
      "\"mask::rwx\", \"other::r-x\"]\n");
}

TEST_F(RuleFiles, GarbageAndDeepNestingGiveDiagnosticsNotCrashes) {
  std::string garbage;
  unsigned state = 7;
  for (std::size_t i = 0; i < (std::size_t{3} << 20); ++i) {
    state = state * 1103515245u + 12345u;
    garbage += static_cast<char>(state >> 16);
  }
  EXPECT_FALSE(load(garbage).ok());
  std::string huge(std::size_t{10} << 20, 'x');
  auto too_big = load(huge);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.diagnostics[0].code, "MG014");
  std::string deep = "schema = 1\nx = " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  EXPECT_FALSE(load(deep).ok());
  std::string tables = "schema = 1\nx = ";
  for (int i = 0; i < 5000; ++i) tables += "{ a = ";
  tables += "1" + std::string(5000, '}') + "\n";
  EXPECT_FALSE(load(tables).ok());
}

TEST_F(RuleFiles, TheEmbeddedDefaultRulesLoadCleanly) {
  auto result = loadRuleSources({embeddedDefaultRules()}, kToday);
  for (const auto& d : result.diagnostics) ADD_FAILURE() << formatDiagnostic(d);
  EXPECT_EQ(result.rules.names, std::vector<std::string>{"modgate-default"});
  EXPECT_GE(result.rules.rules.size(), 5u);
  EXPECT_EQ(result.rules.subjects[0].discover, Discover::kAll);
}

TEST_F(RuleFiles, UnreadableFilesAreDiagnostics) {
  auto result = loadRuleFiles({"/nonexistent/rules.toml"}, kToday);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.diagnostics[0].code, "MG014");
  EXPECT_EQ(result.diagnostics[0].file, "/nonexistent/rules.toml");
}

}  // namespace
}  // namespace modgate::ruleset
