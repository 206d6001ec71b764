// The contract suite on PostgreSQL: the server from SC_TEST_PG_URL (required: the suite
// fails, not skips, without it), a fresh schema per test, dropped afterwards.
#include <memory>

#include "contract_engine.h"
#include "pg_test_env.h"

namespace soundcheck::storage::test {
namespace {

class PostgresEngine final : public ContractEngine {
 public:
  std::unique_ptr<Database> OpenFresh(const OpenOptions& options) override {
    schema_ = std::make_unique<PgSchema>("sc_contract");
    if (!schema_->ok()) return nullptr;  // PgSchema recorded why
    auto db = OpenAgain(options);
    if (!db) {
      ADD_FAILURE() << "cannot open the test schema: " << db.error().message;
      return nullptr;
    }
    return std::move(db).value();
  }
  Result<std::unique_ptr<Database>> OpenAgain(const OpenOptions& options) override {
    return OpenDatabase(schema_->Url(), options);
  }
  void Cleanup() override { schema_.reset(); }

 private:
  std::unique_ptr<PgSchema> schema_;
};

}  // namespace

std::unique_ptr<ContractEngine> MakeContractEngine() { return std::make_unique<PostgresEngine>(); }

}  // namespace soundcheck::storage::test
