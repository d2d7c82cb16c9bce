#include "policygen/selinux/boolean_remedy.h"

namespace modgate::policygen {

std::vector<Remedy> booleanRemedies(const selinux::BooleanSearch& search, const selinux::BooleanDocs* docs) {
  std::vector<Remedy> out;
  for (const auto& assignment : search.assignments) {
    Remedy remedy;
    remedy.kind = "selinux-boolean";
    remedy.booleans = assignment.values;
    remedy.conditions = assignment.conditions;
    std::string command = "setsebool -P";
    std::string names;
    for (const auto& [name, value] : assignment.values) {
      command += " " + name + "=" + (value ? "1" : "0");
      if (!names.empty()) names += " and ";
      names += (value ? "turn on " : "turn off ") + name;
      if (docs) {
        if (auto text = docs->describe(name)) remedy.descriptions[name] = *text;
      }
    }
    names[0] = static_cast<char>(names[0] - 'a' + 'A');
    remedy.summary = names + (assignment.values.size() > 1 ? " (all are needed)" : "");
    remedy.commands.push_back(command);
    out.push_back(std::move(remedy));
  }
  return out;
}

}  // namespace modgate::policygen
