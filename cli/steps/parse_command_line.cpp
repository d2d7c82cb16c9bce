#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/app_state.h"
#include "cli/version.h"

namespace modgate::cli {

bool parseCommandLine(AppState& state, int argc, char** argv) {
  CLI::App app{"modgate: can Go tooling reach its proxy and write its caches under this host's policy?", "modgate"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");

  auto* version = app.add_subcommand("version", "Print modgate's version");
  auto* query =
      app.add_subcommand("query", "Ask whether a domain may reach an endpoint, use a cache directory or run a program");
  auto& options = state.query;
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
  state.command = "query";
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
