#include "scanner/report/scan_report.h"

#include <tinyxml2.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace modgate::report {
namespace {

using nlohmann::json;

const ruleset::Rule* findRule(const eval::ScanReport& report, const std::string& id) {
  auto it = std::find_if(report.rules.begin(), report.rules.end(), [&](const ruleset::Rule& r) { return r.id == id; });
  return it == report.rules.end() ? nullptr : &*it;
}

json remedyJson(const Remedy& remedy) {
  return {{"kind", remedy.kind},         {"booleans", remedy.booleans},     {"summary", remedy.summary},
          {"commands", remedy.commands}, {"conditions", remedy.conditions}, {"descriptions", remedy.descriptions}};
}

std::string resultLine(const eval::Result& result) {
  std::string line = result.message;
  if (line.empty()) line = result.actual;
  return line;
}

/// XML-safe id part: letters, digits, '.', '-', '_' kept, others as '_'.
std::string idPart(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool keep =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    out += keep ? c : '_';
  }
  return out.empty() ? "_" : out;
}

std::string timestampWithoutZone(const std::string& iso) {
  std::string out = iso;
  if (!out.empty() && out.back() == 'Z') out.pop_back();
  return out;
}

std::string seconds(double value) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(3);
  out << value;
  return out.str();
}

}  // namespace

json scanJson(const eval::ScanReport& report) {
  json out;
  out["schema"] = "modgate.report/1";
  out["tool"] = {{"name", "modgate"}, {"version", MODGATE_VERSION}};
  out["host"] = {{"hostname", report.hostname},
                 {"root", report.root},
                 {"scanned_at", report.scanned_at},
                 {"finished_at", report.finished_at},
                 {"selinux",
                  {{"state", report.mac.selinux_state},
                   {"source", report.mac.selinux_source},
                   {"policy", report.mac.selinux_policy},
                   {"type", report.mac.selinux_type}}},
                 {"apparmor", {{"state", report.mac.apparmor_state}, {"source", report.mac.apparmor_source}}}};
  if (!report.mac.selinux_problem.empty()) out["host"]["selinux"]["problem"] = report.mac.selinux_problem;
  out["rule_files"] = report.rule_files;
  out["subjects"] = json::array();
  for (const auto& subject : report.subjects) {
    json goenv = json::object();
    for (const auto& [key, value] : subject.goenv) goenv[key] = {{"value", value.value}, {"source", value.source}};
    json item = {{"id", subject.id},
                 {"rule_subject", subject.rule_subject},
                 {"launcher", gotool::launcherName(subject.launcher)},
                 {"description", subject.description},
                 {"tooling", subject.tooling},
                 {"user", subject.user},
                 {"home", subject.home},
                 {"selinux_domain", subject.selinux_domain},
                 {"domain_source", subject.domain_source},
                 {"path", subject.path},
                 {"goenv", goenv},
                 {"problems", subject.problems}};
    if (!subject.source.empty()) item["source"] = subject.source;
    if (subject.go) {
      item["go"] = {{"path", subject.go->path},
                    {"resolved", subject.go->resolved},
                    {"goroot", subject.go->goroot},
                    {"version", subject.go->version},
                    {"selinux_type", subject.go->selinux_type},
                    {"tool_selinux_type", subject.go->tool_selinux_type}};
    } else {
      item["go"] = nullptr;
    }
    out["subjects"].push_back(std::move(item));
  }
  out["go_installs"] = json::array();
  for (const auto& install : report.go_installs) {
    out["go_installs"].push_back({{"path", install.path},
                                  {"resolved", install.resolved},
                                  {"goroot", install.goroot},
                                  {"version", install.version},
                                  {"version_source", install.version_source},
                                  {"selinux_type", install.selinux_type},
                                  {"tool_selinux_type", install.tool_selinux_type}});
  }
  out["results"] = json::array();
  for (const auto& result : report.results) {
    json item = {{"rule", result.rule},
                 {"check", result.check},
                 {"severity", ruleset::severityName(result.severity)},
                 {"status", eval::statusName(result.status)},
                 {"subject", result.subject},
                 {"object", result.object},
                 {"mac", result.mac},
                 {"expected", result.expected},
                 {"actual", result.actual},
                 {"message", result.message},
                 {"evidence", result.evidence},
                 {"remedies", json::array()},
                 {"fingerprint", result.fingerprint}};
    for (const auto& remedy : result.remedies) item["remedies"].push_back(remedyJson(remedy));
    if (!result.baseline.empty()) item["baseline"] = result.baseline;
    if (result.waiver) {
      item["waiver"] = {{"reason", result.waiver->reason},
                        {"expires", result.waiver->expires ? json(result.waiver->expires->text()) : json(nullptr)},
                        {"where", result.waiver->where.file + ":" + std::to_string(result.waiver->where.line)}};
    }
    out["results"].push_back(std::move(item));
  }
  if (!report.baseline_path.empty()) {
    json absent = json::array();
    for (const auto& item : report.baseline_absent) {
      absent.push_back(
          {{"rule", item.rule}, {"subject", item.subject}, {"object", item.object}, {"fingerprint", item.fingerprint}});
    }
    out["baseline"] = {{"path", report.baseline_path}, {"absent", absent}};
  }
  const auto& s = report.summary;
  out["summary"] = {{"pass", s.pass},
                    {"fail", s.fail},
                    {"error", s.error},
                    {"notapplicable", s.notapplicable},
                    {"notchecked", s.notchecked},
                    {"waived", s.waived},
                    {"compliant", s.compliant}};
  return out;
}

std::string scanText(const eval::ScanReport& report, bool colour) {
  auto paint = [&](const char* code, const std::string& text) {
    return colour ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
  };
  auto label = [&](eval::Status status) {
    switch (status) {
      case eval::Status::kPass:
        return paint("32", "PASS ");
      case eval::Status::kFail:
        return paint("1;31", "FAIL ");
      case eval::Status::kError:
        return paint("1;35", "ERROR");
      case eval::Status::kNotApplicable:
        return paint("2", "N/A  ");
      case eval::Status::kNotChecked:
        return paint("33", "NOTCHECKED");
      case eval::Status::kWaived:
        return paint("36", "WAIVED");
    }
    return std::string("?");
  };
  std::ostringstream out;
  out << "modgate scan of " << report.hostname << " (root " << report.root << ") at " << report.scanned_at << "\n";
  out << "SELinux: " << report.mac.selinux_state;
  if (!report.mac.selinux_policy.empty())
    out << " (" << report.mac.selinux_source << ", " << report.mac.selinux_policy << ")";
  out << "; AppArmor: " << report.mac.apparmor_state << "\n";
  if (!report.mac.selinux_problem.empty()) out << "  SELinux policy unreadable: " << report.mac.selinux_problem << "\n";

  std::vector<std::string> order = {""};
  for (const auto& subject : report.subjects) order.push_back(subject.id);
  for (const auto& id : order) {
    bool any = std::any_of(report.results.begin(), report.results.end(),
                           [&](const eval::Result& r) { return r.subject == id; });
    if (!any) continue;
    out << "\n";
    if (id.empty()) {
      out << paint("1", "host") << "\n";
    } else {
      auto subject = std::find_if(report.subjects.begin(), report.subjects.end(),
                                  [&](const gotool::SubjectFacts& s) { return s.id == id; });
      out << paint("1", id) << "  " << subject->description << "\n";
      out << "  domain " << (subject->selinux_domain.empty() ? "unknown" : subject->selinux_domain) << " ("
          << subject->domain_source << ")";
      if (subject->go) out << "; go " << subject->go->path << " " << subject->go->version;
      out << "\n";
      for (const auto& problem : subject->problems) out << "  problem: " << problem << "\n";
    }
    for (const auto& result : report.results) {
      if (result.subject != id) continue;
      out << "  " << label(result.status) << " " << result.rule << " " << result.object << " ["
          << ruleset::severityName(result.severity) << "]\n";
      if (result.status != eval::Status::kPass) out << "        " << resultLine(result) << "\n";
      if (result.status == eval::Status::kFail) {
        for (const auto& evidence : result.evidence) {
          if (evidence.rfind("denied:", 0) == 0) out << "        " << evidence << "\n";
        }
        for (const auto& remedy : result.remedies) {
          for (const auto& command : remedy.commands) out << "        fix: " << command << "\n";
        }
        if (result.mac == "selinux" && result.check == "proxy-reachable" && result.selinux_booleans.empty()) {
          out << "        fix: no boolean allows this; it needs a policy module with a narrow allow rule\n";
        }
      }
      if (result.waiver) out << "        waived: " << result.waiver->reason << "\n";
      if (!result.baseline.empty()) out << "        baseline: " << result.baseline << "\n";
    }
  }
  for (const auto& absent : report.baseline_absent) {
    out << "\n  fixed since baseline: " << absent.rule << " " << absent.subject << " " << absent.object << "\n";
  }
  const auto& s = report.summary;
  out << "\nsummary: " << s.pass << " pass, " << s.fail << " fail, " << s.error << " error, " << s.notapplicable
      << " notapplicable, " << s.notchecked << " notchecked, " << s.waived << " waived — "
      << (s.compliant ? paint("32", "compliant") : paint("1;31", "not compliant")) << "\n";
  return out.str();
}

std::string scanJunit(const eval::ScanReport& report) {
  tinyxml2::XMLDocument doc;
  doc.InsertFirstChild(doc.NewDeclaration("xml version=\"1.0\" encoding=\"UTF-8\""));
  auto* suites = doc.NewElement("testsuites");
  doc.InsertEndChild(suites);
  auto* suite = suites->InsertNewChildElement("testsuite");
  std::size_t failures = 0, errors = 0, skipped = 0;
  for (const auto& result : report.results) {
    if (result.status == eval::Status::kFail)
      ++failures;
    else if (result.status == eval::Status::kError)
      ++errors;
    else if (result.status != eval::Status::kPass)
      ++skipped;
  }
  std::string name = report.rule_set_names.empty() ? "modgate" : report.rule_set_names.front();
  suite->SetAttribute("package", ("modgate." + idPart(report.hostname)).c_str());
  suite->SetAttribute("id", 0);
  suite->SetAttribute("name", name.c_str());
  suite->SetAttribute("timestamp", timestampWithoutZone(report.scanned_at).c_str());
  suite->SetAttribute("hostname", report.hostname.c_str());
  suite->SetAttribute("tests", static_cast<unsigned>(report.results.size()));
  suite->SetAttribute("failures", static_cast<unsigned>(failures));
  suite->SetAttribute("errors", static_cast<unsigned>(errors));
  suite->SetAttribute("skipped", static_cast<unsigned>(skipped));
  suite->SetAttribute("time", seconds(report.seconds).c_str());
  auto* properties = suite->InsertNewChildElement("properties");
  auto property = [&](const char* key, const std::string& value) {
    auto* element = properties->InsertNewChildElement("property");
    element->SetAttribute("name", key);
    element->SetAttribute("value", value.c_str());
  };
  property("modgate.version", MODGATE_VERSION);
  property("root", report.root);
  property("selinux", report.mac.selinux_state);
  for (const auto& file : report.rule_files) property("ruleset", file);
  std::map<std::string, int> seen;
  for (const auto& result : report.results) {
    auto* testcase = suite->InsertNewChildElement("testcase");
    std::string classname = "modgate." + idPart(report.hostname) + "." + result.rule;
    std::string case_name = result.rule + " " + (result.subject.empty() ? "host" : result.subject) +
                            (result.object.empty() ? "" : " " + result.object);
    if (int count = seen[classname + case_name]++; count > 0) case_name += " #" + std::to_string(count + 1);
    testcase->SetAttribute("classname", classname.c_str());
    testcase->SetAttribute("name", case_name.c_str());
    testcase->SetAttribute("time", "0.000");
    std::string details = "rule: " + result.rule + " (" + ruleset::severityName(result.severity) + ")\n" +
                          "subject: " + (result.subject.empty() ? "host" : result.subject) +
                          "\nobject: " + result.object + "\nexpected: " + result.expected +
                          "\nactual: " + result.actual + "\n" + result.message + "\n";
    for (const auto& evidence : result.evidence) details += evidence + "\n";
    for (const auto& remedy : result.remedies) {
      for (const auto& command : remedy.commands) details += "fix: " + command + "\n";
    }
    switch (result.status) {
      case eval::Status::kPass:
        break;
      case eval::Status::kFail: {
        auto* failure = testcase->InsertNewChildElement("failure");
        failure->SetAttribute("type", ruleset::severityName(result.severity));
        failure->SetAttribute("message", resultLine(result).c_str());
        failure->SetText(details.c_str());
        break;
      }
      case eval::Status::kError: {
        auto* error = testcase->InsertNewChildElement("error");
        error->SetAttribute("type", "error");
        error->SetAttribute("message", resultLine(result).c_str());
        error->SetText(details.c_str());
        break;
      }
      default: {
        auto* skip = testcase->InsertNewChildElement("skipped");
        std::string why = std::string(eval::statusName(result.status)) + ": " +
                          (result.waiver ? result.waiver->reason : resultLine(result));
        skip->SetAttribute("message", why.c_str());
        break;
      }
    }
  }
  suite->InsertNewChildElement("system-out");
  suite->InsertNewChildElement("system-err");
  tinyxml2::XMLPrinter printer;
  doc.Print(&printer);
  return printer.CStr();
}

std::string scanSarif(const eval::ScanReport& report) {
  json driver = {{"name", "modgate"},
                 {"semanticVersion", MODGATE_VERSION},
                 {"informationUri", "https://modgate.invalid/docs/RULES.md"},
                 {"rules", json::array()}};
  std::map<std::string, std::size_t> index;
  for (const auto& rule : report.rules) {
    index[rule.id] = index.size();
    std::string help = rule.description.empty() ? rule.title : rule.description;
    help += " (check " + rule.check + "; see docs/RULES.md)";
    double security = rule.severity == ruleset::Severity::kCritical ? 9.5
                      : rule.severity == ruleset::Severity::kHigh   ? 8.0
                      : rule.severity == ruleset::Severity::kMedium ? 5.5
                      : rule.severity == ruleset::Severity::kLow    ? 3.0
                                                                    : 0.0;
    std::string level = rule.severity >= ruleset::Severity::kHigh     ? "error"
                        : rule.severity >= ruleset::Severity::kMedium ? "warning"
                                                                      : "note";
    json entry = {{"id", rule.id},
                  {"name", rule.check},
                  {"shortDescription", {{"text", rule.title}}},
                  {"fullDescription", {{"text", rule.description.empty() ? rule.title : rule.description}}},
                  {"help", {{"text", help}}},
                  {"defaultConfiguration", {{"level", level}}},
                  {"properties", {{"tags", {"security", "go", rule.check}}, {"precision", "very-high"}}}};
    if (security > 0) {
      std::ostringstream text;
      text.precision(1);
      text << std::fixed << security;
      entry["properties"]["security-severity"] = text.str();
    }
    driver["rules"].push_back(std::move(entry));
  }
  json results = json::array();
  for (const auto& result : report.results) {
    const ruleset::Rule* rule = findRule(report, result.rule);
    std::string kind = "pass", level = "none";
    switch (result.status) {
      case eval::Status::kPass:
        break;
      case eval::Status::kFail:
      case eval::Status::kWaived:
        kind = "fail";
        level =
            rule ? driver["rules"][index[result.rule]]["defaultConfiguration"]["level"].get<std::string>() : "error";
        break;
      case eval::Status::kError:
      case eval::Status::kNotChecked:
        kind = "review";
        level = "warning";
        break;
      case eval::Status::kNotApplicable:
        kind = "notApplicable";
        break;
    }
    json location = {{"physicalLocation",
                      {{"artifactLocation", {{"uri", rule ? rule->where.file : ""}}},
                       {"region",
                        {{"startLine", rule ? std::max(1, rule->where.line) : 1},
                         {"startColumn", rule ? std::max(1, rule->where.column) : 1}}}}},
                     {"logicalLocations", {{{"name", result.object}, {"kind", "resource"}}}}};
    json item = {{"ruleId", result.rule},
                 {"ruleIndex", index[result.rule]},
                 {"kind", kind},
                 {"level", level},
                 {"message",
                  {{"text", report.hostname + ": " + (result.subject.empty() ? "" : result.subject + ": ") +
                                resultLine(result)}}},
                 {"locations", {location}},
                 {"partialFingerprints", {{"primaryLocationLineHash", report.hostname + ":" + result.fingerprint}}},
                 {"properties",
                  {{"host", report.hostname},
                   {"subject", result.subject},
                   {"object", result.object},
                   {"status", eval::statusName(result.status)},
                   {"expected", result.expected},
                   {"actual", result.actual}}}};
    if (!result.baseline.empty()) item["baselineState"] = result.baseline;
    if (result.waiver) {
      item["suppressions"] = {{{"kind", "external"}, {"status", "accepted"}, {"justification", result.waiver->reason}}};
    }
    results.push_back(std::move(item));
  }
  json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs",
                 {{{"tool", {{"driver", driver}}},
                   {"automationDetails", {{"id", "modgate/" + report.hostname + "/" + report.scanned_at}}},
                   {"results", results}}}}};
  return sarif.dump(2) + "\n";
}

std::string scanXccdf(const eval::ScanReport& report) {
  const std::string prefix = "xccdf_org.modgate_";
  tinyxml2::XMLDocument doc;
  doc.InsertFirstChild(doc.NewDeclaration("xml version=\"1.0\" encoding=\"UTF-8\""));
  auto* benchmark = doc.NewElement("Benchmark");
  doc.InsertEndChild(benchmark);
  std::string name = report.rule_set_names.empty() ? "modgate" : report.rule_set_names.front();
  benchmark->SetAttribute("xmlns", "http://checklists.nist.gov/xccdf/1.2");
  benchmark->SetAttribute("id", (prefix + "benchmark_" + idPart(name)).c_str());
  benchmark->SetAttribute("resolved", "1");
  benchmark->SetAttribute("xml:lang", "en-US");
  auto* status = benchmark->InsertNewChildElement("status");
  status->SetAttribute("date", report.scanned_at.substr(0, 10).c_str());
  status->SetText("draft");
  benchmark->InsertNewChildElement("title")->SetText(("modgate: " + name).c_str());
  benchmark->InsertNewChildElement("description")
      ->SetText("Go tooling versus the host's SELinux or AppArmor policy and Go environment");
  benchmark->InsertNewChildElement("version")->SetText(MODGATE_VERSION);
  for (const auto& rule : report.rules) {
    auto* element = benchmark->InsertNewChildElement("Rule");
    element->SetAttribute("id", (prefix + "rule_" + idPart(rule.id)).c_str());
    element->SetAttribute("selected", "true");
    element->SetAttribute("severity", rule.severity == ruleset::Severity::kCritical ? "high"
                                      : rule.severity == ruleset::Severity::kInfo
                                          ? "info"
                                          : ruleset::severityName(rule.severity));
    element->InsertNewChildElement("title")->SetText(rule.title.c_str());
    element->InsertNewChildElement("description")
        ->SetText((rule.description.empty() ? rule.title : rule.description).c_str());
    auto* ident = element->InsertNewChildElement("ident");
    ident->SetAttribute("system", "https://modgate.invalid/rule-ids");
    ident->SetText(rule.id.c_str());
  }
  auto* test = benchmark->InsertNewChildElement("TestResult");
  test->SetAttribute("id", (prefix + "testresult_" + idPart(report.hostname)).c_str());
  test->SetAttribute("start-time", report.scanned_at.c_str());
  test->SetAttribute("end-time", report.finished_at.c_str());
  test->SetAttribute("test-system", ("cpe:/a:modgate:modgate:" + std::string(MODGATE_VERSION)).c_str());
  test->SetAttribute("version", MODGATE_VERSION);
  auto* bench_ref = test->InsertNewChildElement("benchmark");
  bench_ref->SetAttribute("href", report.rule_files.empty() ? "modgate" : report.rule_files.front().c_str());
  bench_ref->SetAttribute("id", (prefix + "benchmark_" + idPart(name)).c_str());
  test->InsertNewChildElement("target")->SetText(report.hostname.c_str());
  auto* facts = test->InsertNewChildElement("target-facts");
  auto fact = [&](const char* key, const std::string& value) {
    auto* element = facts->InsertNewChildElement("fact");
    element->SetAttribute("name", key);
    element->SetAttribute("type", "string");
    element->SetText(value.c_str());
  };
  fact("urn:xccdf:fact:asset:identifier:host_name", report.hostname);
  fact("urn:modgate:fact:selinux", report.mac.selinux_state);
  std::size_t scored = 0, passed = 0;
  for (const auto& result : report.results) {
    auto* element = test->InsertNewChildElement("rule-result");
    element->SetAttribute("idref", (prefix + "rule_" + idPart(result.rule)).c_str());
    element->SetAttribute("time", report.scanned_at.c_str());
    std::string value = result.status == eval::Status::kWaived ? "fail" : eval::statusName(result.status);
    element->InsertNewChildElement("result")->SetText(value.c_str());
    auto* ident = element->InsertNewChildElement("ident");
    ident->SetAttribute("system", "https://modgate.invalid/rule-ids");
    ident->SetText(result.rule.c_str());
    std::string text = (result.subject.empty() ? "" : result.subject + ": ") + resultLine(result);
    if (result.waiver) text += " [waived: " + result.waiver->reason + "]";
    auto* message = element->InsertNewChildElement("message");
    message->SetAttribute("severity", result.status == eval::Status::kPass ? "info" : "warning");
    message->SetText(text.c_str());
    if (!result.object.empty()) element->InsertNewChildElement("instance")->SetText(result.object.c_str());
    if (result.status == eval::Status::kPass || result.status == eval::Status::kFail ||
        result.status == eval::Status::kWaived) {
      ++scored;
      if (result.status == eval::Status::kPass) ++passed;
    }
  }
  auto* score = test->InsertNewChildElement("score");
  score->SetAttribute("system", "urn:xccdf:scoring:default");
  score->SetAttribute("maximum", "100");
  double value = scored ? 100.0 * static_cast<double>(passed) / static_cast<double>(scored) : 100.0;
  std::ostringstream text;
  text.precision(6);
  text << std::fixed << value;
  score->SetText(text.str().c_str());
  tinyxml2::XMLPrinter printer;
  doc.Print(&printer);
  return printer.CStr();
}

std::optional<std::string> renderScan(const eval::ScanReport& report, const std::string& format, bool colour) {
  if (format == "text") return scanText(report, colour);
  if (format == "json") return scanJson(report).dump(2) + "\n";
  if (format == "junit") return scanJunit(report);
  if (format == "sarif") return scanSarif(report);
  if (format == "xccdf") return scanXccdf(report);
  return std::nullopt;
}

}  // namespace modgate::report
