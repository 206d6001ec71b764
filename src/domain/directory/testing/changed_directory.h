// Test helpers for DirectoryService::ReadChanged: a small fictional directory with every kind
// of record the matching index traces to its listings, the listings each change must touch,
// and what ScanListed and ReadChanged report, in a form tests can compare. Used by the
// in-memory tests (directory_service_test.cpp) and by the SQLite and PostgreSQL contract
// (tests/storage/directory_repository_contract.cpp), so the three agree case by case.
#pragma once

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "domain/directory/directory_service.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::directory::testing {

// Two organizations; svc-a and svc-b share an office (loc-shared), svc-a has a second one;
// svc-c is paused (inactive), svc-e removed (defunct); sal-gone points at a service that is
// not stored. Ids are lower case, as stored ids are.
inline std::vector<Record> ChangedDirectory() {
  std::vector<Record> out;
  auto add = [&](const char* resource, const char* id, const char* json) {
    out.push_back({resource, id, boost::json::parse(json).as_object()});
  };
  add("organization", "org-clinic",
      R"({"id":"org-clinic","name":"Example Clinic DEMO","description":"Fictional"})");
  add("organization", "org-practice",
      R"({"id":"org-practice","name":"Sample Practice DEMO","description":"Fictional"})");
  add("service", "svc-a",
      R"({"id":"svc-a","organization_id":"org-clinic","name":"Demo Therapy A","status":"active"})");
  add("service", "svc-b",
      R"({"id":"svc-b","organization_id":"org-clinic","name":"Demo Therapy B","status":"active"})");
  add("service", "svc-c",
      R"({"id":"svc-c","organization_id":"org-clinic","name":"Demo Paused","status":"inactive"})");
  add("service", "svc-d",
      R"({"id":"svc-d","organization_id":"org-practice","name":"Demo Group","status":"active"})");
  add("service", "svc-e",
      R"({"id":"svc-e","organization_id":"org-practice","name":"Demo Removed","status":"defunct"})");
  add("location", "loc-shared",
      R"({"id":"loc-shared","location_type":"physical","latitude":40.7,"longitude":-74.0})");
  add("location", "loc-a2",
      R"({"id":"loc-a2","location_type":"physical","latitude":40.8,"longitude":-73.9})");
  add("location", "loc-c",
      R"({"id":"loc-c","location_type":"physical","latitude":40.6,"longitude":-73.8})");
  add("location", "loc-d",
      R"({"id":"loc-d","location_type":"physical","latitude":42.6,"longitude":-73.7})");
  add("location", "loc-empty",
      R"({"id":"loc-empty","location_type":"physical","latitude":43.0,"longitude":-76.1})");
  add("address", "adr-shared",
      R"({"id":"adr-shared","location_id":"loc-shared","address_1":"1 Example Row","city":"Demo City","state_province":"NY","postal_code":"10001","country":"US","address_type":"physical"})");
  add("address", "adr-d",
      R"({"id":"adr-d","location_id":"loc-d","address_1":"2 Sample Lane","city":"Demo Town","state_province":"NY","postal_code":"12207","country":"US","address_type":"physical"})");
  add("address", "adr-empty",
      R"({"id":"adr-empty","location_id":"loc-empty","address_1":"3 Nowhere Way","city":"Demo Village","state_province":"NY","postal_code":"13202","country":"US","address_type":"physical"})");
  add("service_at_location", "sal-a1",
      R"({"id":"sal-a1","service_id":"svc-a","location_id":"loc-shared"})");
  add("service_at_location", "sal-a2",
      R"({"id":"sal-a2","service_id":"svc-a","location_id":"loc-a2"})");
  add("service_at_location", "sal-b1",
      R"({"id":"sal-b1","service_id":"svc-b","location_id":"loc-shared"})");
  add("service_at_location", "sal-c1",
      R"({"id":"sal-c1","service_id":"svc-c","location_id":"loc-c"})");
  add("service_at_location", "sal-d1",
      R"({"id":"sal-d1","service_id":"svc-d","location_id":"loc-d"})");
  add("service_at_location", "sal-gone",
      R"({"id":"sal-gone","service_id":"svc-gone","location_id":"loc-a2"})");
  add("taxonomy_term", "term-anxiety", R"({"id":"term-anxiety","name":"Anxiety DEMO"})");
  add("attribute", "att-a",
      R"({"id":"att-a","link_id":"svc-a","link_entity":"service","taxonomy_term_id":"term-anxiety"})");
  add("attribute", "att-d",
      R"({"id":"att-d","link_id":"svc-d","link_entity":"service","taxonomy_term_id":"term-anxiety"})");
  add("language", "lang-a", R"({"id":"lang-a","service_id":"svc-a","name":"Spanish","code":"es"})");
  add("language", "lang-d", R"({"id":"lang-d","service_id":"svc-d","name":"French","code":"fr"})");
  add("cost_option", "cost-b",
      R"({"id":"cost-b","service_id":"svc-b","amount":40,"currency":"USD","option":"Session"})");
  add("service_capacity", "cap-d",
      R"({"id":"cap-d","service_id":"svc-d","available":2,"updated":"2026-11-01T00:00:00Z"})");
  return out;
}

// One change set and what ReadChanged must report for it: the listings visited, in id
// order, and the ids reported unlisted (sorted here).
struct ChangedCase {
  std::string name;
  std::vector<DirectoryService::ChangedRecord> changed;
  std::vector<std::string> visited;
  std::vector<std::string> unlisted;
};

inline std::vector<ChangedCase> ChangedCases() {
  using V = std::vector<std::string>;
  return {
      {"a service is itself", {{"service", "svc-a"}}, V{"svc-a"}, V{}},
      {"an id in upper case", {{"service", "SVC-B"}}, V{"svc-b"}, V{}},
      {"an attribute, by link_id", {{"attribute", "att-d"}}, V{"svc-d"}, V{}},
      {"a language", {{"language", "lang-a"}}, V{"svc-a"}, V{}},
      {"a cost option", {{"cost_option", "cost-b"}}, V{"svc-b"}, V{}},
      {"a capacity", {{"service_capacity", "cap-d"}}, V{"svc-d"}, V{}},
      {"a service_at_location", {{"service_at_location", "sal-a2"}}, V{"svc-a"}, V{}},
      {"a location of one service", {{"location", "loc-d"}}, V{"svc-d"}, V{}},
      {"a location shared by two", {{"location", "loc-shared"}}, V{"svc-a", "svc-b"}, V{}},
      {"an address: the services at its location",
       {{"address", "adr-shared"}},
       V{"svc-a", "svc-b"},
       V{}},
      {"an address of one service", {{"address", "adr-d"}}, V{"svc-d"}, V{}},
      {"an organization: its services",
       {{"organization", "org-clinic"}},
       V{"svc-a", "svc-b"},
       V{"svc-c"}},
      {"the other organization", {{"organization", "org-practice"}}, V{"svc-d"}, V{"svc-e"}},
      {"a paused service", {{"service", "svc-c"}}, V{}, V{"svc-c"}},
      {"a removed service", {{"service", "svc-e"}}, V{}, V{"svc-e"}},
      {"a service not stored", {{"service", "svc-gone"}}, V{}, V{"svc-gone"}},
      {"the office of a paused service", {{"location", "loc-c"}}, V{}, V{"svc-c"}},
      {"a link to a service not stored", {{"service_at_location", "sal-gone"}}, V{}, V{"svc-gone"}},
      {"a location with a listed and a missing service",
       {{"location", "loc-a2"}},
       V{"svc-a"},
       V{"svc-gone"}},
      {"a location nobody is offered at", {{"location", "loc-empty"}}, V{}, V{}},
      {"the address of that location", {{"address", "adr-empty"}}, V{}, V{}},
      {"unknown ids touch nothing",
       {{"service", "svc-unknown"},
        {"attribute", "att-unknown"},
        {"language", "lang-unknown"},
        {"cost_option", "cost-unknown"},
        {"service_capacity", "cap-unknown"},
        {"service_at_location", "sal-unknown"},
        {"location", "loc-unknown"},
        {"address", "adr-unknown"},
        {"organization", "org-unknown"}},
       V{},
       V{"svc-unknown"}},
      {"several at once, each listing once",
       {{"language", "lang-d"},
        {"service", "svc-a"},
        {"address", "adr-shared"},
        {"cost_option", "cost-b"},
        {"service", "svc-c"},
        {"attribute", "att-a"},
        {"service_capacity", "cap-d"},
        {"language", "lang-d"}},
       V{"svc-a", "svc-b", "svc-d"},
       V{"svc-c"}},
      {"nothing", {}, V{}, V{}},
  };
}

// A listing as ScanListed or ReadChanged gives it, as text a failed comparison can show: the
// service and then its related records sorted by (resource, id) (their order is the
// storage's), one a line.
using Listing = std::string;

inline Listing MakeListing(const Record& service, std::vector<Record> related) {
  std::sort(related.begin(), related.end(), [](const Record& a, const Record& b) {
    return std::tie(a.resource, a.id) < std::tie(b.resource, b.id);
  });
  Listing out = "service " + service.id + " " + boost::json::serialize(service.fields) + "\n";
  for (const auto& r : related) {
    out += "  " + r.resource + " " + r.id + " " + boost::json::serialize(r.fields) + "\n";
  }
  return out;
}

// What one ReadChanged call reported.
struct ChangedRead {
  std::vector<std::string> visited;         // in the order visited
  std::map<std::string, Listing> listings;  // by service id
  std::vector<std::string> unlisted;        // sorted
};

inline core::Result<ChangedRead> ReadChangedOf(
    DirectoryService& service, const std::vector<DirectoryService::ChangedRecord>& changed) {
  ChangedRead read;
  SC_RETURN_IF_ERROR(service.ReadChanged(
      changed,
      [&](const Record& s, const std::vector<Record>& related) {
        read.visited.push_back(s.id);
        read.listings[s.id] = MakeListing(s, related);
      },
      read.unlisted));
  std::sort(read.unlisted.begin(), read.unlisted.end());
  return read;
}

// Every listed service, as ScanListed gives it.
inline core::Result<std::map<std::string, Listing>> ScanListedOf(DirectoryService& service) {
  std::map<std::string, Listing> out;
  SC_RETURN_IF_ERROR(service.ScanListed([&](const Record& s, const std::vector<Record>& related) {
    out[s.id] = MakeListing(s, related);
  }));
  return out;
}

// Stores `records` in one transaction, as an import would (links and index from the schema).
inline core::Status PutRecords(TransactionRunner& runner, const HsdsSchema& schema,
                               const std::vector<Record>& records) {
  return runner.Run([&](UnitOfWork& uow) -> core::Status {
    for (const auto& r : records) {
      SC_RETURN_IF_ERROR(uow.directory().Put(r, LinksOf(schema, r), IndexOf(r), 100));
    }
    return core::Ok();
  });
}

// "<prefix>-bulk-NNNN": the records of BulkDirectory, in id order by `i`.
inline std::string BulkId(const std::string& prefix, int i) {
  char n[16];
  std::snprintf(n, sizeof n, "%04d", i);
  return prefix + "-bulk-" + n;
}

// `count` listings for the batches: svc-bulk-NNNN, every seventh paused, each with one
// attribute (att-bulk-NNNN) and its own office (loc-bulk-NNNN, sal-bulk-NNNN).
inline std::vector<Record> BulkDirectory(int count) {
  std::vector<Record> out;
  out.push_back({"organization", "org-bulk",
                 boost::json::object{{"id", "org-bulk"}, {"name", "Example Network DEMO"}}});
  for (int i = 0; i < count; ++i) {
    const std::string s = BulkId("svc", i), a = BulkId("att", i), l = BulkId("loc", i),
                      sal = BulkId("sal", i);
    out.push_back({"service", s,
                   boost::json::object{{"id", s},
                                       {"organization_id", "org-bulk"},
                                       {"name", "Demo Bulk " + std::to_string(i)},
                                       {"status", i % 7 == 3 ? "inactive" : "active"}}});
    out.push_back({"attribute", a,
                   boost::json::object{{"id", a},
                                       {"link_id", s},
                                       {"link_entity", "service"},
                                       {"taxonomy_term_id", "term-anxiety"}}});
    out.push_back({"location", l,
                   boost::json::object{{"id", l},
                                       {"location_type", "physical"},
                                       {"latitude", 40.0 + i * 0.001},
                                       {"longitude", -74.0}}});
    out.push_back({"service_at_location", sal,
                   boost::json::object{{"id", sal}, {"service_id", s}, {"location_id", l}}});
  }
  return out;
}

}  // namespace soundcheck::domain::directory::testing
