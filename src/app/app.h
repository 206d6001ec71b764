// The one composition root: config → database → repositories → services → http.
// Nothing else in the program constructs a service or chooses an implementation.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "app/jobs.h"
#include "app/match_index.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/ids.h"
#include "core/result.h"
#include "crypto/passwords.h"
#include "crypto/seal.h"
#include "domain/accounts/account_service.h"
#include "domain/audit/audit_log.h"
#include "domain/care_plans/care_plan_service.h"
#include "domain/care_profiles/care_profile_service.h"
#include "domain/cases/case_service.h"
#include "domain/crisis/crisis_directory.h"
#include "domain/directory/directory_editor.h"
#include "domain/directory/directory_service.h"
#include "domain/directory/import_queue.h"
#include "domain/directory/provider_notices.h"
#include "domain/directory/vocabulary.h"
#include "domain/intake/intake_service.h"
#include "domain/keys/key_service.h"
#include "domain/mail/mail_service.h"
#include "domain/members/member_service.h"
#include "domain/support/alerts.h"
#include "domain/support/staff_service.h"
#include "domain/support/support_service.h"
#include "live/event_hub.h"
#include "mail/delivery.h"
#include "mail/smtp_sender.h"
#include "storage/database.h"

namespace soundcheck::http {
class Pipeline;
class Metrics;
struct Services;
}  // namespace soundcheck::http

namespace soundcheck::app {

struct AppOptions {
  // Injected for tests; null means the real ones.
  const core::Clock* clock = nullptr;
  core::IdGenerator* ids = nullptr;
  // Create the master key file when missing (serve, migrate, demo); commands that only read
  // data refuse to invent a key that could not open anything.
  bool create_master_key = true;
  // Apply pending migrations at open (serve does; `migrate` does it explicitly).
  bool migrate = true;
  // Tests: wraps the database every service uses (e.g. a fault-injecting decorator).
  std::function<std::unique_ptr<storage::Database>(storage::Database&)> wrap_database;
};

// A shipped data file: data/NAME beside the binary, or the source tree's data/ in a build.
std::string DataFile(const std::string& name);

struct LoadedHsds {
  domain::directory::HsdsSchema schema;
  std::string datapackage;  // the official tabular descriptor, for CSV exports
};
// Reads DIR/schema/*.json and DIR/datapackage.json (DataFile("hsds")).
core::Result<LoadedHsds> LoadHsdsSchema(const std::string& dir);

class App {
 public:
  // Opens the database, loads the master key, applies migrations (when asked) and wires the
  // services. Errors name what failed without personal data.
  static core::Result<std::unique_ptr<App>> Open(const config::Config& config,
                                                 AppOptions options = {});
  ~App();

  // Serves HTTP until SIGINT/SIGTERM. `on_listening` gets the bound URL once listening.
  core::Status Serve(const std::function<void(const std::string& url)>& on_listening);

  // The request pipeline, for in-process API tests (no socket).
  http::Pipeline& pipeline();

  // Starts live updates: the event hub's fetch thread and, on PostgreSQL, the LISTEN
  // connection that hears other nodes. Serve() calls it; in-process tests may.
  core::Status StartLive();
  live::EventHub& events() { return *events_; }
  domain::support::AlertService& alerts() { return *alerts_; }
  domain::support::StaffService& staff() { return *staff_; }
  domain::directory::DirectoryService& directory() { return *directory_; }
  const domain::directory::Vocabulary& vocabulary() const { return *vocabulary_; }
  domain::directory::DirectoryEditor& directory_editor() { return *editor_; }
  domain::directory::ProviderNotices& provider_notices() { return *notices_; }
  domain::cases::CaseService& cases() { return *cases_; }
  domain::care_plans::CarePlanService& care_plans() { return *care_plans_; }
  domain::care_profiles::CareProfileService& care_profiles() { return *care_profiles_; }
  // This node's matching index: built by StartLive, then kept current from the event log.
  MatchIndex& matches() { return *matches_; }

  // Where people reach this service (config public_url, else http://<listen>).
  std::string PublicUrl() const;
  // The escalation hook: an overdue alert is mailed to every active supervisor.
  core::Status MailSupervisors(domain::UnitOfWork& uow, const domain::support::Alert& alert);

  core::Status Ready();
  core::Status Migrate();

  storage::Database& db() { return *db_; }
  domain::TransactionRunner& runner() { return *runner_; }
  domain::accounts::AccountService& accounts() { return *accounts_; }
  domain::audit::AuditLog& audit() { return *audit_; }
  const crypto::MasterKey& master_key() const { return *master_key_; }
  const config::Config& config() const { return config_; }

 private:
  App() = default;
  config::Config config_;
  std::unique_ptr<core::SystemClock> system_clock_;
  std::unique_ptr<core::UuidV7Generator> uuid_;
  const core::Clock* clock_ = nullptr;
  core::IdGenerator* ids_ = nullptr;
  std::unique_ptr<crypto::MasterKey> master_key_;
  std::unique_ptr<storage::Database> raw_db_;  // the engine adapter
  std::unique_ptr<storage::Database> db_;      // what services use: raw_db_ or a wrapper
  std::unique_ptr<domain::TransactionRunner> runner_;
  // Declared after the database and runner it reads through, so it stops first.
  std::unique_ptr<live::EventHub> events_;
  std::unique_ptr<storage::Listener> listener_;
  std::unique_ptr<JobRunner> jobs_;  // ~App stops it before anything it calls goes away
  domain::support::EscalationHook escalation_hook_;
  bool live_started_ = false;
  std::unique_ptr<domain::keys::KeyService> keys_;
  std::unique_ptr<domain::audit::AuditLog> audit_;
  std::unique_ptr<crypto::PasswordHasher> hasher_;
  std::unique_ptr<crypto::PasswordPolicy> policy_;
  std::unique_ptr<domain::accounts::AccountService> accounts_;
  std::unique_ptr<domain::crisis::CrisisDirectory> crisis_;
  std::unique_ptr<domain::directory::HsdsSchema> hsds_;
  std::unique_ptr<domain::directory::DirectoryService> directory_;
  std::unique_ptr<domain::directory::Vocabulary> vocabulary_;
  std::unique_ptr<domain::directory::DirectoryEditor> editor_;
  std::unique_ptr<domain::directory::ProviderNotices> notices_;
  std::unique_ptr<domain::intake::IntakeService> intake_;
  std::unique_ptr<domain::cases::CaseService> cases_;
  std::unique_ptr<domain::care_plans::CarePlanService> care_plans_;
  std::unique_ptr<domain::care_profiles::CareProfileService> care_profiles_;
  std::unique_ptr<domain::support::StaffService> staff_;
  std::unique_ptr<domain::support::AlertService> alerts_;
  std::unique_ptr<domain::support::SupportService> support_;
  std::unique_ptr<core::i18n::Translations> server_texts_;
  std::unique_ptr<domain::mail::MailService> mail_;
  std::unique_ptr<domain::members::MemberService> members_;
  std::unique_ptr<mail::SmtpSender> smtp_;
  std::unique_ptr<mail::MailDelivery> delivery_;
  std::unique_ptr<http::Metrics> metrics_;
  std::unique_ptr<http::Services> services_;
  // Last: its worker thread imports through the directory and audit log above.
  std::unique_ptr<domain::directory::ImportQueue> imports_;
  std::unique_ptr<MatchIndex> matches_;
  std::unique_ptr<http::Pipeline> pipeline_;
};

// Where shipped files live: the directory of the running binary (build/bin/), whose data/
// and web/ folders the build fills.
std::string ExecutableDir();

}  // namespace soundcheck::app
