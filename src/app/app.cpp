#include "app/app.h"

#include "app/directory_imports.h"

#include "app/crisis_data.h"

#include <unistd.h>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "core/i18n.h"
#include "core/log.h"
#include "core/time_zone.h"
#include "crypto/init.h"
#include "http/metrics.h"
#include "http/pipeline.h"
#include "http/routes.h"
#include "http/server.h"
#include "http/services.h"
#include "mail/smtp_sender.h"
#include "storage/migrations.h"
#include "storage/repositories/sql_event_repository.h"
#include "storage/repositories/sql_unit_of_work.h"

namespace soundcheck::app {

using core::Error;

std::string ExecutableDir() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return ".";
  return p.parent_path().string();
}

// Shipped data files (data/ beside the binary, or the source tree's data/ in a build dir).
std::string DataFile(const std::string& name) {
  namespace fs = std::filesystem;
  for (const auto& candidate :
       {fs::path(ExecutableDir()) / "data" / name,
        fs::path(ExecutableDir()) / ".." / ".." / "data" / name, fs::path("data") / name}) {
    if (fs::exists(candidate)) return candidate.string();
  }
  return (fs::path(ExecutableDir()) / "data" / name).string();
}

core::Result<LoadedHsds> LoadHsdsSchema(const std::string& dir) {
  namespace fs = std::filesystem;
  auto read = [](const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(dir) / "schema", ec)) {
    if (entry.path().extension() == ".json")
      files[entry.path().filename().string()] = read(entry.path());
  }
  if (ec || files.empty()) return Error::Unavailable("cannot read the HSDS schemas in " + dir);
  std::string datapackage = read(fs::path(dir) / "datapackage.json");
  SC_ASSIGN_OR_RETURN(auto schema, domain::directory::HsdsSchema::Load(files, datapackage));
  return LoadedHsds{std::move(schema), std::move(datapackage)};
}

namespace {

// The message catalogs' root: i18n/ beside the binary, or the source tree's.
std::string I18nRoot() {
  namespace fs = std::filesystem;
  for (const auto& candidate :
       {fs::path(ExecutableDir()) / "i18n", fs::path(ExecutableDir()) / ".." / ".." / "i18n",
        fs::path("i18n")}) {
    if (fs::exists(candidate / "en")) return candidate.string();
  }
  return (fs::path(ExecutableDir()) / "i18n").string();
}

std::string PoolMetrics(storage::Database& db) {
  auto s = db.Stats();
  return "# HELP soundcheck_db_pool_connections Database connections open.\n"
         "# TYPE soundcheck_db_pool_connections gauge\n"
         "soundcheck_db_pool_connections " +
         std::to_string(s.size) +
         "\n"
         "# HELP soundcheck_db_pool_in_use Database connections lent out now.\n"
         "# TYPE soundcheck_db_pool_in_use gauge\n"
         "soundcheck_db_pool_in_use " +
         std::to_string(s.in_use) +
         "\n"
         "# HELP soundcheck_db_pool_waits_total Times a request waited for a connection.\n"
         "# TYPE soundcheck_db_pool_waits_total counter\n"
         "soundcheck_db_pool_waits_total " +
         std::to_string(s.waits) +
         "\n"
         "# HELP soundcheck_build_info Build information.\n"
         "# TYPE soundcheck_build_info gauge\n"
         "soundcheck_build_info{version=\"" SOUNDCHECK_VERSION "\",db=\"" +
         std::string(storage::DialectName(db.dialect())) + "\"} 1\n";
}

}  // namespace

App::~App() {
  // Background threads first: they call into the services and the database below.
  if (jobs_) jobs_->Stop();
  if (matches_) matches_->Stop();
  listener_.reset();
  if (events_) events_->Stop();
}

core::Result<std::unique_ptr<App>> App::Open(const config::Config& config, AppOptions options) {
  SC_RETURN_IF_ERROR(crypto::InitCrypto());
  std::unique_ptr<App> app(new App());
  app->config_ = config;
  if (options.clock) {
    app->clock_ = options.clock;
  } else {
    app->system_clock_ = std::make_unique<core::SystemClock>();
    app->clock_ = app->system_clock_.get();
  }
  if (options.ids) {
    app->ids_ = options.ids;
  } else {
    app->uuid_ = std::make_unique<core::UuidV7Generator>(*app->clock_);
    app->ids_ = app->uuid_.get();
  }

  std::string db_url = config.EffectiveDb();
  if (db_url.rfind("sqlite:", 0) == 0 || config.master_key_file.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) return Error::Unavailable("cannot create data directory " + config.data_dir);
    std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  }

  bool created = false;
  SC_ASSIGN_OR_RETURN(crypto::MasterKey mk,
                      crypto::LoadOrCreateMasterKeyFile(config.EffectiveMasterKeyFile(),
                                                        options.create_master_key, &created));
  app->master_key_ = std::make_unique<crypto::MasterKey>(std::move(mk));
  if (created) {
    core::log::warn(
        "created a new master key at {} — fine for a trial; in production keep the master key "
        "outside the data directory and its backups (see docs/operations.md)",
        config.EffectiveMasterKeyFile());
  }

  storage::OpenOptions open;
  open.pool_size = config.db_pool_size;
  SC_ASSIGN_OR_RETURN(app->raw_db_, storage::OpenDatabase(db_url, open));
  if (options.wrap_database) {
    app->db_ = options.wrap_database(*app->raw_db_);
  } else {
    app->db_ = std::move(app->raw_db_);
  }
  if (options.migrate) SC_RETURN_IF_ERROR(app->Migrate());

  auto runner = std::make_unique<storage::SqlTransactionRunner>(*app->db_);
  app->events_ = std::make_unique<live::EventHub>(*runner, live::EventHub::Options{});
  runner->OnEventsCommitted([hub = app->events_.get()] { hub->Poke(); });
  app->runner_ = std::move(runner);
  app->keys_ = std::make_unique<domain::keys::KeyService>(*app->master_key_);
  app->audit_ = std::make_unique<domain::audit::AuditLog>(*app->keys_, *app->clock_, *app->ids_);
  crypto::PasswordParams params;
  params.ops_limit = static_cast<uint64_t>(config.passwords.argon2_ops);
  params.mem_limit = static_cast<size_t>(config.passwords.argon2_mem_mib) << 20;
  app->hasher_ =
      std::make_unique<crypto::PasswordHasher>(params, config.passwords.max_concurrent_hashes);
  std::string list = config.passwords.common_list_file.empty() ? DataFile("common-passwords.txt")
                                                               : config.passwords.common_list_file;
  auto policy = crypto::PasswordPolicy::LoadList(list);
  if (!policy) {
    return Error::Unavailable("cannot load the common-password list " + list +
                              " (set passwords.common_list_file)");
  }
  app->policy_ = std::make_unique<crypto::PasswordPolicy>(std::move(*policy));
  domain::accounts::SessionPolicy sessions;
  sessions.idle = std::chrono::minutes(config.sessions.idle_minutes);
  sessions.absolute = std::chrono::hours(config.sessions.absolute_hours);
  app->accounts_ = std::make_unique<domain::accounts::AccountService>(
      *app->runner_, *app->keys_, *app->audit_, *app->hasher_, *app->policy_, *app->clock_,
      *app->ids_, sessions);

  SC_ASSIGN_OR_RETURN(auto crisis, LoadCrisisLines(DataFile("crisis-lines.json")));
  // The provider directory: the HSDS 3.1 schemas are data (data/hsds/), read once here.
  SC_ASSIGN_OR_RETURN(auto hsds, LoadHsdsSchema(DataFile("hsds")));
  app->hsds_ = std::make_unique<domain::directory::HsdsSchema>(std::move(hsds.schema));
  app->directory_ = std::make_unique<domain::directory::DirectoryService>(
      *app->runner_, *app->clock_, *app->hsds_, std::move(hsds.datapackage));
  {
    std::ifstream in(DataFile("directory/vocabulary.json"), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SC_ASSIGN_OR_RETURN(auto vocabulary, domain::directory::Vocabulary::Parse(text));
    app->vocabulary_ = std::make_unique<domain::directory::Vocabulary>(std::move(vocabulary));
  }
  domain::directory::FreshnessPolicy freshness;
  freshness.openings_window_seconds = int64_t{config.directory.openings_window_days} * 86400;
  app->editor_ = std::make_unique<domain::directory::DirectoryEditor>(
      *app->runner_, *app->clock_, *app->ids_, *app->keys_, *app->audit_, *app->directory_,
      *app->vocabulary_, freshness);
  app->imports_ =
      std::make_unique<DirectoryImports>(*app->directory_, *app->audit_, *app->clock_, *app->ids_);
  app->crisis_ = std::make_unique<domain::crisis::CrisisDirectory>(std::move(crisis));

  domain::intake::IntakePolicy intake_policy;
  intake_policy.alert_ack_seconds = config.alerts.ack_deadline_seconds;
  app->intake_ = std::make_unique<domain::intake::IntakeService>(
      *app->runner_, *app->keys_, *app->audit_, *app->clock_, *app->ids_, intake_policy,
      [](std::string_view tz) { return core::KnownTimeZone(tz); });
  app->cases_ = std::make_unique<domain::cases::CaseService>(
      *app->runner_, *app->keys_, *app->audit_, *app->clock_, *app->ids_);
  app->staff_ = std::make_unique<domain::support::StaffService>(
      *app->runner_, *app->keys_, *app->audit_, *app->clock_, *app->ids_);
  app->alerts_ =
      std::make_unique<domain::support::AlertService>(*app->runner_, *app->audit_, *app->clock_);

  // Member-facing text: the message catalogs (i18n/<language>/<area>.json).
  SC_ASSIGN_OR_RETURN(auto server_texts,
                      core::i18n::Translations::Load(I18nRoot(), "server", {"en", "es"}));
  // Every key the server renders must be there in every language: a gap stops start-up,
  // rather than showing a member a key name.
  for (const char* key : {"intake.next.urgent", "intake.next.normal", "support.next.waiting",
                          "support.next.booked", "ics.summary", "ics.description",
                          "member.link_sent", "contact.email", "contact.phone", "contact.hours"}) {
    for (const char* lang : {"en", "es"}) {
      if (auto t = server_texts.Text(lang, key); !t) return std::move(t).error();
    }
  }
  app->server_texts_ = std::make_unique<core::i18n::Translations>(std::move(server_texts));
  SC_ASSIGN_OR_RETURN(auto mail_texts,
                      core::i18n::Translations::Load(I18nRoot(), "mail", {"en", "es"}));
  SC_ASSIGN_OR_RETURN(auto mail, domain::mail::MailService::Create(
                                     std::move(mail_texts), *app->keys_, *app->clock_, *app->ids_));
  app->mail_ = std::make_unique<domain::mail::MailService>(std::move(mail));
  app->support_ = std::make_unique<domain::support::SupportService>(
      *app->runner_, *app->keys_, *app->audit_, *app->clock_, *app->ids_, app->mail_.get(),
      domain::support::SupportService::Policy{});
  domain::members::MemberPolicy member_policy;
  member_policy.public_url = app->PublicUrl();
  app->members_ = std::make_unique<domain::members::MemberService>(
      *app->runner_, *app->keys_, *app->audit_, *app->clock_, app->mail_.get(), member_policy);
  app->care_plans_ = std::make_unique<domain::care_plans::CarePlanService>(
      *app->runner_, *app->keys_, *app->audit_, *app->clock_, *app->ids_);
  app->members_->SetCarePlans(app->care_plans_.get());
  app->care_profiles_ = std::make_unique<domain::care_profiles::CareProfileService>(
      *app->runner_, *app->keys_, *app->audit_, *app->clock_, *app->ids_);
  domain::directory::NoticePolicy notice_policy;
  notice_policy.interval_seconds = int64_t{config.directory.checkin_interval_days} * 86400;
  notice_policy.link_seconds = freshness.openings_window_seconds;
  notice_policy.public_url = app->PublicUrl();
  while (!notice_policy.public_url.empty() && notice_policy.public_url.back() == '/') {
    notice_policy.public_url.pop_back();
  }
  app->notices_ = std::make_unique<domain::directory::ProviderNotices>(
      *app->runner_, *app->clock_, *app->ids_, *app->keys_, app->mail_.get(), *app->editor_,
      notice_policy);
  app->intake_->SetStatusLinkSender(
      [members = app->members_.get()](domain::UnitOfWork& uow, const std::string& index,
                                      const std::string& email, const std::string& lang,
                                      const std::string& person) {
        return members->SendLink(uow, index, email, lang, person);
      });
  app->escalation_hook_ = [self = app.get()](domain::UnitOfWork& uow,
                                             const domain::support::Alert& alert) {
    return self->MailSupervisors(uow, alert);
  };

  storage::Database* db = app->db_.get();
  App* metrics_owner = app.get();
  app->metrics_ = std::make_unique<http::Metrics>([db, metrics_owner] {
    std::string text = PoolMetrics(*db);
    if (metrics_owner->delivery_) text += mail::MetricsText(metrics_owner->delivery_->stats());
    return text;
  });
  app->services_ = std::make_unique<http::Services>();
  auto& s = *app->services_;
  s.accounts = app->accounts_.get();
  s.crisis = app->crisis_.get();
  s.intake = app->intake_.get();
  s.cases = app->cases_.get();
  s.care_plans = app->care_plans_.get();
  s.care_profiles = app->care_profiles_.get();
  s.events = app->events_.get();
  s.staff = app->staff_.get();
  s.alerts = app->alerts_.get();
  s.support = app->support_.get();
  s.members = app->members_.get();
  s.directory = app->directory_.get();
  s.editor = app->editor_.get();
  s.notices = app->notices_.get();
  s.imports = app->imports_.get();
  MatchIndex::Options index_options;
  index_options.openings_window_seconds = freshness.openings_window_seconds;
  index_options.saved_path =
      (std::filesystem::path(config.data_dir) / "matching-index.bin").string();
  index_options.fingerprint = VocabularyFingerprint(*app->vocabulary_);
  index_options.clock = app->clock_;
  app->matches_ = std::make_unique<MatchIndex>(*app->directory_, *app->vocabulary_, *app->events_,
                                               index_options);
  s.matches = &app->matches_->holder();
  s.member_session_seconds = member_policy.session_minutes * 60;
  s.text = [texts = app->server_texts_.get()](const std::string& lang, const std::string& key,
                                              const core::i18n::Params& params) {
    auto text = texts->Render(lang == "es" ? "es" : "en", key, params);
    return text ? *text : key;
  };
  App* self = app.get();
  s.ready = [self] { return self->Ready(); };
  s.metrics = app->metrics_.get();
  s.clock = app->clock_;
  s.version = SOUNDCHECK_VERSION;
  s.public_url = app->PublicUrl();
  while (!s.public_url.empty() && s.public_url.back() == '/') s.public_url.pop_back();
  s.web_dir = config.web_dir.empty() ? ExecutableDir() + "/web" : config.web_dir;
  s.session_max_age_seconds = config.sessions.absolute_hours * 3600;
  s.public_requests_per_minute = config.limits.public_requests_per_minute;
  app->pipeline_ = std::make_unique<http::Pipeline>(s, http::BuildRoutes(s));
  return app;
}

http::Pipeline& App::pipeline() { return *pipeline_; }

std::string App::PublicUrl() const {
  if (!config_.public_url.empty()) return config_.public_url;
  return "http://" + config_.listen;
}

core::Status App::MailSupervisors(domain::UnitOfWork& uow, const domain::support::Alert& alert) {
  const int minutes = std::max(1, config_.alerts.ack_deadline_seconds / 60);
  std::string after;
  for (;;) {
    SC_ASSIGN_OR_RETURN(auto users, uow.users().List(after, 500));
    for (const auto& u : users) {
      if (u.disabled || u.role != "supervisor") continue;
      SC_ASSIGN_OR_RETURN(std::string email,
                          keys_->Open(uow, u.id, {"users", "email", u.id}, u.email_sealed));
      domain::mail::MailRequest m;
      m.template_key = "mail.alert_escalation";
      m.language = "en";
      m.recipient = email;
      m.subject_id = u.id;
      m.params = {{"reference", alert.reference},
                  {"minutes", std::to_string(minutes)},
                  {"link", PublicUrl() + "/cases/" + alert.case_id}};
      auto queued = mail_->Enqueue(uow, m);
      if (!queued) return std::move(queued).error();
    }
    if (users.size() < 500) break;
    after = users.back().id;
  }
  if (jobs_) jobs_->Nudge();  // deliver now rather than at the next tick
  return core::Ok();
}

core::Status App::StartLive() {
  if (live_started_) return core::Ok();
  SC_RETURN_IF_ERROR(events_->Start());
  // The saved index when it is current, else a build in the background: every other route
  // serves at once, the matching routes answer 503 until the index is in service.
  matches_->Start();
  jobs_ = std::make_unique<JobRunner>();
  jobs_->Add("alert-escalation", std::chrono::seconds(config_.alerts.job_interval_seconds),
             [this]() -> core::Status {
               auto n = alerts_->EscalateOverdue(escalation_hook_);
               if (!n) return std::move(n).error();
               if (*n > 0) core::log::warn("escalated {} unacknowledged urgent alert(s)", *n);
               return core::Ok();
             });
  jobs_->Add("task-reminders", std::chrono::seconds(30), [this]() -> core::Status {
    auto n = cases_->RemindDueTasks(std::chrono::minutes(15));
    if (!n) return std::move(n).error();
    return core::Ok();
  });
  jobs_->Add("directory-reminders",
             std::chrono::seconds(config_.directory.reminder_interval_seconds),
             [this]() -> core::Status {
               auto n = notices_->SendDue();
               if (!n) return std::move(n).error();
               if (n->checkins + n->reminders > 0) {
                 core::log::info("queued {} openings check-in(s) and {} reminder(s) to providers",
                                 n->checkins, n->reminders);
               }
               return core::Ok();
             });
  if (!config_.mail.smtp_url.empty()) {
    mail::SmtpOptions smtp;
    smtp.url = config_.mail.smtp_url;
    smtp.starttls = config_.mail.starttls;
    smtp.username = config_.mail.username;
    smtp.password = config_.mail.password;
    SC_ASSIGN_OR_RETURN(smtp_, mail::SmtpSender::Create(smtp));
    mail::DeliveryOptions delivery;
    delivery.from = config_.mail.from;
    delivery.max_attempts = config_.mail.max_attempts;
    SC_ASSIGN_OR_RETURN(delivery_,
                        mail::MailDelivery::Create(*runner_, *mail_, *smtp_, *clock_, delivery));
    jobs_->Add("mail-delivery", std::chrono::seconds(2), [this]() -> core::Status {
      for (;;) {
        auto report = delivery_->RunOnce(clock_->Now());
        if (!report) return std::move(report).error();
        if (report->claimed < delivery_->batch_size()) return core::Ok();
      }
    });
  } else {
    core::log::warn(
        "mail.smtp_url is not set: mail (status links, escalations) is queued but not sent");
  }
  jobs_->Start();
  // Other nodes' commits arrive as NOTIFY (PostgreSQL); SQLite has no other writers.
  SC_ASSIGN_OR_RETURN(listener_,
                      db_->Listen(storage::kEventsChannel, [hub = events_.get()] { hub->Poke(); }));
  live_started_ = true;
  return core::Ok();
}

core::Status App::Migrate() {
  return storage::Migrate(*db_, storage::EmbeddedMigrations(db_->dialect()));
}

core::Status App::Ready() {
  SC_RETURN_IF_ERROR(db_->Ping());
  SC_ASSIGN_OR_RETURN(
      auto status, storage::GetMigrationStatus(*db_, storage::EmbeddedMigrations(db_->dialect())));
  if (status.current != status.latest) return Error::Unavailable("migrations pending");
  if (live_started_ && !matches_->ready()) return Error::Unavailable("matching index building");
  return core::Ok();
}

core::Status App::Serve(const std::function<void(const std::string&)>& on_listening) {
  SC_ASSIGN_OR_RETURN(auto hp, config::ParseListen(config_.listen));
  http::ServerOptions o;
  o.host = hp.first;
  o.port = hp.second;
  o.threads =
      config_.threads > 0 ? config_.threads : std::max(1u, std::thread::hardware_concurrency());
  o.max_header_bytes = config_.limits.max_header_bytes;
  o.max_body_bytes = config_.limits.max_body_bytes;
  o.max_upload_bytes = config_.limits.max_upload_bytes;
  o.max_connections = config_.limits.max_connections;
  o.read_timeout_seconds = config_.limits.read_timeout_seconds;
  o.idle_timeout_seconds = config_.limits.idle_timeout_seconds;
  o.shutdown_grace_seconds = config_.limits.shutdown_grace_seconds;
  if (o.port == 0 && config_.public_url.empty()) {
    // Links in mail are built from public_url, else from the listen address: with port 0
    // they would name port 0, since the services are composed before the port is known.
    core::log::warn("listening on port 0 without public_url: links in mail will not work");
  }
  SC_RETURN_IF_ERROR(StartLive());
  http::Server server(*pipeline_, o, metrics_.get());
  SC_RETURN_IF_ERROR(server.Listen());
  std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  on_listening("http://" + host + ":" + std::to_string(server.port()));
  server.Run();
  core::log::info("stopped");
  return core::Ok();
}

}  // namespace soundcheck::app
