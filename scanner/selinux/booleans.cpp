#include "scanner/selinux/booleans.h"

#include <algorithm>
#include <set>
#include <vector>

#include <tinyxml2.h>

#include "scanner/fs/root_path.h"

namespace modgate::selinux {
namespace {

/// Search budget: subsets of the relevant booleans tried before giving up.
constexpr std::size_t kMaxSubsetsTried = 1u << 18;

/// One permission bit of one need: granted if any of its conditions holds.
struct Requirement final {
  std::vector<std::pair<std::uint32_t, bool>> alternatives;  // (cond, branch)
  bool operator<(const Requirement& other) const { return alternatives < other.alternatives; }
};

bool evaluate(const std::vector<CondToken>& expression, const std::vector<char>& states) {
  std::vector<bool> stack;
  for (const auto& token : expression) {
    if (token.op == CondToken::Op::kBool) {
      stack.push_back(states[token.boolean] != 0);
      continue;
    }
    if (token.op == CondToken::Op::kNot) {
      if (stack.empty()) return false;
      stack.back() = !stack.back();
      continue;
    }
    if (stack.size() < 2) return false;
    bool right = stack.back();
    stack.pop_back();
    bool left = stack.back();
    switch (token.op) {
      case CondToken::Op::kOr:
        stack.back() = left || right;
        break;
      case CondToken::Op::kAnd:
        stack.back() = left && right;
        break;
      case CondToken::Op::kXor:
        stack.back() = left != right;
        break;
      case CondToken::Op::kEq:
        stack.back() = left == right;
        break;
      case CondToken::Op::kNeq:
        stack.back() = left != right;
        break;
      default:
        return false;
    }
  }
  return stack.size() == 1 && stack.back();
}

/// Calls visit(subset) for each k-subset of n items, in lexicographic order,
/// until visit returns false or the budget runs out. Returns false if cut short.
template <typename Visit>
bool forEachSubset(std::size_t n, std::size_t k, std::size_t& budget, Visit visit) {
  std::vector<std::size_t> pick(k);
  for (std::size_t i = 0; i < k; ++i) pick[i] = i;
  for (;;) {
    if (budget == 0) return false;
    --budget;
    visit(pick);
    std::size_t i = k;
    while (i > 0 && pick[i - 1] == n - k + i - 1) --i;
    if (i == 0) return true;
    ++pick[i - 1];
    for (std::size_t j = i; j < k; ++j) pick[j] = pick[j - 1] + 1;
  }
}

std::string collapseWhitespace(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void gatherText(const tinyxml2::XMLNode* node, std::string& out) {
  for (const auto* child = node->FirstChild(); child; child = child->NextSibling()) {
    if (const auto* text = child->ToText()) {
      out += text->Value();
      out += ' ';
    } else {
      gatherText(child, out);
    }
  }
}

}  // namespace

bool conditionValue(const Policy& policy, std::uint32_t cond, const std::map<std::string, bool>& overrides) {
  std::vector<char> states(policy.booleanCount());
  for (std::uint32_t i = 0; i < states.size(); ++i) states[i] = policy.booleanState(i) ? 1 : 0;
  for (const auto& [name, value] : overrides) {
    if (auto index = policy.booleanIndex(name)) states[*index] = value ? 1 : 0;
  }
  return evaluate(policy.condExpression(cond), states);
}

std::string conditionText(const Policy& policy, std::uint32_t cond) {
  std::vector<std::string> stack;
  for (const auto& token : policy.condExpression(cond)) {
    if (token.op == CondToken::Op::kBool) {
      stack.push_back(policy.booleanName(token.boolean));
      continue;
    }
    if (token.op == CondToken::Op::kNot) {
      if (stack.empty()) return "<malformed>";
      stack.back() = "!" + stack.back();
      continue;
    }
    if (stack.size() < 2) return "<malformed>";
    std::string right = stack.back();
    stack.pop_back();
    const char* op = token.op == CondToken::Op::kOr    ? " || "
                     : token.op == CondToken::Op::kAnd ? " && "
                     : token.op == CondToken::Op::kXor ? " ^ "
                     : token.op == CondToken::Op::kEq  ? " == "
                                                       : " != ";
    bool nested = stack.size() > 1;
    stack.back() = (nested ? "(" : "") + stack.back() + op + right + (nested ? ")" : "");
  }
  return stack.size() == 1 ? stack.back() : "<malformed>";
}

BooleanSearch findBooleanAssignments(const Policy& policy, const std::vector<AccessNeed>& needs) {
  BooleanSearch search;
  std::set<Requirement> requirements;
  for (const auto& need : needs) {
    PermMask unconditional = policy.unconditionalAllowed(need.source, need.target, need.tclass);
    for (unsigned bit = 0; bit < 32; ++bit) {
      PermMask perm = PermMask{1} << bit;
      if ((need.perms & perm) == 0 || (unconditional & perm) != 0) continue;
      Requirement requirement;
      for (const auto& grant : policy.conditionalGrants(need.source, need.target, need.tclass, perm)) {
        requirement.alternatives.emplace_back(grant.cond, grant.branch);
      }
      if (requirement.alternatives.empty()) return search;  // only a module can grant it
      std::sort(requirement.alternatives.begin(), requirement.alternatives.end());
      requirement.alternatives.erase(std::unique(requirement.alternatives.begin(), requirement.alternatives.end()),
                                     requirement.alternatives.end());
      requirements.insert(std::move(requirement));
    }
  }
  if (requirements.empty()) return search;  // already granted by unconditional rules

  std::map<std::uint32_t, std::vector<CondToken>> expressions;
  std::set<std::uint32_t> relevant_set;
  for (const auto& requirement : requirements) {
    for (const auto& [cond, branch] : requirement.alternatives) {
      auto [it, inserted] = expressions.try_emplace(cond);
      if (!inserted) continue;
      it->second = policy.condExpression(cond);
      for (const auto& token : it->second) {
        if (token.op == CondToken::Op::kBool) relevant_set.insert(token.boolean);
      }
    }
  }
  std::vector<std::uint32_t> relevant(relevant_set.begin(), relevant_set.end());
  std::vector<char> current(policy.booleanCount());
  for (std::uint32_t i = 0; i < current.size(); ++i) current[i] = policy.booleanState(i) ? 1 : 0;

  std::vector<std::vector<std::size_t>> found;  // as indexes into relevant
  auto contains = [](const std::vector<std::size_t>& outer, const std::vector<std::size_t>& inner) {
    return std::includes(outer.begin(), outer.end(), inner.begin(), inner.end());
  };
  std::size_t budget = kMaxSubsetsTried;
  std::vector<char> states = current;
  for (std::size_t size = 1; size <= relevant.size(); ++size) {
    bool finished = forEachSubset(relevant.size(), size, budget, [&](const std::vector<std::size_t>& pick) {
      for (const auto& earlier : found) {
        if (contains(pick, earlier)) return;
      }
      for (std::size_t index : pick) states[relevant[index]] = static_cast<char>(!current[relevant[index]]);
      bool all = std::all_of(requirements.begin(), requirements.end(), [&](const Requirement& requirement) {
        return std::any_of(requirement.alternatives.begin(), requirement.alternatives.end(),
                           [&](const auto& alternative) {
                             return evaluate(expressions[alternative.first], states) == alternative.second;
                           });
      });
      if (all) {
        found.push_back(pick);
        BooleanAssignment assignment;
        for (std::size_t index : pick) {
          assignment.values[policy.booleanName(relevant[index])] = states[relevant[index]] != 0;
        }
        std::set<std::string> conditions;
        for (const auto& requirement : requirements) {
          for (const auto& [cond, branch] : requirement.alternatives) {
            if (evaluate(expressions[cond], states) == branch) {
              conditions.insert((branch ? "" : "!(") + conditionText(policy, cond) + (branch ? "" : ")"));
              break;
            }
          }
        }
        assignment.conditions.assign(conditions.begin(), conditions.end());
        search.assignments.push_back(std::move(assignment));
      }
      for (std::size_t index : pick) states[relevant[index]] = current[relevant[index]];
    });
    if (!finished) {
      search.complete = false;
      break;
    }
  }
  return search;
}

Expected<BooleanDocs> BooleanDocs::load(const std::string& path) {
  auto text = fs::readHostFile(path, std::size_t{64} << 20);
  if (!text) return tl::unexpected(text.error());
  return parse(*text, path);
}

Expected<BooleanDocs> BooleanDocs::parse(std::string_view xml, const std::string& origin) {
  tinyxml2::XMLDocument document;
  if (document.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    const char* reason = document.ErrorStr();
    return makeError(ErrorCode::kUnreadable,
                     "cannot read policy documentation '" + origin + "': " + (reason ? reason : "unknown error"));
  }
  BooleanDocs docs;
  std::vector<const tinyxml2::XMLElement*> pending;
  if (const auto* root = document.RootElement()) pending.push_back(root);
  while (!pending.empty()) {
    const auto* element = pending.back();
    pending.pop_back();
    std::string_view tag = element->Name();
    if (tag == "bool" || tag == "tunable") {
      const char* name = element->Attribute("name");
      const auto* desc = element->FirstChildElement("desc");
      if (name && desc) {
        std::string text;
        gatherText(desc, text);
        docs.descriptions_[name] = collapseWhitespace(text);
      }
      continue;
    }
    for (const auto* child = element->FirstChildElement(); child; child = child->NextSiblingElement()) {
      pending.push_back(child);
    }
  }
  return docs;
}

std::optional<std::string> BooleanDocs::describe(const std::string& name) const {
  auto it = descriptions_.find(name);
  if (it == descriptions_.end()) return std::nullopt;
  return it->second;
}

}  // namespace modgate::selinux
