// The logging facade. Log lines carry ids, codes and counts — never personal data (names,
// emails, answers, notes, insurance, tokens). Reviewers check every call site for that.
#pragma once

#include <spdlog/spdlog.h>

namespace soundcheck::core::log {

using spdlog::debug;
using spdlog::error;
using spdlog::info;
using spdlog::warn;

// Sets the process-wide level from "debug" | "info" | "warn" | "error". Unknown → info.
void SetLevel(std::string_view level);

}  // namespace soundcheck::core::log
