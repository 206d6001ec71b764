// HSDS reading, validation and writing, on the official examples and on broken copies.
#include "domain/directory/hsds_codec.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "core/json_text.h"
#include "domain/directory/testing/hsds_files.h"

namespace soundcheck::domain::directory {
namespace {

namespace json = boost::json;
using testing::ExamplesDir;
using testing::ReadText;
using testing::ShippedSchema;

// (resource, id) → fields, merged the way an import merges an object met twice.
using RecordMap = std::map<std::pair<std::string, std::string>, json::object>;

struct Read {
  RecordMap records;
  IssueList issues;
  int emitted = 0;
};

RecordSink Into(Read& read) {
  return [&read](Record r) -> core::Status {
    ++read.emitted;
    auto& fields = read.records[{r.resource, r.id}];
    for (const auto& [k, v] : r.fields) fields[k] = v;
    return core::Ok();
  };
}

Read ReadJson(const std::string& text, const std::string& resource = "") {
  Read read;
  EXPECT_TRUE(ReadJsonDocument(text, resource, "doc", ShippedSchema(), read.issues, Into(read)));
  return read;
}

std::string Describe(const IssueList& issues) {
  std::string out;
  for (const auto& i : issues.issues()) {
    out += i.where + " " + i.resource + " " + i.record_id + " " + i.field + ": " + i.message + "\n";
  }
  return out;
}

TEST(HsdsSchemaTest, LoadsEveryObjectOfTheSpecification) {
  const auto& schema = ShippedSchema();
  EXPECT_EQ(schema.resources().size(), 24u);
  const auto* service = schema.Find("service");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->table, "services");
  ASSERT_NE(service->Field("status"), nullptr);
  EXPECT_EQ(service->Field("status")->one_of.size(), 4u);
  ASSERT_NE(service->Nested("phones"), nullptr);
  EXPECT_TRUE(service->Nested("phones")->is_array);
  EXPECT_FALSE(service->Nested("organization")->is_array);
  EXPECT_EQ(schema.FindByTable("organizations")->name, "organization");
}

TEST(HsdsSchemaTest, RefusesASchemaThatRefersToAMissingFile) {
  auto loaded = HsdsSchema::Load(
      {{"service.json",
        R"({"properties":{"phones":{"type":"array","items":{"$ref":"phone.json"}}}})"}},
      R"({"resources":[]})");
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("phone.json"), std::string::npos);
}

TEST(HsdsFormatTest, MatchesWhatTheOfficialValidatorAccepts) {
  EXPECT_TRUE(MatchesFormat("uuid", "ac148810-d857-441c-9679-408f346de14b"));
  EXPECT_FALSE(MatchesFormat("uuid", "ac148810-d857-441c-9679-408f346de14"));
  EXPECT_FALSE(MatchesFormat("uuid", "not-a-uuid"));
  EXPECT_TRUE(MatchesFormat("date-time", "2024-09-25T14:23:06.5+01:00"));
  EXPECT_TRUE(MatchesFormat("date-time", "2023-03-15T10:30:45.123Z"));
  EXPECT_FALSE(MatchesFormat("date-time", "2023-03-15"));
  EXPECT_TRUE(MatchesFormat("uri", "http://example.com/counselling"));
  EXPECT_FALSE(MatchesFormat("uri", "example dot com"));
  EXPECT_TRUE(MatchesFormat("email", "email@example.com"));
  EXPECT_FALSE(MatchesFormat("email", "not an email"));
}

// Every official JSON example reads without an issue and yields its records.
TEST(HsdsCodecTest, EveryOfficialJsonExampleReads) {
  for (const char* file :
       {"service_full.json", "organization_full.json", "service_at_location_full.json",
        "location.json", "taxonomy.json", "taxonomy_term.json", "service_list.json",
        "organization_list.json", "service_at_location_list.json", "taxonomy_list.json",
        "taxonomy_term_list.json"}) {
    SCOPED_TRACE(file);
    Read read = ReadJson(ReadText(ExamplesDir() / file), ResourceFromFileName(file));
    EXPECT_TRUE(read.issues.empty()) << Describe(read.issues);
    EXPECT_GT(read.records.size(), 0u);
  }
}

TEST(HsdsCodecTest, NestedChildrenGetTheirParentsKey) {
  Read read = ReadJson(ReadText(ExamplesDir() / "service_full.json"), "service");
  ASSERT_TRUE(read.issues.empty()) << Describe(read.issues);
  const std::string service = "ac148810-d857-441c-9679-408f346de14b";
  const auto& phone = read.records.at({"phone", "1554f2e2-a373-45db-a3fa-9fc48a61c15e"});
  EXPECT_EQ(phone.at("service_id").as_string(), service);
  // The phone's language points at the phone.
  bool language_of_phone = false;
  for (const auto& [key, fields] : read.records) {
    if (key.first == "language" && fields.contains("phone_id") &&
        fields.at("phone_id").as_string() == "1554f2e2-a373-45db-a3fa-9fc48a61c15e") {
      language_of_phone = true;
    }
  }
  EXPECT_TRUE(language_of_phone);
  // The embedded organization is a record; the service points at it.
  const auto& svc = read.records.at({"service", service});
  ASSERT_TRUE(svc.contains("organization_id"));
  EXPECT_TRUE(
      read.records.count({"organization", std::string(svc.at("organization_id").as_string())}));
  EXPECT_FALSE(svc.contains("phones"));
  EXPECT_FALSE(svc.contains("organization"));
  // Attributes point at what they describe and name its table.
  const auto& attribute = read.records.at({"attribute", "ae58cc39-8b70-4ab1-8aea-786882e5ac8e"});
  EXPECT_EQ(attribute.at("link_id").as_string(), service);
  EXPECT_TRUE(attribute.contains("taxonomy_term_id"));
}

TEST(HsdsCodecTest, OfficialCsvExampleReadsEveryTable) {
  Read read;
  int tables = 0;
  for (const auto& spec : ShippedSchema().resources()) {
    auto path = ExamplesDir() / "csv" / (spec.table + ".csv");
    if (!std::filesystem::exists(path)) continue;
    ++tables;
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(
        ReadCsvTable(in, spec.name, spec.table + ".csv", ShippedSchema(), read.issues, Into(read)));
  }
  EXPECT_EQ(tables, 24);
  EXPECT_TRUE(read.issues.empty()) << Describe(read.issues);
  EXPECT_EQ(read.records.size(), 24u);
  const auto& service = read.records.at({"service", "ac148810-d857-441c-9679-408f346de14b"});
  EXPECT_EQ(service.at("minimum_age").as_int64(), 12);
  EXPECT_EQ(service.at("status").as_string(), "active");
}

// Records → tabular JSON → records, and records → CSV → records, change nothing.
TEST(HsdsCodecTest, TabularJsonAndCsvRoundTripToTheSameRecords) {
  Read first = ReadJson(ReadText(ExamplesDir() / "organization_full.json"), "organization");
  ASSERT_TRUE(first.issues.empty()) << Describe(first.issues);

  json::object tabular;
  for (const auto& [key, fields] : first.records) {
    auto& list = tabular[key.first];
    if (!list.is_array()) list = json::array();
    list.as_array().push_back(fields);
  }
  Read again = ReadJson(core::JsonText(tabular));
  ASSERT_TRUE(again.issues.empty()) << Describe(again.issues);
  EXPECT_EQ(again.records, first.records);

  Read from_csv;
  for (const auto& spec : ShippedSchema().resources()) {
    std::string text = CsvLine(CsvColumns(spec));
    bool any = false;
    for (const auto& [key, fields] : first.records) {
      if (key.first != spec.name) continue;
      any = true;
      text += CsvLine(CsvCells(CsvColumns(spec), fields));
    }
    if (!any) continue;
    std::istringstream in(text);
    ASSERT_TRUE(
        ReadCsvTable(in, spec.name, spec.table, ShippedSchema(), from_csv.issues, Into(from_csv)));
  }
  ASSERT_TRUE(from_csv.issues.empty()) << Describe(from_csv.issues);
  EXPECT_EQ(from_csv.records, first.records);
}

TEST(HsdsCodecTest, InfersTheTypeFromTheFileNameOrTheFields) {
  EXPECT_EQ(ResourceFromFileName("examples/service_full.json"), "service");
  EXPECT_EQ(ResourceFromFileName("service_at_location_list.json"), "service_at_location");
  EXPECT_EQ(ResourceFromFileName("taxonomy_term.json"), "taxonomy_term");
  EXPECT_EQ(ResourceFromFileName("providers.json"), "");
  EXPECT_EQ(InferResource(json::parse(R"({"id":"x","status":"active"})").as_object()), "service");
  EXPECT_EQ(InferResource(json::parse(R"({"id":"x","location_type":"virtual"})").as_object()),
            "location");
  EXPECT_EQ(InferResource(json::parse(R"({"id":"x","name":"n"})").as_object()), "");
}

// --- Broken input: a clear issue naming the record and the field, and no records. ---

json::object ServiceFull() {
  return json::parse(ReadText(ExamplesDir() / "service_full.json")).as_object();
}

void ExpectIssue(const Read& read, const std::string& record_id, const std::string& field,
                 const std::string& message_part) {
  bool found = false;
  for (const auto& i : read.issues.issues()) {
    if (i.record_id == record_id && i.field == field &&
        i.message.find(message_part) != std::string::npos) {
      found = true;
    }
  }
  EXPECT_TRUE(found) << "wanted " << record_id << " " << field << " '" << message_part
                     << "', got:\n"
                     << Describe(read.issues);
  EXPECT_EQ(read.emitted, 0) << "a broken object must yield no records";
}

TEST(HsdsBrokenInputTest, BadUuid) {
  auto doc = ServiceFull();
  doc["phones"].as_array()[0].as_object()["id"] = "1554f2e2-not-a-uuid";
  Read read = ReadJson(core::JsonText(doc), "service");
  ExpectIssue(read, "", "/id", "uuid");
  EXPECT_NE(read.issues.issues()[0].where.find("/phones/0"), std::string::npos);
}

TEST(HsdsBrokenInputTest, MissingRequiredField) {
  auto doc = ServiceFull();
  doc.erase("name");
  Read read = ReadJson(core::JsonText(doc), "service");
  ExpectIssue(read, "ac148810-d857-441c-9679-408f346de14b", "/name", "required");
}

TEST(HsdsBrokenInputTest, WrongEnum) {
  auto doc = ServiceFull();
  doc["status"] = "open for business";
  Read read = ReadJson(core::JsonText(doc), "service");
  ExpectIssue(read, "ac148810-d857-441c-9679-408f346de14b", "/status", "one of");
}

TEST(HsdsBrokenInputTest, NumbersThatDoNotFitAreRefused) {
  Read read = ReadJson(
      R"({"id":"3a19ff88-4620-4d17-9830-ac1d859eb5d5","location_type":"physical","latitude":1e999,"x_extra":[0e999]})",
      "location");
  ExpectIssue(read, "3a19ff88-4620-4d17-9830-ac1d859eb5d5", "/latitude", "finite");
  ExpectIssue(read, "3a19ff88-4620-4d17-9830-ac1d859eb5d5", "/x_extra", "finite");
}

TEST(HsdsFormatTest, VeryLongValuesAreCheckedWithoutRecursion) {
  // std::regex overflowed the stack on a 30,000-character URL (fuzz_hsds_json).
  const std::string long_path(200000, 'a');
  EXPECT_TRUE(MatchesFormat("uri", "https://example.org/" + long_path));
  EXPECT_TRUE(MatchesFormat("email", long_path + "@example.org"));
  EXPECT_FALSE(MatchesFormat("date-time", "2026-11-25T12:00:00." + std::string(200000, '1')));
  EXPECT_TRUE(MatchesFormat("date-time", "2026-11-25T12:00:00." + std::string(200000, '1') + "Z"));
  EXPECT_FALSE(MatchesFormat("uri", "https://example.org/a b"));
  EXPECT_FALSE(MatchesFormat("email", "a@b@example.org"));
  EXPECT_FALSE(MatchesFormat("date", "2026-00-10"));
  EXPECT_TRUE(MatchesFormat("time", "10:00:00"));
  EXPECT_TRUE(MatchesFormat("date-time", "2026-11-25T12:00:00+0100"));
  EXPECT_FALSE(MatchesFormat("date-time", "2026-11-25T24:00:00Z"));
}

TEST(HsdsBrokenInputTest, WrongTypeInANestedObject) {
  auto doc = ServiceFull();
  doc["phones"].as_array()[0].as_object()["extension"] = "one hundred";
  Read read = ReadJson(core::JsonText(doc), "service");
  ExpectIssue(read, "1554f2e2-a373-45db-a3fa-9fc48a61c15e", "/extension", "number");
}

TEST(HsdsBrokenInputTest, NestedKeyContradictingItsParent) {
  auto doc = ServiceFull();
  doc["phones"].as_array()[0].as_object()["service_id"] = "00000000-0000-4000-8000-000000000000";
  Read read = ReadJson(core::JsonText(doc), "service");
  ExpectIssue(read, "1554f2e2-a373-45db-a3fa-9fc48a61c15e", "/service_id", "nested");
}

TEST(HsdsBrokenInputTest, JsonCutOffMidRecordNamesTheLine) {
  std::string text = ReadText(ExamplesDir() / "service_full.json");
  text.resize(text.size() / 2);
  Read read = ReadJson(text, "service");
  ASSERT_EQ(read.issues.total(), 1u);
  EXPECT_NE(read.issues.issues()[0].message.find("not valid JSON"), std::string::npos);
  EXPECT_NE(read.issues.issues()[0].where.find("doc:"), std::string::npos);
  EXPECT_EQ(read.emitted, 0);
}

TEST(HsdsBrokenInputTest, NdjsonCutOffMidRecordNamesTheLine) {
  auto doc = ServiceFull();
  std::string line = core::JsonText(doc);
  std::istringstream in(line + "\n" + line.substr(0, line.size() / 3));
  Read read;
  ASSERT_TRUE(ReadNdjson(in, "service", "stream.ndjson", ShippedSchema(), read.issues, Into(read)));
  ASSERT_EQ(read.issues.total(), 1u);
  EXPECT_EQ(read.issues.issues()[0].where, "stream.ndjson:2");
  EXPECT_GT(read.emitted, 0);  // line 1 was fine; the import as a whole is refused upstream
}

Read ReadCsv(const std::string& text, const std::string& resource = "service") {
  Read read;
  std::istringstream in(text);
  EXPECT_TRUE(ReadCsvTable(in, resource, "services.csv", ShippedSchema(), read.issues, Into(read)));
  return read;
}

constexpr const char* kServiceHeader = "id,organization_id,name,status\r\n";
constexpr const char* kServiceRow =
    "ac148810-d857-441c-9679-408f346de14b,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Counselling,"
    "active\r\n";

TEST(HsdsBrokenCsvTest, AGoodRowReads) {
  Read read = ReadCsv(std::string(kServiceHeader) + kServiceRow);
  EXPECT_TRUE(read.issues.empty()) << Describe(read.issues);
  EXPECT_EQ(read.emitted, 1);
}

TEST(HsdsBrokenCsvTest, BrokenQuoting) {
  Read read = ReadCsv(std::string(kServiceHeader) +
                      "ac148810-d857-441c-9679-408f346de14b,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,"
                      "Coun\"selling,active\r\n");
  ASSERT_EQ(read.issues.total(), 1u) << Describe(read.issues);
  EXPECT_NE(read.issues.issues()[0].message.find("line 2"), std::string::npos);
  EXPECT_EQ(read.emitted, 0);
}

TEST(HsdsBrokenCsvTest, QuoteNeverClosedAtTheEndOfAFile) {
  Read read = ReadCsv(std::string(kServiceHeader) + kServiceRow +
                      "5d6e7f80-1111-4222-8333-944455566677,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,"
                      "\"Cut off here");
  ASSERT_EQ(read.issues.total(), 1u) << Describe(read.issues);
  EXPECT_NE(read.issues.issues()[0].message.find("never closed"), std::string::npos);
  EXPECT_NE(read.issues.issues()[0].message.find("line 3"), std::string::npos);
}

TEST(HsdsBrokenCsvTest, RowCutShort) {
  Read read = ReadCsv(std::string(kServiceHeader) + kServiceRow +
                      "5d6e7f80-1111-4222-8333-944455566677,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610");
  ASSERT_EQ(read.issues.total(), 1u) << Describe(read.issues);
  EXPECT_EQ(read.issues.issues()[0].record_id, "5d6e7f80-1111-4222-8333-944455566677");
  EXPECT_NE(read.issues.issues()[0].message.find("the header has 4"), std::string::npos);
  EXPECT_EQ(read.emitted, 1);  // only the complete row; the import as a whole is refused
}

TEST(HsdsBrokenCsvTest, DuplicateIds) {
  Read read = ReadCsv(std::string(kServiceHeader) + kServiceRow + kServiceRow);
  ASSERT_EQ(read.issues.total(), 1u);
  EXPECT_EQ(read.issues.issues()[0].field, "/id");
  EXPECT_EQ(read.issues.issues()[0].where, "services.csv:3");
}

TEST(HsdsBrokenCsvTest, MissingRequiredFieldInARow) {
  Read read = ReadCsv(
      std::string(kServiceHeader) +
      "ac148810-d857-441c-9679-408f346de14b,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,,active\r\n");
  ExpectIssue(read, "ac148810-d857-441c-9679-408f346de14b", "/name", "required");
  EXPECT_EQ(read.issues.issues()[0].where, "services.csv:2");
}

TEST(HsdsBrokenCsvTest, UnknownColumnAndWrongNumber) {
  Read read = ReadCsv(
      "id,organization_id,name,status,minimum_age,favourite_colour\r\n"
      "ac148810-d857-441c-9679-408f346de14b,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,C,active,twelve,"
      "blue\r\n");
  bool unknown = false;
  bool number = false;
  for (const auto& i : read.issues.issues()) {
    unknown |= i.field == "/favourite_colour";
    number |= i.field == "/minimum_age" && i.message.find("number") != std::string::npos;
  }
  EXPECT_TRUE(unknown) << Describe(read.issues);
  EXPECT_TRUE(number) << Describe(read.issues);
}

TEST(CsvTest, QuotedFieldsLineBreaksAndDoubledQuotes) {
  std::vector<std::string> cells = {"plain",      "with, comma", "with \"quotes\"",
                                    "two\nlines", " padded ",    ""};
  std::istringstream in("\xEF\xBB\xBF" + CsvLine(cells) + CsvLine({"a", "b"}));
  CsvReader reader(in);
  std::vector<std::string> row;
  ASSERT_TRUE(*reader.Next(row));
  EXPECT_EQ(row, cells);
  ASSERT_TRUE(*reader.Next(row));
  EXPECT_EQ(reader.row_line(), 3);
  EXPECT_EQ(row, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(*reader.Next(row));
}

TEST(CsvTest, NumbersAreWrittenInTheirShortestForm) {
  json::object fields{{"latitude", 40.7128}, {"minimum_age", 12}, {"amount", 51.5}};
  EXPECT_EQ(CsvCells({"latitude", "minimum_age", "amount", "absent"}, fields),
            (std::vector<std::string>{"40.7128", "12", "51.5", ""}));
}

}  // namespace
}  // namespace soundcheck::domain::directory
