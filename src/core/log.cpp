#include "core/log.h"

namespace soundcheck::core::log {

void SetLevel(std::string_view level) {
  if (level == "debug")
    spdlog::set_level(spdlog::level::debug);
  else if (level == "warn")
    spdlog::set_level(spdlog::level::warn);
  else if (level == "error")
    spdlog::set_level(spdlog::level::err);
  else if (level == "off")
    spdlog::set_level(spdlog::level::off);
  else
    spdlog::set_level(spdlog::level::info);
}

}  // namespace soundcheck::core::log
