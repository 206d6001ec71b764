// Replays a fuzz corpus without libFuzzer, so the committed inputs run in every ordinary
// build (gcc or clang, with or without the sanitizers) as a unit test.
//
//   fuzz_hsds_json_replay DIR_OR_FILE...
//
// Feeds every regular file under each directory (recursively, in name order) and every file
// named to LLVMFuzzerTestOneInput, one at a time. A harness that finds a broken invariant
// aborts, naming it; the runner prints each input's path before running it, so the last path
// printed is the input to look at. Exits 1 when no input was found (a mistyped corpus path
// must not pass as "nothing failed").
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> Inputs(const fs::path& root) {
  std::vector<fs::path> files;
  if (fs::is_directory(root)) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
  } else if (fs::is_regular_file(root)) {
    files.push_back(root);
  }
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  size_t count = 0;
  size_t bytes = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& path : Inputs(argv[i])) {
      std::ifstream in(path, std::ios::binary);
      const std::string data((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      std::fprintf(stderr, "replay %s (%zu bytes)\n", path.c_str(), data.size());
      // A copy of exactly the input's size, so ASan sees a read past its end.
      std::vector<uint8_t> copy(data.begin(), data.end());
      static const uint8_t kNothing = 0;
      LLVMFuzzerTestOneInput(copy.empty() ? &kNothing : copy.data(), copy.size());
      ++count;
      bytes += data.size();
    }
  }
  std::printf("replayed %zu inputs (%zu bytes)\n", count, bytes);
  return count == 0 ? 1 : 0;
}
