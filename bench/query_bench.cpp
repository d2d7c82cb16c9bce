// In-process cost of the SELinux engine on Debian's policy: loading it, and
// answering 1000 distinct `modgate query` questions (100 domains x proxy ports,
// cache directories and the go binary; remedies searched for every denial).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "scanner/selinux/policy_source.h"
#include "scanner/selinux/query.h"

namespace {

using modgate::selinux::FileLabeler;
using modgate::selinux::Policy;
using modgate::selinux::QueryRequest;

const char* const kPolicy = "/etc/selinux/default/policy/policy.33";

/// 1000 distinct questions: 100 domains spread over the policy's 674, each asked
/// about 10 targets (proxy ports by address and by name, caches, the go binary).
std::vector<QueryRequest> questions(const Policy& policy) {
  auto domain_attribute = policy.type("domain");
  std::vector<std::string> domains;
  for (modgate::selinux::TypeId type = 1; domain_attribute && type <= policy.typeCount(); ++type) {
    if (policy.isAttribute(type)) continue;
    auto attributes = policy.attributesOf(type);
    if (std::find(attributes.begin(), attributes.end(), *domain_attribute) != attributes.end()) {
      domains.push_back(policy.typeName(type));
    }
  }
  const char* targets[] = {"10.0.0.1:443",       "10.0.0.1:3000",    "10.0.0.1:3128",   "proxy.golang.org:443",
                           "/var/cache/goproxy", "/root/go/pkg/mod", "/var/lib/athens", "/usr/bin/go",
                           "10.0.0.1:8080",      "/srv/gocache"};
  std::vector<QueryRequest> out;
  std::size_t step = domains.size() / 100;
  for (std::size_t d = 0; d < 100 && d * step < domains.size(); ++d) {
    for (std::size_t t = 0; t < std::size(targets); ++t) {
      QueryRequest request;
      request.domain = domains[d * step];
      request.target = targets[t];
      std::string target = targets[t];
      if (target.front() != '/')
        request.kind = QueryRequest::Kind::kConnect;
      else if (target == "/usr/bin/go")
        request.kind = QueryRequest::Kind::kExec;
      else
        request.kind = t % 2 ? QueryRequest::Kind::kRead : QueryRequest::Kind::kWrite;
      out.push_back(request);
    }
  }
  return out;
}

void LoadPolicy(benchmark::State& state) {
  for (auto _ : state) {
    auto policy = Policy::fromFile(kPolicy);
    if (!policy) state.SkipWithError(policy.error().message.c_str());
    benchmark::DoNotOptimize(policy);
  }
}
BENCHMARK(LoadPolicy)->Unit(benchmark::kMillisecond);

void ThousandQuestions(benchmark::State& state) {
  auto host = modgate::selinux::locatePolicy("/");
  auto policy = host ? modgate::selinux::loadPolicy(*host) : tl::unexpected(host.error());
  auto labeler = host ? FileLabeler::open("/", host->file_contexts) : tl::unexpected(host.error());
  if (!policy || !labeler) {
    state.SkipWithError("no installed policy");
    return;
  }
  auto batch = questions(*policy);
  std::size_t denied = 0;
  for (auto _ : state) {
    denied = 0;
    for (const auto& request : batch) {
      auto result = modgate::selinux::runQuery(*policy, *labeler, request);
      if (!result) {
        state.SkipWithError(result.error().message.c_str());
        return;
      }
      if (!result->allowed) ++denied;
    }
  }
  state.counters["questions"] = static_cast<double>(batch.size());
  state.counters["denied"] = static_cast<double>(denied);
}
BENCHMARK(ThousandQuestions)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
