// What handlers may call: domain services and a few probes, injected by app/.
#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "domain/accounts/account_service.h"
#include "domain/cases/case_service.h"
#include "domain/crisis/crisis_directory.h"
#include "domain/intake/intake_service.h"

namespace soundcheck::http {

class Metrics;

struct Services {
  domain::accounts::AccountService* accounts = nullptr;
  const domain::crisis::CrisisDirectory* crisis = nullptr;
  domain::intake::IntakeService* intake = nullptr;
  domain::cases::CaseService* cases = nullptr;
  // Readiness: ok when the database answers and migrations are current.
  std::function<core::Status()> ready;
  Metrics* metrics = nullptr;
  const core::Clock* clock = nullptr;
  std::string version;
  std::string web_dir;  // built console assets; empty: none
  int session_max_age_seconds = 12 * 3600;
  int public_requests_per_minute = 300;
};

}  // namespace soundcheck::http
