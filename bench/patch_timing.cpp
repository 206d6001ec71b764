// Patch timing: how long matching::Snapshot::Patch takes to put one changed listing into an
// index of N generated providers (the synthetic directory, read through ProviderFromHsds as
// a node reads it), beside SnapshotBuilder::Finish of the same index, and what memory a
// patch holds (the index twice while the old snapshot is still in service). Not a test.
//
//   bench_patch [--providers N] [--rounds R] [--data-dir DIR] [--today YYYY-MM-DD]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "domain/directory/synthetic.h"
#include "domain/directory/vocabulary.h"
#include "matching/from_hsds.h"
#include "matching/snapshot.h"

namespace {

namespace dir = soundcheck::domain::directory;
namespace m = soundcheck::matching;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

long RssKib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "bench_patch: %s\n", what.c_str());
  std::exit(1);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int64_t providers = 100000;
  int rounds = 7;
  std::string data_dir = "data";
  std::string today = "2026-11-25";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--providers") {
      providers = std::atoll(argv[i + 1]);
    } else if (a == "--rounds") {
      rounds = std::max(1, std::atoi(argv[i + 1]));
    } else if (a == "--data-dir") {
      data_dir = argv[i + 1];
    } else if (a == "--today") {
      today = argv[i + 1];
    } else {
      Die("unknown flag " + a);
    }
  }
  auto vocabulary = dir::Vocabulary::Parse(ReadFile(data_dir + "/directory/vocabulary.json"));
  if (!vocabulary) Die("vocabulary: " + vocabulary.error().message);
  auto zones = dir::ParseZone1970(ReadFile("/usr/share/zoneinfo/zone1970.tab"));
  if (!zones) Die("zone1970.tab: " + zones.error().message);

  // Generate and add, keeping a few listings (spread over the id range) to change later.
  m::SnapshotBuilder builder;
  std::vector<m::Provider> samples;
  std::vector<dir::Record> pending;
  int64_t shown = 0;
  auto flush = [&] {
    const dir::Record* service = nullptr;
    for (const auto& r : pending) {
      if (r.resource == "service") service = &r;
    }
    if (service == nullptr) return;
    auto p = m::ProviderFromHsds(*vocabulary, *service, pending);
    if (!p) return;
    builder.Add(*p);
    if (shown++ % 9973 == 0) samples.push_back(std::move(*p));
  };
  dir::GeneratorOptions go;
  go.providers = providers;
  go.seed = 1;
  go.today = today;
  bool started = false;
  auto st = dir::GenerateDirectory(go, *vocabulary, dir::RankCities(*zones), [&](dir::Record r) {
    if (r.resource == "organization") {
      if (started) flush();
      pending.clear();
      started = true;
    }
    if (started) pending.push_back(std::move(r));
    return soundcheck::core::Ok();
  });
  if (!st) Die("generate: " + st.error().message);
  if (started) flush();
  if (samples.empty()) Die("no listing generated");
  const long rss_before_finish = RssKib();
  const auto t0 = Clock::now();
  auto base = builder.Finish(m::SnapshotOptions{1, 14 * 86400});
  const double finish_ms = Ms(Clock::now() - t0);
  const auto stats = base->Stats();
  std::printf("providers %u, index %.1f MiB, Finish (sort, sets, cells) %.1f ms\n", stats.providers,
              static_cast<double>(stats.bytes) / (1 << 20), finish_ms);
  (void)rss_before_finish;

  // One changed listing: a sample with a new language, one more plan and fewer openings.
  std::vector<double> one, removal, added;
  long rss_peak = 0;
  const long rss_base = RssKib();
  for (int r = 0; r < rounds; ++r) {
    m::Provider changed = samples[static_cast<size_t>(r) % samples.size()];
    changed.languages.push_back(r % 2 == 0 ? "xh" : "fr");
    changed.plans.push_back("bench|plan-" + std::to_string(r));
    changed.openings = r % 3;
    auto t = Clock::now();
    auto patched = m::Snapshot::Patch(*base, {changed}, {}, m::SnapshotOptions{2, 14 * 86400});
    one.push_back(Ms(Clock::now() - t));
    rss_peak = std::max(rss_peak, RssKib());
    if (patched->size() != base->size()) Die("a replacement changed the size");

    t = Clock::now();
    auto fewer = m::Snapshot::Patch(*base, {}, {changed.id}, m::SnapshotOptions{2, 14 * 86400});
    removal.push_back(Ms(Clock::now() - t));
    if (fewer->size() + 1 != base->size()) Die("a removal did not remove");

    m::Provider fresh = changed;
    fresh.id = "00000000-0000-4000-8000-bench" + std::to_string(r);
    t = Clock::now();
    auto more = m::Snapshot::Patch(*base, {fresh}, {}, m::SnapshotOptions{2, 14 * 86400});
    added.push_back(Ms(Clock::now() - t));
    if (more->size() != base->size() + 1) Die("an addition did not add");
  }
  std::printf(
      "Patch, median of %d: one listing replaced %.1f ms, one removed %.1f ms, one added %.1f ms\n",
      rounds, Median(one), Median(removal), Median(added));
  std::printf("RSS: %.1f MiB with the index, %.1f MiB peak while patching (old and new held)\n",
              static_cast<double>(rss_base) / 1024, static_cast<double>(rss_peak) / 1024);
  return 0;
}
