// The contract suite on SQLite: a new database file in a new temporary directory per test.
#include <memory>

#include "contract_engine.h"
#include "test_util.h"

namespace soundcheck::storage::test {
namespace {

class SqliteEngine final : public ContractEngine {
 public:
  std::unique_ptr<Database> OpenFresh(const OpenOptions& options) override {
    dir_ = std::make_unique<TempDir>();
    auto db = OpenAgain(options);
    if (!db) {
      ADD_FAILURE() << "cannot open SQLite in " << dir_->path() << ": " << db.error().message;
      return nullptr;
    }
    return std::move(db).value();
  }
  Result<std::unique_ptr<Database>> OpenAgain(const OpenOptions& options) override {
    return OpenDatabase("sqlite:" + dir_->File("contract.db"), options);
  }
  void Cleanup() override { dir_.reset(); }

 private:
  std::unique_ptr<TempDir> dir_;
};

}  // namespace

std::unique_ptr<ContractEngine> MakeContractEngine() { return std::make_unique<SqliteEngine>(); }

}  // namespace soundcheck::storage::test
