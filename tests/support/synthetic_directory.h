// The synthetic (fictional) directory as API tests import it.
#pragma once

#include <string>

namespace soundcheck::testing {

// A generated directory of `providers` providers (seed 1, dated `today`, YYYY-MM-DD) as one
// tabular HSDS document: records keyed by their resource. Fails the calling test when the
// vocabulary or the time-zone list cannot be read.
std::string SyntheticDirectory(int providers, const std::string& today);

}  // namespace soundcheck::testing
