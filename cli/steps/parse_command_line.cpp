#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/app_state.h"
#include "cli/version.h"

namespace modgate::cli {
namespace {

void addQuery(CLI::App& app, QueryOptions& options) {
  auto* query =
      app.add_subcommand("query", "Ask whether a domain may reach an endpoint, use a cache directory or run a program");
  auto* domain = query->add_option("--domain", options.domain, "Domain type, e.g. system_cronjob_t");
  auto* context = query->add_option("--context", options.context, "Full source context, e.g. user_u:user_r:user_t:s0");
  domain->excludes(context);
  auto* connect = query->add_option("--connect", options.connect, "HOST:PORT reached over TCP");
  auto* write = query->add_option("--write", options.write, "Cache directory written (a path of the root)");
  auto* read = query->add_option("--read", options.read, "Cache directory read (a path of the root)");
  auto* exec = query->add_option("--exec", options.exec, "Program executed (a path of the root)");
  for (auto* one : {connect, write, read, exec}) {
    for (auto* other : {connect, write, read, exec}) {
      if (one != other) one->excludes(other);
    }
  }
  query->add_option("--root", options.root, "Root of the host or image to audit")->capture_default_str();
  query->add_option("--policy", options.policy, "Binary policy file to use instead of the root's");
  query->add_option("--format", options.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

void addScan(CLI::App& app, ScanOptions& options) {
  auto* scan = app.add_subcommand("scan", "Audit the Go tooling of a host or image against rule sets");
  scan->add_option("--rules", options.rules, "Rule file (repeatable); default: the embedded default rules");
  scan->add_option("--root", options.root, "Root of the host or image to audit")->capture_default_str();
  scan->add_option("--policy", options.policy, "Binary SELinux policy to use instead of the root's");
  scan->add_option("--subject", options.subjects, "Only results of this subject id (repeatable)");
  scan->add_option("--format", options.format, "Format of the report on stdout or --output")
      ->check(CLI::IsMember({"text", "json", "junit", "sarif", "xccdf"}))
      ->capture_default_str();
  scan->add_option("--output", options.output, "Write the report to this file instead of stdout");
  scan->add_option("--report", options.reports, "Also write FORMAT=FILE (repeatable)");
  scan->add_option("--fail-on", options.fail_on, "Lowest severity whose failure makes the exit status 1")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}))
      ->capture_default_str();
  scan->add_option("--baseline", options.baseline, "Previous JSON report: mark failures new or unchanged");
}

void addGenerate(CLI::App& app, ScanOptions& scan, GenerateOptions& options) {
  auto* generate =
      app.add_subcommand("generate", "Write the repairs for failed results, proved before they are offered");
  generate->add_option("--rules", scan.rules, "Rule file (repeatable); default: the embedded default rules");
  generate->add_option("--root", scan.root, "Root of the host or image the artefacts act on")->capture_default_str();
  generate->add_option("--policy", scan.policy, "Binary SELinux policy to use instead of the root's");
  generate->add_option("--out", options.out, "Directory for the artefacts (new or empty)")->required();
  generate->add_option("--targets", options.targets, "Kinds of repair: selinux, acl, goenv (comma-separated)")
      ->delimiter(',')
      ->check(CLI::IsMember({"acl", "goenv", "selinux", "apparmor"}));
  generate->add_flag("--no-verify", options.no_verify, "Skip the what-if proof");
  generate->add_flag("--verify-store", options.verify_store,
                     "Also install the module into a temporary copy of the root's policy store and re-check");
  generate->add_option("--module-name", options.module_name, "Name of the generated SELinux module")
      ->check([](const std::string& name) -> std::string {
        bool ok = !name.empty() && name.size() <= 64 && name[0] >= 'a' && name[0] <= 'z' &&
                  name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
        return ok ? "" : "a module name is lower-case letters, digits and '_', starting with a letter";
      })
      ->capture_default_str();
  generate
      ->add_option("--prefer", options.prefer,
                   "least-privilege (fewest extra grants) or maintained (booleans and labels first)")
      ->check(CLI::IsMember({"least-privilege", "maintained"}))
      ->capture_default_str();
}

}  // namespace

bool parseCommandLine(AppState& state, int argc, char** argv) {
  CLI::App app{"modgate: can Go tooling reach its proxy and write its caches under this host's policy?", "modgate"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");

  auto* version = app.add_subcommand("version", "Print modgate's version");
  addQuery(app, state.query);
  addScan(app, state.scan);
  addGenerate(app, state.scan, state.generate);
  auto* rules = app.add_subcommand("rules", "Work with rule files");
  rules->require_subcommand(1);
  auto* validate = rules->add_subcommand("validate", "Check rule files and print their diagnostics");
  validate->add_option("files", state.scan.rules, "Rule files")->required();
  validate->add_option("--format", state.validate_format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    state.exit_status = app.exit(e);
    return false;
  } catch (const CLI::CallForAllHelp& e) {
    state.exit_status = app.exit(e);
    return false;
  } catch (const CLI::ParseError& e) {
    std::cerr << "modgate: " << e.what() << "\n";
    state.exit_status = kExitUsage;
    return false;
  }
  if (version->parsed()) {
    std::cout << "modgate " << kVersion << "\n";
    state.exit_status = kExitPass;
    return false;
  }
  if (validate->parsed()) {
    state.command = "rules-validate";
    return true;
  }
  if (app.got_subcommand("generate")) {
    state.command = "generate";
    for (const auto& target : state.generate.targets) {
      if (target == "apparmor") {
        std::cerr << "modgate: --targets apparmor: this version of modgate generates selinux, acl and goenv repairs\n";
        state.exit_status = kExitUsage;
        return false;
      }
    }
    return true;
  }
  if (app.got_subcommand("scan")) {
    state.command = "scan";
    for (const auto& report : state.scan.reports) {
      auto equals = report.find('=');
      std::string format = report.substr(0, equals);
      if (equals == std::string::npos || equals + 1 == report.size() ||
          (format != "text" && format != "json" && format != "junit" && format != "sarif" && format != "xccdf")) {
        std::cerr << "modgate: --report takes FORMAT=FILE with FORMAT one of text, json, junit, sarif, xccdf; got '"
                  << report << "'\n";
        state.exit_status = kExitUsage;
        return false;
      }
    }
    return true;
  }
  state.command = "query";
  const auto& options = state.query;
  if (options.domain.empty() && options.context.empty()) {
    std::cerr << "modgate: query needs --domain TYPE or --context CONTEXT\n";
    state.exit_status = kExitUsage;
    return false;
  }
  if (options.connect.empty() && options.write.empty() && options.read.empty() && options.exec.empty()) {
    std::cerr << "modgate: query needs one of --connect HOST:PORT, --write PATH, --read PATH, --exec PATH\n";
    state.exit_status = kExitUsage;
    return false;
  }
  return true;
}

}  // namespace modgate::cli
