#pragma once

#include <vector>

#include "scanner/core/remedy.h"
#include "scanner/selinux/booleans.h"

namespace modgate::policygen {

/// Turns boolean assignments into `selinux-boolean` remedies: the values, the
/// conditions they satisfy, the policy's description of each boolean (docs may be
/// null when policy.xml is not installed), and the setsebool command.
std::vector<Remedy> booleanRemedies(const selinux::BooleanSearch& search, const selinux::BooleanDocs* docs);

}  // namespace modgate::policygen
