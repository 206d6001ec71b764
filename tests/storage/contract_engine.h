// The seam between the storage contract suite (storage_contract.cpp, written once) and the
// engine it runs on. contract_engine_sqlite.cpp and contract_engine_postgres.cpp each define
// MakeContractEngine(); the suite is linked with one of them per executable.
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"

namespace soundcheck::storage::test {

class ContractEngine {
 public:
  virtual ~ContractEngine() = default;
  // Creates a fresh, empty database for one test and opens it. On failure records a test
  // failure (with the reason) and returns nullptr.
  virtual std::unique_ptr<Database> OpenFresh(const OpenOptions& options) = 0;
  // Opens another, independent handle to the database OpenFresh created (another process or
  // node, as far as the engine can tell).
  virtual Result<std::unique_ptr<Database>> OpenAgain(const OpenOptions& options) = 0;
  // Drops what OpenFresh created. Every handle must be closed before.
  virtual void Cleanup() = 0;
};

std::unique_ptr<ContractEngine> MakeContractEngine();

}  // namespace soundcheck::storage::test
