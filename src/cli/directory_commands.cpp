// `soundcheck import hsds`, `soundcheck export hsds` and `soundcheck demo generate`: the
// provider directory's command-line tools (docs/directory.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "app/app.h"
#include "cli/commands.h"
#include "core/time_zone.h"
#include "domain/directory/hsds_codec.h"
#include "domain/directory/synthetic.h"
#include "domain/directory/vocabulary.h"

namespace soundcheck::cli {
namespace {

namespace fs = std::filesystem;
namespace dir = domain::directory;
using core::Error;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string Megabytes(uint64_t bytes) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buffer;
}

// Progress on stderr: rewritten in place on a terminal, a line every few seconds otherwise
// (CI logs), and never more often than needed.
class ProgressLine {
 public:
  explicit ProgressLine(std::string what) : what_(std::move(what)), tty_(isatty(2) != 0) {}
  void Update(const dir::ImportProgress& p) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < (tty_ ? std::chrono::milliseconds(200) : std::chrono::seconds(5))) return;
    last_ = now;
    shown_ = true;
    std::string line = what_ + ": " + std::to_string(p.records) + " records";
    if (p.bytes_total > 0) {
      const int percent = static_cast<int>(100.0 * static_cast<double>(p.bytes_read) /
                                           static_cast<double>(p.bytes_total));
      line += ", " + std::to_string(std::min(percent, 100)) + "% of " + Megabytes(p.bytes_total);
    }
    std::cerr << (tty_ ? "\r" : "") << line << (tty_ ? "" : "\n") << std::flush;
  }
  void Done() {
    if (shown_ && tty_) std::cerr << "\n";
  }

 private:
  std::string what_;
  bool tty_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

void PrintIssue(const dir::Issue& i) {
  std::cerr << "  " << i.where << ": ";
  if (!i.resource.empty()) std::cerr << i.resource << " ";
  if (!i.record_id.empty()) std::cerr << i.record_id << " ";
  if (!i.field.empty()) std::cerr << i.field << " ";
  std::cerr << i.message << "\n";
}

core::Result<dir::DataFormat> ParseFormat(const std::string& text, bool allow_auto) {
  if (text == "json") return dir::DataFormat::kJson;
  if (text == "ndjson") return dir::DataFormat::kNdjson;
  if (text == "csv") return dir::DataFormat::kCsv;
  if (allow_auto && (text.empty() || text == "auto")) return dir::DataFormat::kAuto;
  return Error::InvalidArgument("--format must be json, ndjson or csv");
}

// What `import hsds PATH` reads: a folder is a CSV data package, a file is JSON or NDJSON.
core::Result<dir::ImportSource> SourceFor(const std::string& path_text, dir::DataFormat format,
                                          const std::string& type) {
  const fs::path path(path_text);
  std::error_code ec;
  dir::ImportSource source;
  source.format = format;
  source.resource = type;
  source.name = path.filename().string();
  if (fs::is_directory(path, ec)) {
    if (!fs::exists(path / "datapackage.json")) {
      return Error::InvalidArgument(path_text +
                                    " is a folder without datapackage.json; a CSV import needs "
                                    "the HSDS data package descriptor beside the tables");
    }
    source.format = dir::DataFormat::kCsv;
    uint64_t total = 0;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.path().extension() == ".csv") total += entry.file_size(ec);
    }
    source.total_bytes = total;
    source.open_table = [path](const std::string& table) -> std::unique_ptr<std::istream> {
      auto file = path / (table + ".csv");
      if (!fs::exists(file)) return nullptr;
      return std::make_unique<std::ifstream>(file, std::ios::binary);
    };
    return source;
  }
  if (!fs::is_regular_file(path, ec)) return Error::InvalidArgument("cannot read " + path_text);
  if (source.resource.empty()) source.resource = dir::ResourceFromFileName(source.name);
  source.total_bytes = fs::file_size(path, ec);
  source.open = [path]() -> std::unique_ptr<std::istream> {
    auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*in) return nullptr;
    return in;
  };
  return source;
}

}  // namespace

void Commands::RegisterDirectory(CLI::App& cli, const OpenApp& open, const RunBody& run) {
  // --- import hsds -------------------------------------------------------------------
  auto* import = cli.add_subcommand("import", "Import data");
  import->require_subcommand(1);
  auto* hsds_in = import->add_subcommand(
      "hsds",
      "Import an HSDS 3.1 directory: a JSON file, an NDJSON file, or a folder of CSV tables "
      "with datapackage.json. All or nothing; importing the same data again changes nothing.");
  AddConfigFlags(hsds_in);
  hsds_in->add_option("path", file_, "File or CSV folder")->required();
  hsds_in->add_option("--type", type_,
                      "HSDS type of the objects when the file does not say (service, "
                      "organization, service_at_location, location, taxonomy, taxonomy_term)");
  hsds_in->add_option("--format", format_, "json, ndjson or csv (default: from the path)");
  hsds_in->add_flag("--strict", strict_,
                    "Refuse keys that point at records neither in the data nor stored");
  hsds_in->add_flag("--dry-run", dry_run_, "Validate and count; write nothing");
  hsds_in->callback(run([this, open]() -> core::Status {
    SC_ASSIGN_OR_RETURN(auto format, ParseFormat(format_, true));
    SC_ASSIGN_OR_RETURN(auto source, SourceFor(file_, format, type_));
    SC_ASSIGN_OR_RETURN(auto app, open({}));
    ProgressLine progress("import " + source.name);
    dir::ImportOptions options;
    options.strict_references = strict_;
    options.dry_run = dry_run_;
    options.progress = [&](const dir::ImportProgress& p) { progress.Update(p); };
    const auto started = std::chrono::steady_clock::now();
    SC_ASSIGN_OR_RETURN(auto report, app->directory().Import(source, options));
    progress.Done();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!report.issues.empty()) {
      std::cerr << "soundcheck: " << source.name << ": " << report.issues.total()
                << " problem(s); nothing was imported:\n";
      for (const auto& i : report.issues.issues()) PrintIssue(i);
      if (report.issues.total() > report.issues.issues().size()) {
        std::cerr << "  … and " << report.issues.total() - report.issues.issues().size()
                  << " more\n";
      }
      return Error::Unprocessable("import refused")
          .WithDetail("the data has problems; fix them and import again");
    }
    std::cout << (report.imported ? "imported " : "dry run: would import ") << report.records
              << " records from " << source.name;
    char rate[64];
    std::snprintf(rate, sizeof rate, " in %.1f s (%.0f records/s)\n", seconds,
                  seconds > 0 ? static_cast<double>(report.records) / seconds : 0.0);
    std::cout << rate;
    for (const auto& [type, c] : report.counts) {
      std::cout << "  " << type << ": " << c.added << " added, " << c.updated << " updated, "
                << c.unchanged << " unchanged\n";
    }
    if (report.held > 0) {
      std::cout << "  " << report.held
                << " listing(s) kept paused or removed, as their provider or staff set them\n";
    }
    if (report.dangling_total > 0) {
      std::cout << "warning: " << report.dangling_total << (report.dangling_total >= 200 ? "+" : "")
                << " key(s) point at records that are not in the directory:\n";
      int shown = 0;
      for (const auto& d : report.dangling) {
        if (++shown > 20) break;
        std::cout << "  " << d.resource << " " << d.id << " /" << d.field << " → "
                  << d.target_resource << " " << d.target_id << "\n";
      }
    }
    return core::Ok();
  }));

  // --- directory link-provider --------------------------------------------------------
  auto* directory_cmd = cli.add_subcommand("directory", "Directory upkeep");
  directory_cmd->require_subcommand(1);
  auto* link = directory_cmd->add_subcommand(
      "link-provider",
      "Let a provider account speak for an organization of the directory (its listings "
      "appear in the provider portal and get the weekly check-in mail)");
  AddConfigFlags(link);
  link->add_option("--email", email_, "The provider account's email")->required();
  link->add_option("--organization", organization_, "The organization's id")->required();
  link->callback(run([this, open]() -> core::Status {
    SC_ASSIGN_OR_RETURN(auto app, open({}));
    SC_ASSIGN_OR_RETURN(std::string user_id, app->accounts().UserIdByEmailAsSystem(email_));
    domain::accounts::Caller system{{"system", domain::accounts::Role::kAdmin}, "cli"};
    SC_ASSIGN_OR_RETURN(auto linked,
                        app->directory_editor().LinkProvider(system, user_id, organization_));
    std::cout << "linked provider account " << user_id << " to organization "
              << linked.organization_id << "\n";
    return core::Ok();
  }));

  // --- export hsds -------------------------------------------------------------------
  auto* export_cmd = cli.add_subcommand("export", "Export data");
  export_cmd->require_subcommand(1);
  auto* hsds_out = export_cmd->add_subcommand(
      "hsds",
      "Export the directory as HSDS 3.1 (json: one array per type; ndjson: one full "
      "service per line; csv: a data package folder)");
  AddConfigFlags(hsds_out);
  hsds_out->add_option("--format", format_, "json, ndjson or csv")->required();
  hsds_out->add_option("--out", out_,
                       "Output file (json, ndjson; default stdout) or folder (csv, required)");
  hsds_out->callback(run([this, open]() -> core::Status {
    SC_ASSIGN_OR_RETURN(auto format, ParseFormat(format_, false));
    if (format == dir::DataFormat::kCsv && out_.empty()) {
      return Error::InvalidArgument("a CSV export needs --out FOLDER");
    }
    SC_ASSIGN_OR_RETURN(auto app, open({}));
    std::map<std::string, std::unique_ptr<std::ofstream>> files;
    std::vector<std::pair<fs::path, fs::path>> renames;  // temp → final, done at the end
    std::error_code ec;
    if (format == dir::DataFormat::kCsv) fs::create_directories(out_, ec);
    auto target = [&](const std::string& name) -> std::ostream* {
      if (out_.empty()) return &std::cout;
      fs::path final_path =
          format == dir::DataFormat::kCsv ? fs::path(out_) / name : fs::path(out_);
      // Written beside the final name and renamed when complete, so a failed export never
      // leaves a half file where a good one was.
      fs::path temp = final_path;
      temp += ".partial";
      auto stream = std::make_unique<std::ofstream>(temp, std::ios::binary | std::ios::trunc);
      if (!*stream) return nullptr;
      renames.emplace_back(temp, final_path);
      auto* raw = stream.get();
      files[name] = std::move(stream);
      return raw;
    };
    SC_ASSIGN_OR_RETURN(auto report, app->directory().Export(format, target));
    for (auto& [name, stream] : files) {
      stream->close();
      if (!*stream) return Error::Unavailable("cannot write " + name + " (disk full?)");
    }
    for (const auto& [temp, final_path] : renames) {
      fs::rename(temp, final_path, ec);
      if (ec) return Error::Unavailable("cannot write " + final_path.string());
    }
    if (!out_.empty()) {
      int64_t total = 0;
      for (const auto& [type, n] : report.records) total += n;
      std::cerr << "exported " << total
                << (format == dir::DataFormat::kNdjson ? " services" : " records") << " to " << out_
                << "\n";
    }
    return core::Ok();
  }));
}

void Commands::RegisterDemoGenerate(CLI::App* demo, const RunBody& run) {
  auto* generate = demo->add_subcommand(
      "generate",
      "Write a fictitious HSDS provider directory (CSV data package) for demos and benchmarks");
  generate->add_option("--providers", providers_, "How many providers (default 1500)");
  generate->add_option("--seed", seed_, "Random seed: the same seed gives the same directory");
  generate->add_option("--out", out_, "Output folder")->required();
  generate->add_option("--today", today_,
                       "Date the openings and licence expiries are relative to (YYYY-MM-DD; "
                       "default: today, UTC)");
  generate->callback(run([this]() -> core::Status {
    if (providers_ < 1) return Error::InvalidArgument("--providers must be at least 1");
    std::string today = today_;
    if (today.empty()) {
      SC_ASSIGN_OR_RETURN(
          today, core::UnixToLocal(core::ToUnixSeconds(std::chrono::system_clock::now()), "UTC"));
      today = today.substr(0, 10);
    }
    SC_ASSIGN_OR_RETURN(auto hsds, app::LoadHsdsSchema(app::DataFile("hsds")));
    SC_ASSIGN_OR_RETURN(auto vocabulary, dir::Vocabulary::Parse(
                                             ReadFile(app::DataFile("directory/vocabulary.json"))));
    const std::string zones = ReadFile("/usr/share/zoneinfo/zone1970.tab");
    if (zones.empty()) {
      return Error::Unavailable("cannot read /usr/share/zoneinfo/zone1970.tab (install tzdata)");
    }
    SC_ASSIGN_OR_RETURN(auto cities, dir::ParseZone1970(zones));
    std::error_code ec;
    fs::create_directories(out_, ec);
    if (ec) return Error::Unavailable("cannot create " + out_);

    // One open CSV per table: a provider's records come interleaved by type.
    struct Table {
      std::ofstream out;
      std::vector<std::string> columns;
    };
    std::map<std::string, Table> tables;
    int64_t records = 0;
    const auto started = std::chrono::steady_clock::now();
    auto last = started;
    dir::RecordSink sink = [&](dir::Record record) -> core::Status {
      auto it = tables.find(record.resource);
      if (it == tables.end()) {
        const dir::ResourceSpec* spec = hsds.schema.Find(record.resource);
        if (spec == nullptr) return Error::Internal("generator made an unknown type");
        Table t;
        t.columns = dir::CsvColumns(*spec);
        t.out.open(fs::path(out_) / (spec->table + ".csv"), std::ios::binary | std::ios::trunc);
        if (!t.out) return Error::Unavailable("cannot write " + spec->table + ".csv");
        t.out << dir::CsvLine(t.columns);
        it = tables.emplace(record.resource, std::move(t)).first;
      }
      it->second.out << dir::CsvLine(dir::CsvCells(it->second.columns, record.fields));
      if (++records % 100000 == 0) {
        auto now = std::chrono::steady_clock::now();
        if (now - last > std::chrono::seconds(2)) {
          last = now;
          std::cerr << "generate: " << records << " records\n";
        }
      }
      return core::Ok();
    };
    dir::GeneratorOptions options;
    options.providers = providers_;
    options.seed = seed_;
    options.today = today;
    SC_RETURN_IF_ERROR(dir::GenerateDirectory(options, vocabulary, cities, sink));
    std::vector<std::string> written;
    for (auto& [resource, t] : tables) {
      t.out.close();
      if (!t.out) return Error::Unavailable("cannot write " + resource + " (disk full?)");
      written.push_back(hsds.schema.Find(resource)->table);
    }
    std::ofstream package(fs::path(out_) / "datapackage.json", std::ios::binary | std::ios::trunc);
    package << dir::DataPackageFor(hsds.datapackage, written, hsds.schema) << "\n";
    if (!package) return Error::Unavailable("cannot write datapackage.json");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "generated " << providers_ << " fictitious providers (" << records
              << " HSDS records, seed " << seed_ << ") in " << out_ << " in "
              << static_cast<int64_t>(seconds * 10) / 10.0 << " s\n";
    return core::Ok();
  }));
}

}  // namespace soundcheck::cli
