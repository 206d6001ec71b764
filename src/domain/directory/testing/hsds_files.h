// Test helpers: the shipped HSDS schemas and the official examples, read from the source
// tree (the examples live in ../shared/hsds beside the repository, as in CI).
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "domain/directory/hsds_schema.h"

namespace soundcheck::domain::directory::testing {

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::filesystem::path SchemaDir() {
  return std::filesystem::path(SC_SOURCE_DIR) / "data" / "hsds";
}

inline std::filesystem::path ExamplesDir() {
  return std::filesystem::path(SC_SOURCE_DIR) / ".." / "shared" / "hsds" / "examples";
}

inline const HsdsSchema& ShippedSchema() {
  static const HsdsSchema schema = [] {
    std::map<std::string, std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(SchemaDir() / "schema")) {
      if (entry.path().extension() == ".json") {
        files[entry.path().filename().string()] = ReadText(entry.path());
      }
    }
    auto loaded = HsdsSchema::Load(files, ReadText(SchemaDir() / "datapackage.json"));
    if (!loaded) std::abort();
    return *std::move(loaded);
  }();
  return schema;
}

}  // namespace soundcheck::domain::directory::testing
