#pragma once

#include <string>
#include <string_view>

namespace modgate::policygen {

/// A shell word that stands for text exactly: '...' with each ' written as '\''.
/// Any byte (newlines, $, `, \, non-UTF-8) is literal inside single quotes.
std::string shellQuote(std::string_view text);

}  // namespace modgate::policygen
