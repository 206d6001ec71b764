// Money is integer cents with an ISO 4217 currency; never a float.
#pragma once

#include <cstdint>
#include <string>

namespace soundcheck::core {

struct Money {
  int64_t amount_cents = 0;
  std::string currency = "USD";
  bool operator==(const Money&) const = default;
};

}  // namespace soundcheck::core
