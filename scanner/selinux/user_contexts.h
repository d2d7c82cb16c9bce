#pragma once

// Which SELinux user and domain a Linux user gets, from the root's policy
// configuration. Grammar: seusers lines "NAME:SEUSER[:RANGE]" where NAME is a
// user, "%GROUP" or "__default__"; contexts/users/SEUSER lines
// "FROM_ROLE:FROM_TYPE[:LEVEL] TO_ROLE:TO_TYPE[:LEVEL] ..." (first valid target wins).

#include <optional>
#include <string>
#include <vector>

namespace modgate::selinux {

/// The SELinux user of a login (seusers: the user, then its groups, then __default__).
std::optional<std::string> seuserOf(const std::string& root, const std::string& selinux_type, const std::string& user,
                                    const std::vector<std::string>& groups);

/// The domain a session started from from_type (e.g. "sshd_t", "crond_t") gets for
/// seuser: the first target of the matching line of contexts/users/SEUSER, else of
/// contexts/default_contexts.
std::optional<std::string> defaultDomain(const std::string& root, const std::string& selinux_type,
                                         const std::string& seuser, const std::string& from_type);

}  // namespace modgate::selinux
