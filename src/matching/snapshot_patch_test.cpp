// Snapshot::Patch against Snapshot::Build: on random directories, a patched snapshot (new
// listings, replaced ones with changed facts, values the base never held, removals, patches
// of patches) must answer every query exactly as a snapshot built from the resulting list:
// the same matches in the same order with the same reasons, costs and dates, the same
// eligible counts and the same relaxations.
#include <gtest/gtest.h>

#include <map>

#include "matching/engine.h"
#include "matching/query_json.h"
#include "matching/snapshot.h"
#include "matching/testing/random_directory.h"

namespace soundcheck::matching {
namespace {

using namespace random_directory;  // NOLINT(google-build-using-namespace): test helpers

// The base vocabulary and values no base directory holds: a put may bring them in.
RandomVocabulary Extended() {
  RandomVocabulary v;
  v.jurisdictions.insert(v.jurisdictions.end(), {"US-OR", "US-WA", "CA-BC"});
  v.care.push_back("care_type:art-therapy");
  v.tags.insert(v.tags.end(), {"issue:grief", "approach:act"});
  v.languages.insert(v.languages.end(), {"de", "pt"});
  v.plans.insert(v.plans.end(), {"e|new", "f|bronze"});
  v.genders.push_back("two-spirit");
  return v;
}

// The directory as a map from id to (number, listing): what Build is given.
struct Directory {
  std::map<std::string, Provider> listings;
  std::vector<int> numbers;  // the RandomProvider numbers of listings added, for replacing
  int next = 0;
  std::vector<Provider> List() const {
    std::vector<Provider> out;
    for (const auto& [id, p] : listings) out.push_back(p);
    return out;
  }
};

struct Change {
  std::vector<Provider> put;
  std::vector<std::string> removed;
};

// Random puts (new, replaced with changed facts, the same id twice) and removals (known
// and unknown ids), applied to `d` as Patch must: removals first, then puts, last wins.
Change RandomChange(Rng& rng, Directory& d, const RandomVocabulary& vocabulary) {
  Change change;
  const int removals = static_cast<int>(rng.Int(0, 12));
  for (int k = 0; k < removals && !d.numbers.empty(); ++k) {
    const int number = rng.Pick(d.numbers);
    change.removed.push_back(RandomProvider(rng, number).id);
  }
  if (rng.Chance(0.5)) change.removed.emplace_back("00000000-0000-4000-8000-unknown");
  const int replaced = static_cast<int>(rng.Int(0, 10));
  for (int k = 0; k < replaced && !d.numbers.empty(); ++k) {
    change.put.push_back(RandomProvider(rng, rng.Pick(d.numbers), vocabulary));
  }
  const int added = static_cast<int>(rng.Int(0, 10));
  for (int k = 0; k < added; ++k) {
    d.numbers.push_back(d.next);
    change.put.push_back(RandomProvider(rng, d.next++, vocabulary));
  }
  if (!change.put.empty() && rng.Chance(0.3)) {
    // The same id put twice: the last wins.
    change.put.push_back(RandomProvider(rng, rng.Pick(d.numbers), vocabulary));
    change.put.back().id = change.put.front().id;
  }
  std::shuffle(change.put.begin(), change.put.end(), rng.gen);
  for (const auto& id : change.removed) d.listings.erase(id);
  for (const auto& p : change.put) d.listings[p.id] = p;
  return change;
}

// Every query's answer on `patched` equals its answer on `built`, field for field (the wire
// form carries every field of every match; the positions are compared besides).
int ExpectSameAnswers(const Snapshot& patched, const Snapshot& built, Rng& rng,
                      const RandomVocabulary& vocabulary, int queries, const std::string& where) {
  int with_results = 0;
  for (int k = 0; k < queries; ++k) {
    Query q = RandomQuery(rng, vocabulary);
    if (rng.Chance(0.5)) {
      q.limit = static_cast<int32_t>(rng.Int(1, 5));
      q.eligible_count_cap = rng.Int(1, 12);
      q.relaxation_count_cap = rng.Int(1, 20);
    }
    auto a = FindMatches(patched, q);
    auto b = FindMatches(built, q);
    EXPECT_TRUE(a.has_value() && b.has_value()) << where;
    if (!a || !b) return with_results;
    EXPECT_EQ(EncodeAnswer(*a), EncodeAnswer(*b)) << where << " query " << k;
    EXPECT_EQ(a->eligible, b->eligible) << where << " query " << k;
    EXPECT_EQ(a->relaxations.size(), b->relaxations.size()) << where << " query " << k;
    EXPECT_EQ(a->matches.size(), b->matches.size()) << where << " query " << k;
    for (size_t r = 0; r < std::min(a->matches.size(), b->matches.size()); ++r) {
      EXPECT_EQ(a->matches[r].index, b->matches[r].index) << where << " query " << k;
    }
    if (!a->matches.empty()) ++with_results;
  }
  return with_results;
}

TEST(MatchingSnapshotPatch, PatchedAnswersAsBuiltOnRandomDirectories) {
  const RandomVocabulary vocabulary = Extended();
  int compared = 0, with_results = 0, changes = 0;
  for (uint64_t seed = 1; seed <= 24; ++seed) {
    Rng rng(seed * 7717);
    Directory d;
    const int n = static_cast<int>(rng.Int(0, 600));
    for (int i = 0; i < n; ++i) {
      d.numbers.push_back(d.next);
      Provider p = RandomProvider(rng, d.next++);
      d.listings[p.id] = p;
    }
    auto current = Snapshot::Build(d.List(), SnapshotOptions{1, kWindow});
    // Patches of patches: each round patches the previous round's patched snapshot.
    for (int round = 0; round < 4; ++round) {
      const Change change = RandomChange(rng, d, vocabulary);
      changes += static_cast<int>(change.put.size() + change.removed.size());
      SnapshotOptions options{round + 2, kWindow};
      // Each patch is made at its own time, before the queries' (its fresh-openings set is
      // recomputed as of then, as a build's is); some are made with none.
      if (seed % 2 == 0) options.fresh_as_of = kNow - rng.Int(0, 10 * 86400);
      current = Snapshot::Patch(*current, change.put, change.removed, options);
      const auto built = Snapshot::Build(d.List(), options);
      const std::string where = "seed " + std::to_string(seed) + " round " + std::to_string(round);
      ASSERT_EQ(current->size(), built->size()) << where;
      ASSERT_EQ(current->version(), options.version);
      for (uint32_t i = 0; i < current->size(); ++i) {
        ASSERT_EQ(current->id(i), built->id(i)) << where;
        ASSERT_EQ(current->name(i), built->name(i)) << where;
        ASSERT_EQ(current->fee_cents(i), built->fee_cents(i)) << where;
      }
      const auto ps = current->Stats(), bs = built->Stats();
      EXPECT_EQ(ps.cells, bs.cells) << where << ": a cell left empty must go";
      with_results += ExpectSameAnswers(*current, *built, rng, vocabulary, 80, where);
      compared += 80;
    }
  }
  EXPECT_EQ(compared, 24 * 4 * 80);
  EXPECT_GT(with_results, compared / 4) << "most queries must find someone to compare";
  EXPECT_GT(changes, 24 * 4 * 5);
}

TEST(MatchingSnapshotPatch, PatchingNothingGivesAnEqualSnapshot) {
  Rng rng(5);
  std::vector<Provider> providers;
  for (int i = 0; i < 500; ++i) providers.push_back(RandomProvider(rng, i));
  const auto base = Snapshot::Build(providers, SnapshotOptions{3, kWindow});
  const auto same = Snapshot::Patch(*base, {}, {}, SnapshotOptions{3, kWindow});
  const auto a = base->Stats(), b = same->Stats();
  EXPECT_EQ(a.providers, b.providers);
  EXPECT_EQ(a.terms, b.terms);
  EXPECT_EQ(a.languages, b.languages);
  EXPECT_EQ(a.plans, b.plans);
  EXPECT_EQ(a.jurisdictions, b.jurisdictions);
  EXPECT_EQ(a.cells, b.cells);
  EXPECT_EQ(base->Save(1).size(), same->Save(1).size());
  ExpectSameAnswers(*same, *base, rng, RandomVocabulary::Base(), 200, "nothing");
}

TEST(MatchingSnapshotPatch, RemovingAnUnknownIdIsHarmless) {
  Rng rng(6);
  std::vector<Provider> providers;
  for (int i = 0; i < 300; ++i) providers.push_back(RandomProvider(rng, i));
  const auto base = Snapshot::Build(providers, SnapshotOptions{3, kWindow});
  const auto patched =
      Snapshot::Patch(*base, {}, {"no-such-id", "", "zzzz", providers[0].id + "x"}, {3, kWindow});
  EXPECT_EQ(patched->size(), base->size());
  ExpectSameAnswers(*patched, *base, rng, RandomVocabulary::Base(), 150, "unknown");
}

TEST(MatchingSnapshotPatch, EmptyingAndRefillingAnIndex) {
  Rng rng(8);
  std::vector<Provider> providers;
  std::vector<std::string> ids;
  for (int i = 0; i < 200; ++i) {
    providers.push_back(RandomProvider(rng, i));
    ids.push_back(providers.back().id);
  }
  const auto base = Snapshot::Build(providers, SnapshotOptions{1, kWindow});
  const auto empty = Snapshot::Patch(*base, {}, ids, SnapshotOptions{2, kWindow});
  EXPECT_EQ(empty->size(), 0u);
  EXPECT_EQ(empty->Stats().cells, 0u);
  const auto refilled = Snapshot::Patch(*empty, providers, {}, SnapshotOptions{3, kWindow});
  const auto built = Snapshot::Build(providers, SnapshotOptions{3, kWindow});
  ExpectSameAnswers(*refilled, *built, rng, RandomVocabulary::Base(), 150, "refilled");
}

TEST(MatchingSnapshotPatch, AValueNobodyHoldsAnyMoreMatchesNobody) {
  Rng rng(9);
  std::vector<Provider> providers;
  for (int i = 0; i < 100; ++i) providers.push_back(RandomProvider(rng, i));
  Provider odd = RandomProvider(rng, 500);
  odd.languages = {"xx"};
  odd.plans = {"q|only"};
  odd.care_types = {"care_type:individual-therapy"};
  odd.tags.push_back("issue:rare");
  auto with_odd = providers;
  with_odd.push_back(odd);
  const auto base = Snapshot::Build(with_odd, SnapshotOptions{1, kWindow});
  const auto patched = Snapshot::Patch(*base, {}, {odd.id}, SnapshotOptions{2, kWindow});
  const auto built = Snapshot::Build(providers, SnapshotOptions{2, kWindow});
  RandomVocabulary v;
  v.languages.emplace_back("xx");
  v.plans.emplace_back("q|only");
  v.tags.emplace_back("issue:rare");
  ExpectSameAnswers(*patched, *built, rng, v, 200, "gone value");
}

TEST(MatchingSnapshotPatch, ASavedPatchedSnapshotLoadsAndAnswersTheSame) {
  const RandomVocabulary vocabulary = Extended();
  Rng rng(11);
  Directory d;
  for (int i = 0; i < 400; ++i) {
    d.numbers.push_back(d.next);
    Provider p = RandomProvider(rng, d.next++);
    d.listings[p.id] = p;
  }
  const auto base = Snapshot::Build(d.List(), SnapshotOptions{1, kWindow});
  const Change change = RandomChange(rng, d, vocabulary);
  const auto patched = Snapshot::Patch(*base, change.put, change.removed, {2, kWindow});
  const std::string bytes = patched->Save(7);
  auto loaded = Snapshot::Load(bytes, 7);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ((*loaded)->version(), 2);
  // Cells are written in hash order, so compare sizes rather than bytes.
  EXPECT_EQ((*loaded)->Save(7).size(), bytes.size());
  const auto built = Snapshot::Build(d.List(), SnapshotOptions{2, kWindow});
  ExpectSameAnswers(**loaded, *built, rng, vocabulary, 200, "loaded");
}

}  // namespace
}  // namespace soundcheck::matching
