// Canary personal values go in through the API; none may appear in plaintext in the
// database file, its WAL, or a backup (on PostgreSQL: the whole data directory and a
// pg_dump). A sealed value moved to another row must not open.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "storage/backup.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(CanaryTest, NoPlaintextInDatabaseWalOrBackup) {
  TestApp t;
  auto admin = t.CreateAccount("admin");
  auto s = t.Login(admin);
  const std::string canary_name = "Canaryname Zqxjvw";
  const std::string canary_email = "canary.zqxjvwkp@example.test";
  boost::json::object body{{"email", canary_email},
                           {"name", canary_name},
                           {"role", "member"},
                           {"password", "canary passphrase long enough"}};
  auto r = t.Call("POST", "/api/v1/users", boost::json::serialize(body), s.cookie, s.csrf);
  ASSERT_EQ(r.status, 201) << r.body;
  // Read it back so reads go through the database too.
  std::string id(ParseJson(r.body).at("id").as_string());
  ASSERT_EQ(t.Call("GET", "/api/v1/users/" + id, "", s.cookie).status, 200);

  std::vector<std::string> canaries = {canary_name, canary_email, "Zqxjvw", "zqxjvwkp",
                                       admin.totp_secret};
  std::vector<std::string> files;
  if (t.app().db().dialect() == storage::Dialect::kSqlite) {
    std::string db = t.data_dir() + "/soundcheck.db";
    std::string backup = t.data_dir() + "/backup.db";
    ASSERT_TRUE(storage::BackupSqlite(db, backup));
    ASSERT_TRUE(std::filesystem::exists(db + "-wal")) << "the WAL exists while the app is open";
    files = {db, db + "-wal", backup};
  } else {
    // PostgreSQL: every file of the server's data directory (tables, indexes, WAL), after a
    // checkpoint, and a pg_dump of this test's schema.
    const char* pgdata = std::getenv("SC_TEST_PG_DATA");
    ASSERT_TRUE(pgdata && *pgdata) << "SC_TEST_PG_DATA must name the server's data directory";
    auto st = t.app().db().Transact([](storage::Transaction& tx) -> core::Status {
      auto r = tx.Execute("CHECKPOINT");
      if (!r) return std::move(r).error();
      return core::Ok();
    });
    ASSERT_TRUE(st) << st.error().message;
    std::string url = t.config().db;
    std::string schema = url.substr(url.find("search_path%3D") + 14);
    std::string dump = t.data_dir() + "/dump.sql";
    std::string cmd = "pg_dump --schema=" + schema + " --file=" + dump + " '" +
                      std::string(std::getenv("SC_TEST_PG_URL")) + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    files.push_back(dump);
    for (const auto& e : std::filesystem::recursive_directory_iterator(
             pgdata, std::filesystem::directory_options::skip_permission_denied)) {
      if (e.is_regular_file()) files.push_back(e.path().string());
    }
  }
  size_t bytes_scanned = 0;
  for (const auto& f : files) {
    std::string bytes = Slurp(f);
    bytes_scanned += bytes.size();
    for (const auto& canary : canaries) {
      EXPECT_EQ(bytes.find(canary), std::string::npos) << "a canary value was found in " << f;
    }
  }
  EXPECT_GT(bytes_scanned, 10000u);
}

TEST(CanaryTest, ASealedValueMovedToAnotherRowDoesNotOpen) {
  TestApp t;
  auto admin = t.CreateAccount("admin");
  auto other = t.CreateAccount("case_manager");
  auto s = t.Login(admin);
  // Copy the other person's sealed name onto the admin's row.
  auto st = t.app().db().Transact([&](storage::Transaction& tx) -> core::Status {
    auto r = tx.Execute(
        "UPDATE users SET name_sealed = (SELECT name_sealed FROM users WHERE id = ?) WHERE id = ?",
        {other.id, admin.id});
    if (!r) return std::move(r).error();
    return core::Ok();
  });
  ASSERT_TRUE(st);
  auto r = t.Call("GET", "/api/v1/users/" + admin.id, "", s.cookie);
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(r.body.find("Test Person"), std::string::npos);
}

}  // namespace
}  // namespace soundcheck::testing
