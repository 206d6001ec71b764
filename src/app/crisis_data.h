// Reads data/crisis-lines.json into the domain's crisis directory.
#pragma once

#include <string>

#include "core/result.h"
#include "domain/crisis/crisis_directory.h"

namespace soundcheck::app {

// kInvalidArgument naming the file and the problem when it is missing or malformed.
core::Result<domain::crisis::CrisisDirectory> LoadCrisisLines(const std::string& path);

}  // namespace soundcheck::app
