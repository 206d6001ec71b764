// Helpers shared by the storage suites.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "storage/database.h"

namespace soundcheck::storage::test {

// Runs one statement in its own read-write transaction.
inline Status Exec(Database& db, const std::string& sql, const std::vector<Value>& params = {}) {
  return db.Transact([&](Transaction& tx) -> Status {
    SC_RETURN_IF_ERROR(tx.Execute(sql, params));
    return core::Ok();
  });
}

// Runs one query in its own transaction; an error fails the test and returns no rows.
inline Rows QueryAll(Database& db, const std::string& sql, const std::vector<Value>& params = {},
                     TxMode mode = TxMode::kReadOnly) {
  Rows out;
  Status s = db.Transact(
      [&](Transaction& tx) -> Status {
        SC_ASSIGN_OR_RETURN(out, tx.Query(sql, params));
        return core::Ok();
      },
      mode);
  EXPECT_TRUE(s) << sql << ": " << (s ? "" : s.error().message);
  return out;
}

// The single integer a query returns (-1 when it returns none).
inline int64_t QueryInt(Database& db, const std::string& sql,
                        const std::vector<Value>& params = {}) {
  Rows r = QueryAll(db, sql, params);
  if (r.empty() || r.rows[0].size() == 0) return -1;
  return r.rows[0].Int(0).value_or(-1);
}

inline std::string Describe(const Status& s) {
  return s ? std::string("ok")
           : std::string(core::ErrorCodeName(s.error().code)) + ": " + s.error().message;
}

// A fresh directory under the temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sc-storage-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace soundcheck::storage::test
