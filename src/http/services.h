// What handlers may call: domain services and a few probes, injected by app/.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "domain/accounts/account_service.h"
#include "domain/care_plans/care_plan_service.h"
#include "domain/care_profiles/care_profile_service.h"
#include "domain/cases/case_service.h"
#include "domain/crisis/crisis_directory.h"
#include "domain/directory/directory_editor.h"
#include "domain/directory/directory_service.h"
#include "domain/directory/import_queue.h"
#include "domain/directory/provider_notices.h"
#include "domain/intake/intake_service.h"
#include "domain/members/member_service.h"
#include "domain/support/alerts.h"
#include "domain/support/staff_service.h"
#include "domain/support/support_service.h"
#include "live/event_hub.h"
#include "matching/snapshot.h"

namespace soundcheck::http {

class Metrics;

struct Services {
  domain::accounts::AccountService* accounts = nullptr;
  const domain::crisis::CrisisDirectory* crisis = nullptr;
  domain::intake::IntakeService* intake = nullptr;
  domain::cases::CaseService* cases = nullptr;
  domain::care_plans::CarePlanService* care_plans = nullptr;
  domain::care_profiles::CareProfileService* care_profiles = nullptr;
  live::EventHub* events = nullptr;
  domain::support::StaffService* staff = nullptr;
  domain::support::AlertService* alerts = nullptr;
  domain::support::SupportService* support = nullptr;
  domain::members::MemberService* members = nullptr;
  domain::directory::DirectoryService* directory = nullptr;
  domain::directory::DirectoryEditor* editor = nullptr;
  domain::directory::ProviderNotices* notices = nullptr;
  domain::directory::ImportQueue* imports = nullptr;
  // This node's matching index (app/match_index.h keeps it current).
  const matching::SnapshotHolder* matches = nullptr;
  int member_session_seconds = 3600;
  // Member-facing text from the message catalogs (i18n/<language>/server.json):
  // (language, key, params) → text. The catalogs are checked for every key and placeholder
  // at start, so this cannot fail at run time; a gap would show the key.
  std::function<std::string(const std::string& lang, const std::string& key,
                            const std::map<std::string, std::string, std::less<>>& params)>
      text;
  // Readiness: ok when the database answers and migrations are current.
  std::function<core::Status()> ready;
  Metrics* metrics = nullptr;
  const core::Clock* clock = nullptr;
  std::string version;
  std::string public_url;  // where people reach this service (config public_url), no trailing /
  std::string web_dir;     // built console assets; empty: none
  int session_max_age_seconds = 12 * 3600;
  int public_requests_per_minute = 300;
};

}  // namespace soundcheck::http
