#include "policygen/selinux/selinux_plan.h"

#include <algorithm>
#include <bitset>
#include <set>
#include <tuple>

#include "scanner/selinux/booleans.h"

namespace modgate::policygen {
namespace {

using selinux::ClassId;
using selinux::PermMask;
using selinux::Policy;
using selinux::TypeId;

/// Counting stops here; the count is then a lower bound.
constexpr std::size_t kMaxPairs = 400000;
constexpr std::size_t kExamples = 8;

using Key = std::tuple<TypeId, TypeId, ClassId>;

/// The need as (source, target, class) -> permissions.
std::map<Key, PermMask> needOf(const Policy& policy, const std::vector<selinux::MissingAccess>& missing) {
  std::map<Key, PermMask> need;
  for (const auto& item : missing) {
    auto source = policy.type(item.source);
    auto target = policy.type(item.target);
    auto tclass = policy.securityClass(item.tclass);
    if (!source || !target || !tclass) continue;
    auto perms = policy.permissions(*tclass, item.perms);
    if (perms) need[{*source, *target, *tclass}] |= *perms;
  }
  return need;
}

std::string tupleText(const Policy& policy, TypeId source, const std::string& target, ClassId tclass, PermMask perms) {
  std::string text = policy.typeName(source) + " " + target + ":" + policy.className(tclass) + " {";
  for (const auto& perm : policy.permissionNames(tclass, perms)) text += " " + perm;
  return text + " }";
}

std::size_t bits(PermMask mask) {
  return std::bitset<32>(mask).count();
}

/// Extra grants of a boolean assignment: the rules of every conditional whose value
/// changes, expanded to types, minus what is allowed already and what is needed.
void countBooleanExtras(Policy& policy, SelinuxCandidate& candidate, const std::map<Key, PermMask>& need) {
  std::map<Key, PermMask> gained, lost;
  std::size_t pairs = 0;
  for (std::uint32_t cond = 0; cond < policy.condCount() && !candidate.extra_capped; ++cond) {
    bool before = selinux::conditionValue(policy, cond, {});
    bool after = selinux::conditionValue(policy, cond, candidate.booleans);
    if (before == after) continue;
    for (bool enabling : {true, false}) {
      for (const auto& rule : policy.conditionalRules(cond, enabling ? after : before)) {
        for (TypeId source : policy.typesOf(rule.source)) {
          for (TypeId target : policy.typesOf(rule.target)) {
            if (++pairs > kMaxPairs) {
              candidate.extra_capped = true;
              break;
            }
            (enabling ? gained : lost)[{source, target, rule.tclass}] |= rule.perms;
          }
          if (candidate.extra_capped) break;
        }
      }
    }
  }
  for (auto& [key, perms] : gained) {
    auto [source, target, tclass] = key;
    PermMask fresh = perms & ~policy.unconditionalAllowed(source, target, tclass);
    fresh &= ~policy.teAllowed(source, target, tclass);
    auto needed = need.find(key);
    if (needed != need.end()) fresh &= ~needed->second;
    if (!fresh) continue;
    candidate.extra_grants += bits(fresh);
    if (candidate.extra_examples.size() < kExamples) {
      candidate.extra_examples.push_back(tupleText(policy, source, policy.typeName(target), tclass, fresh));
    }
  }
  for (auto& [key, perms] : lost) {
    auto [source, target, tclass] = key;
    candidate.revokes += bits(perms & ~policy.unconditionalAllowed(source, target, tclass));
  }
}

std::vector<TypeId> typesWithAttribute(const Policy& policy, const char* attribute) {
  auto value = policy.type(attribute);
  if (!value) return {};
  return policy.typesOf(*value);
}

/// Port label candidates: for a denied name_connect on a generic port type, the
/// specific port types the domain may connect to already.
std::vector<SelinuxCandidate> portCandidates(Policy& policy, const eval::Result& result, TypeId domain) {
  std::vector<SelinuxCandidate> out;
  static const std::set<std::string> generic = {"unreserved_port_t", "reserved_port_t", "hi_reserved_port_t", "port_t"};
  if (result.check != "proxy-reachable" || !generic.count(result.port_type)) return out;
  if (result.selinux_missing.size() != 1 ||
      result.selinux_missing[0].perms != std::vector<std::string>{"name_connect"}) {
    return out;  // something besides the port is missing
  }
  auto tcp = policy.securityClass("tcp_socket");
  auto old_type = policy.type(result.port_type);
  if (!tcp || !old_type) return out;
  PermMask connect = *policy.permissions(*tcp, {"name_connect"});
  auto domains = typesWithAttribute(policy, "domain");
  for (TypeId port_type : typesWithAttribute(policy, "port_type")) {
    if (port_type == *old_type || (policy.teAllowed(domain, port_type, *tcp) & connect) == 0) continue;
    SelinuxCandidate candidate;
    candidate.kind = "selinux-port-label";
    candidate.rank = 1;
    candidate.port = result.port;
    candidate.port_type = policy.typeName(port_type);
    for (TypeId other : domains) {
      bool before = policy.teAllowed(other, *old_type, *tcp) & connect;
      bool after = policy.teAllowed(other, port_type, *tcp) & connect;
      if (after && !before && other != domain) {
        ++candidate.extra_grants;
        if (candidate.extra_examples.size() < kExamples) {
          candidate.extra_examples.push_back(policy.typeName(other) + " gains tcp/" + std::to_string(result.port));
        }
      }
      if (before && !after) ++candidate.revokes;
    }
    candidate.summary = "label tcp/" + std::to_string(result.port) + " " + candidate.port_type + " (" +
                        std::to_string(candidate.extra_grants) + " other domains gain the port, " +
                        std::to_string(candidate.revokes) + " lose it)";
    out.push_back(std::move(candidate));
  }
  std::sort(out.begin(), out.end(), [](const SelinuxCandidate& a, const SelinuxCandidate& b) {
    return std::tie(a.extra_grants, a.revokes, a.port_type) < std::tie(b.extra_grants, b.revokes, b.port_type);
  });
  if (out.size() > 3) out.resize(3);
  return out;
}

/// Relabel candidates for a cache: file types on which the domain may already do
/// everything the need asks of the cache's directories and files.
std::vector<SelinuxCandidate> relabelCandidates(Policy& policy, const eval::Result& result, TypeId domain,
                                                const std::map<Key, PermMask>& need) {
  std::vector<SelinuxCandidate> out;
  if (result.check != "cache-writable" && result.check != "cache-readable") return out;
  auto dir = policy.securityClass("dir");
  auto file = policy.securityClass("file");
  if (!dir || !file) return out;
  PermMask dir_need = 0, file_need = 0;
  std::set<TypeId> old_types;
  for (const auto& [key, perms] : need) {
    auto [source, target, tclass] = key;
    if (source != domain) return out;  // the need involves another domain
    if (tclass == *dir)
      dir_need |= perms;
    else if (tclass == *file)
      file_need |= perms;
    else
      return out;
    old_types.insert(target);
  }
  if (old_types.size() != 1) return out;  // the fix is not one relabel
  TypeId old_type = *old_types.begin();
  auto domains = typesWithAttribute(policy, "domain");
  std::size_t evaluated = 0;
  for (TypeId type : typesWithAttribute(policy, "file_type")) {
    if (type == old_type) continue;
    if ((policy.teAllowed(domain, type, *dir) & dir_need) != dir_need) continue;
    if ((policy.teAllowed(domain, type, *file) & file_need) != file_need) continue;
    if (++evaluated > 40) break;
    SelinuxCandidate candidate;
    candidate.kind = "selinux-fcontext";
    candidate.rank = 2;
    candidate.path = result.object;
    candidate.file_type = policy.typeName(type);
    for (TypeId other : domains) {
      for (ClassId tclass : {*dir, *file}) {
        PermMask before = policy.teAllowed(other, old_type, tclass);
        PermMask after = policy.teAllowed(other, type, tclass);
        PermMask gained = after & ~before;
        if (other == domain) gained &= ~(tclass == *dir ? dir_need : file_need);
        candidate.extra_grants += bits(gained);
        candidate.revokes += bits(before & ~after);
        if (gained && candidate.extra_examples.size() < kExamples) {
          candidate.extra_examples.push_back(tupleText(policy, other, policy.typeName(type), tclass, gained));
        }
      }
    }
    candidate.summary = "relabel " + result.object + " " + candidate.file_type + " (" +
                        std::to_string(candidate.extra_grants) + " extra grants, " + std::to_string(candidate.revokes) +
                        " revoked)";
    out.push_back(std::move(candidate));
  }
  std::sort(out.begin(), out.end(), [](const SelinuxCandidate& a, const SelinuxCandidate& b) {
    return std::tie(a.extra_grants, a.revokes, a.file_type) < std::tie(b.extra_grants, b.revokes, b.file_type);
  });
  if (out.size() > 3) out.resize(3);
  return out;
}

SelinuxCandidate moduleCandidate(const Policy& policy, const std::map<Key, PermMask>& need) {
  SelinuxCandidate candidate;
  candidate.kind = "selinux-module";
  candidate.rank = 4;
  for (const auto& [key, perms] : need) {
    auto [source, target, tclass] = key;
    candidate.rules.push_back({policy.typeName(source), policy.typeName(target), policy.className(tclass),
                               policy.permissionNames(tclass, perms)});
  }
  candidate.summary = "a module with " + std::to_string(candidate.rules.size()) +
                      " narrow allow rule(s): exactly the denied permissions, nothing else";
  return candidate;
}

std::size_t choose(const std::vector<SelinuxCandidate>& candidates, Prefer prefer) {
  std::size_t best = 0;
  auto better = [&](const SelinuxCandidate& a, const SelinuxCandidate& b) {
    if (prefer == Prefer::kMaintained && (a.rank < 3) != (b.rank < 3)) return a.rank < 3;  // booleans, labels
    return std::tie(a.extra_grants, a.revokes, a.rank) < std::tie(b.extra_grants, b.revokes, b.rank);
  };
  for (std::size_t i = 1; i < candidates.size(); ++i) {
    if (better(candidates[i], candidates[best])) best = i;
  }
  return best;
}

}  // namespace

namespace {

std::string cilPerms(const std::vector<std::string>& perms) {
  std::string out;
  for (const auto& perm : perms) out += (out.empty() ? "" : " ") + perm;
  return out;
}

/// A cache several findings share: the writers' domains and what each needs.
struct CacheNeed final {
  std::string path;
  TypeId old_type = 0;
  std::map<TypeId, std::pair<PermMask, PermMask>> domains;  // domain -> (dir, file)
  std::vector<std::size_t> findings;
};

/// New type and relabel candidates judged for all writers of a cache at once.
void jointCacheCandidates(Policy& policy, SelinuxPlan& plan, Prefer prefer) {
  auto dir = policy.securityClass("dir");
  auto file = policy.securityClass("file");
  if (!dir || !file) return;
  std::map<std::string, CacheNeed> caches;
  for (std::size_t i = 0; i < plan.findings.size(); ++i) {
    const auto& result = plan.findings[i].result;
    if (result.cache.empty() || (result.check != "cache-writable" && result.check != "cache-readable")) continue;
    auto domain = policy.type(result.selinux_domain);
    if (!domain) continue;
    auto need = needOf(policy, result.selinux_missing);
    CacheNeed& cache = caches[result.cache];
    cache.path = result.object;
    cache.findings.push_back(i);
    bool usable = true;
    for (const auto& [key, perms] : need) {
      auto [source, target, tclass] = key;
      if (source != *domain || (tclass != *dir && tclass != *file) ||
          (cache.old_type != 0 && cache.old_type != target)) {
        usable = false;
        break;
      }
      cache.old_type = target;
      (tclass == *dir ? cache.domains[source].first : cache.domains[source].second) |= perms;
    }
    if (!usable) cache.findings.clear();
  }
  for (auto& [id, cache] : caches) {
    if (cache.findings.empty() || cache.old_type == 0) continue;
    std::vector<SelinuxCandidate> joint;
    auto domains = typesWithAttribute(policy, "domain");
    // What every other domain gains (and loses) when the cache's objects carry a
    // type on which `allowed_after` says what each domain may do.
    auto extras = [&](const std::string& type_name, const auto& allowed_after, SelinuxCandidate& candidate) {
      for (TypeId other : domains) {
        for (ClassId tclass : {*dir, *file}) {
          PermMask after = allowed_after(other, tclass);
          PermMask before = policy.teAllowed(other, cache.old_type, tclass);
          PermMask gained = after & ~before;
          auto writer = cache.domains.find(other);
          if (writer != cache.domains.end()) gained &= ~(tclass == *dir ? writer->second.first : writer->second.second);
          PermMask lost = before & ~after;
          candidate.extra_grants += bits(gained);
          candidate.revokes += bits(lost);
          if (gained && candidate.extra_examples.size() < kExamples) {
            candidate.extra_examples.push_back(tupleText(policy, other, type_name, tclass, gained));
          }
        }
      }
    };
    // A relabel to a type every writer may already manage.
    SelinuxCandidate best_relabel;
    bool have_relabel = false;
    std::size_t evaluated = 0;
    for (TypeId type : typesWithAttribute(policy, "file_type")) {
      if (type == cache.old_type) continue;
      bool all = std::all_of(cache.domains.begin(), cache.domains.end(), [&](const auto& entry) {
        return (policy.teAllowed(entry.first, type, *dir) & entry.second.first) == entry.second.first &&
               (policy.teAllowed(entry.first, type, *file) & entry.second.second) == entry.second.second;
      });
      if (!all || ++evaluated > 40) continue;
      SelinuxCandidate candidate;
      candidate.kind = "selinux-fcontext";
      candidate.rank = 2;
      candidate.path = cache.path;
      candidate.file_type = policy.typeName(type);
      extras(
          candidate.file_type, [&](TypeId other, ClassId tclass) { return policy.teAllowed(other, type, tclass); },
          candidate);
      if (!have_relabel || std::tie(candidate.extra_grants, candidate.revokes) <
                               std::tie(best_relabel.extra_grants, best_relabel.revokes)) {
        best_relabel = candidate;
        have_relabel = true;
      }
    }
    if (have_relabel) {
      best_relabel.summary = "relabel " + cache.path + " " + best_relabel.file_type + " for all " +
                             std::to_string(cache.domains.size()) + " writer domain(s) (" +
                             std::to_string(best_relabel.extra_grants) + " extra grants, " +
                             std::to_string(best_relabel.revokes) + " revoked)";
      joint.push_back(best_relabel);
    }
    // A new type for the cache, declared by the module, managed by exactly the writers.
    std::string name = plan.module_name + "_";
    for (char c : id)
      name += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c
              : (c >= 'A' && c <= 'Z')                         ? static_cast<char>(c - 'A' + 'a')
                                                               : '_';
    name += "_t";
    SelinuxCandidate fresh;
    fresh.kind = "selinux-newtype";
    fresh.rank = 3;
    fresh.path = cache.path;
    fresh.file_type = name;
    for (const auto& [domain, perms] : cache.domains) {
      if (perms.first)
        fresh.rules.push_back({policy.typeName(domain), name, "dir", policy.permissionNames(*dir, perms.first)});
      if (perms.second) {
        fresh.rules.push_back({policy.typeName(domain), name, "file", policy.permissionNames(*file, perms.second)});
      }
    }
    // The module declares the type with the single attribute file_type and the
    // writers' rules, so after it loads a domain may do on the new type exactly
    // what rules naming file_type grant it, plus its module rules (the CIL
    // what-if compile of the same module agrees: selinux_newtype_test). Worked
    // out here from the loaded policy, without compiling the policy again.
    auto file_type = policy.type("file_type");
    if (file_type && policy.isAttribute(*file_type)) {
      extras(
          name,
          [&](TypeId other, ClassId tclass) {
            PermMask allowed = policy.teAllowed(other, *file_type, tclass);
            auto writer = cache.domains.find(other);
            if (writer != cache.domains.end()) {
              allowed |= tclass == *dir ? writer->second.first : writer->second.second;
            }
            return allowed;
          },
          fresh);
      fresh.summary = "a new type " + name + " for " + cache.path + ", managed by the " +
                      std::to_string(cache.domains.size()) + " writer domain(s) (" +
                      std::to_string(fresh.extra_grants) + " extra grants through attributes, " +
                      std::to_string(fresh.revokes) + " revoked from " + policy.typeName(cache.old_type) + ")";
      joint.push_back(fresh);
    }
    if (joint.empty()) continue;
    // The writers' separate modules, together: no extra grants.
    SelinuxCandidate modules;
    modules.kind = "selinux-module";
    modules.rank = 4;
    joint.push_back(modules);
    std::size_t pick = choose(joint, prefer);
    for (std::size_t index : cache.findings) {
      auto& finding = plan.findings[index];
      // Per-finding relabels are replaced by the joint ones: one cache, one type.
      finding.candidates.erase(std::remove_if(finding.candidates.begin(), finding.candidates.end(),
                                              [](const SelinuxCandidate& c) { return c.kind == "selinux-fcontext"; }),
                               finding.candidates.end());
      for (std::size_t j = 0; j + 1 < joint.size(); ++j)
        finding.candidates.insert(finding.candidates.end() - 1, joint[j]);
      if (joint[pick].kind == "selinux-module") {
        finding.chosen = finding.candidates.size() - 1;
      } else {
        for (std::size_t j = 0; j < finding.candidates.size(); ++j) {
          if (finding.candidates[j].kind == joint[pick].kind &&
              finding.candidates[j].file_type == joint[pick].file_type) {
            finding.chosen = j;
          }
        }
      }
    }
  }
}

}  // namespace

std::string SelinuxPlan::moduleCil() const {
  std::string out;
  bool file_type = false;
  for (const auto& type : new_types) {
    out += "(type " + type.file_type + ")\n(roletype object_r " + type.file_type + ")\n";
    file_type = true;
  }
  if (file_type) {
    out += "(typeattributeset file_type (";
    for (std::size_t i = 0; i < new_types.size(); ++i) out += (i ? " " : "") + new_types[i].file_type;
    out += "))\n";
  }
  for (const auto& rule : module_rules) {
    out += "(allow " + rule.source + " " + rule.target + " (" + rule.tclass + " (" + cilPerms(rule.perms) + ")))\n";
  }
  return out;
}

Expected<SelinuxPlan> planSelinux(Policy& policy, const std::vector<eval::Result>& results, Prefer prefer,
                                  const std::string& module_name) {
  SelinuxPlan plan;
  plan.module_name = module_name;
  std::set<std::tuple<std::string, std::string, std::string>> rules_seen;
  for (const auto& result : results) {
    if (result.status != eval::Status::kFail || result.selinux_missing.empty()) continue;
    bool only_te = std::all_of(
        result.selinux_missing.begin(), result.selinux_missing.end(),
        [](const selinux::MissingAccess& m) { return m.reason == selinux::DenialReason::kTypeEnforcement; });
    if (!only_te) continue;  // constraints are explained, not "fixed" with allow rules
    auto domain = policy.type(result.selinux_domain);
    if (!domain) {
      return makeError(ErrorCode::kUnknownName,
                       "result " + result.rule + " " + result.object + ": " + domain.error().message);
    }
    auto need = needOf(policy, result.selinux_missing);
    SelinuxFinding finding;
    finding.result = result;
    for (const auto& assignment : result.selinux_booleans) {
      SelinuxCandidate candidate;
      candidate.kind = "selinux-boolean";
      candidate.rank = 0;
      candidate.booleans = assignment.values;
      countBooleanExtras(policy, candidate, need);
      std::string names;
      for (const auto& [name, value] : assignment.values)
        names += (names.empty() ? "" : " ") + name + "=" + (value ? "1" : "0");
      candidate.summary = "setsebool -P " + names + " (" + (candidate.extra_capped ? "at least " : "") +
                          std::to_string(candidate.extra_grants) + " extra grants)";
      finding.candidates.push_back(std::move(candidate));
    }
    for (auto& candidate : portCandidates(policy, result, *domain)) finding.candidates.push_back(std::move(candidate));
    for (auto& candidate : relabelCandidates(policy, result, *domain, need))
      finding.candidates.push_back(std::move(candidate));
    finding.candidates.push_back(moduleCandidate(policy, need));
    finding.chosen = choose(finding.candidates, prefer);
    plan.findings.push_back(std::move(finding));
  }
  jointCacheCandidates(policy, plan, prefer);
  // Merge the chosen changes.
  std::set<std::string> new_type_names;
  auto addRule = [&](const ModuleRule& rule) {
    if (rules_seen.insert({rule.source, rule.target, rule.tclass}).second) {
      plan.module_rules.push_back(rule);
      return;
    }
    for (auto& existing : plan.module_rules) {
      if (existing.source != rule.source || existing.target != rule.target || existing.tclass != rule.tclass) continue;
      for (const auto& perm : rule.perms) {
        if (std::find(existing.perms.begin(), existing.perms.end(), perm) == existing.perms.end())
          existing.perms.push_back(perm);
      }
    }
  };
  std::set<std::string> relabelled;
  for (const auto& finding : plan.findings) {
    const SelinuxCandidate& chosen = finding.candidates[finding.chosen];
    if (chosen.kind == "selinux-boolean") {
      for (const auto& [name, value] : chosen.booleans) plan.booleans[name] = value;
    } else if (chosen.kind == "selinux-port-label") {
      plan.port_labels.push_back(chosen);
    } else if (chosen.kind == "selinux-fcontext") {
      if (relabelled.insert(chosen.path).second) plan.relabels.push_back(chosen);
    } else if (chosen.kind == "selinux-newtype") {
      if (new_type_names.insert(chosen.file_type).second) {
        plan.new_types.push_back(chosen);
        for (const auto& rule : chosen.rules) addRule(rule);
      }
    } else {
      for (const auto& rule : chosen.rules) addRule(rule);
    }
  }
  return plan;
}

}  // namespace modgate::policygen
