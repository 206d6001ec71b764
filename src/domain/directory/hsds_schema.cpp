#include "domain/directory/hsds_schema.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace soundcheck::domain::directory {

namespace json = boost::json;
using core::Error;

void IssueList::Add(Issue issue) {
  ++total_;
  if (issues_.size() < limit_) issues_.push_back(std::move(issue));
}

const FieldSpec* ResourceSpec::Field(std::string_view field) const {
  for (const auto& f : fields) {
    if (f.name == field) return &f;
  }
  return nullptr;
}

const NestedSpec* ResourceSpec::Nested(std::string_view field) const {
  for (const auto& n : nested) {
    if (n.name == field) return &n;
  }
  return nullptr;
}

namespace {

std::string Stem(std::string_view file) {
  auto dot = file.rfind('.');
  return std::string(file.substr(0, dot));
}

FieldType TypeOf(const json::object& property) {
  const auto* type = property.if_contains("type");
  if (type == nullptr || !type->is_string()) return FieldType::kAny;
  const auto& t = type->get_string();
  if (t == "string") return FieldType::kString;
  if (t == "number" || t == "integer") return FieldType::kNumber;
  if (t == "boolean") return FieldType::kBoolean;
  if (t == "array") return FieldType::kArray;
  if (t == "object") return FieldType::kObject;
  return FieldType::kAny;
}

const char* TypeName(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "a string";
    case FieldType::kNumber:
      return "a number";
    case FieldType::kBoolean:
      return "true or false";
    case FieldType::kArray:
      return "an array";
    case FieldType::kObject:
      return "an object";
    case FieldType::kAny:
      break;
  }
  return "a value";
}

bool HasType(const json::value& v, FieldType type) {
  switch (type) {
    case FieldType::kString:
      return v.is_string();
    case FieldType::kNumber:
      return v.is_number();
    case FieldType::kBoolean:
      return v.is_bool();
    case FieldType::kArray:
      return v.is_array();
    case FieldType::kObject:
      return v.is_object();
    case FieldType::kAny:
      return true;
  }
  return true;
}

// JSON pointer escaping (RFC 6901) for a field name that may contain '/' or '~'.
std::string Escape(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// False when `value` holds an infinite or NaN number at any depth.
bool AllFinite(const json::value& value) {
  if (value.is_double()) return std::isfinite(value.get_double());
  if (value.is_array()) {
    for (const auto& item : value.get_array()) {
      if (!AllFinite(item)) return false;
    }
  }
  if (value.is_object()) {
    for (const auto& [key, item] : value.get_object()) {
      if (!AllFinite(item)) return false;
    }
  }
  return true;
}

std::string IdOf(const json::object& object) {
  const auto* id = object.if_contains("id");
  return id != nullptr && id->is_string() && IsUuid(id->get_string())
             ? std::string(id->get_string())
             : std::string();
}

}  // namespace

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

namespace {

// Hand-written checkers: std::regex recurses once per character in libstdc++, so a
// 30,000-character URL overflowed the stack (found by fuzz_hsds_json). Each accepts what
// ajv-formats accepts for the same keyword, so data we take validates with the official
// tools and vice versa.
bool Digit(char c) { return c >= '0' && c <= '9'; }

bool TwoDigits(std::string_view t, size_t at, int max) {
  if (at + 2 > t.size() || !Digit(t[at]) || !Digit(t[at + 1])) return false;
  return (t[at] - '0') * 10 + (t[at + 1] - '0') <= max;
}

bool IsDate(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3}) {
    if (!Digit(t[i])) return false;
  }
  if (!TwoDigits(t, 5, 12) || !TwoDigits(t, 8, 31)) return false;
  return !(t[5] == '0' && t[6] == '0') && !(t[8] == '0' && t[9] == '0');
}

// HH:MM:SS[.frac][zone], zone optional when `zone_required` is false.
bool IsTime(std::string_view t, bool zone_required) {
  if (t.size() < 8 || t[2] != ':' || t[5] != ':' || !TwoDigits(t, 0, 23) || !TwoDigits(t, 3, 59) ||
      !TwoDigits(t, 6, 60)) {
    return false;
  }
  size_t at = 8;
  if (at < t.size() && t[at] == '.') {
    const size_t start = ++at;
    while (at < t.size() && Digit(t[at])) ++at;
    if (at == start) return false;
  }
  if (at == t.size()) return !zone_required;
  if (t[at] == 'Z' || t[at] == 'z') return at + 1 == t.size();
  if (t[at] != '+' && t[at] != '-') return false;
  std::string_view zone = t.substr(at + 1);
  if (zone.size() == 5 && zone[2] == ':') return TwoDigits(zone, 0, 23) && TwoDigits(zone, 3, 59);
  if (zone.size() == 4) return TwoDigits(zone, 0, 23) && TwoDigits(zone, 2, 59);
  return false;
}

bool IsDateTime(std::string_view t) {
  if (t.size() < 19 || (t[10] != 'T' && t[10] != 't' && t[10] != ' ')) return false;
  return IsDate(t.substr(0, 10)) && IsTime(t.substr(11), true);
}

bool IsUri(std::string_view t) {
  const size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(t[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    const char c = t[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '.' && c != '-') {
      return false;
    }
  }
  for (size_t i = colon + 1; i < t.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    if (std::isspace(c) || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
        c == '{' || c == '|' || c == '}') {
      return false;
    }
  }
  return true;
}

bool IsEmail(std::string_view t) {
  const size_t at = t.find('@');
  if (at == std::string_view::npos || at == 0 || t.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (char c : t) {
    if (std::isspace(static_cast<unsigned char>(c))) return false;
  }
  const std::string_view domain = t.substr(at + 1);
  const size_t dot = domain.rfind('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
}

}  // namespace

bool MatchesFormat(std::string_view format, std::string_view text) {
  if (format == "uuid") return IsUuid(text);
  if (format == "date-time") return IsDateTime(text);
  if (format == "date") return IsDate(text);
  if (format == "time") return IsTime(text, false);
  if (format == "uri") return IsUri(text);
  if (format == "email") return IsEmail(text);
  return true;
}

core::Result<HsdsSchema> HsdsSchema::Load(const std::map<std::string, std::string>& schemas,
                                          std::string_view datapackage) {
  HsdsSchema schema;
  for (const auto& [file, text] : schemas) {
    boost::system::error_code ec;
    json::value doc = json::parse(text, ec);
    if (ec || !doc.is_object())
      return Error::InvalidArgument("HSDS schema " + file + " is not JSON");
    const auto& root = doc.get_object();
    const auto* properties = root.if_contains("properties");
    if (properties == nullptr || !properties->is_object()) {
      return Error::InvalidArgument("HSDS schema " + file + " has no properties");
    }
    ResourceSpec spec;
    spec.name = Stem(file);
    spec.table = spec.name;
    for (const auto& [key, value] : properties->get_object()) {
      if (!value.is_object()) continue;
      const auto& property = value.get_object();
      std::string ref;
      bool is_array = false;
      if (const auto* r = property.if_contains("$ref"); r != nullptr && r->is_string()) {
        ref = r->get_string();
      } else if (const auto* items = property.if_contains("items");
                 items != nullptr && items->is_object()) {
        if (const auto* r2 = items->get_object().if_contains("$ref");
            r2 != nullptr && r2->is_string()) {
          ref = r2->get_string();
          is_array = true;
        }
      }
      if (!ref.empty()) {
        if (!schemas.count(ref)) {
          return Error::InvalidArgument("HSDS schema " + file + " refers to missing " + ref);
        }
        spec.nested.push_back({std::string(key), Stem(ref), is_array});
        continue;
      }
      FieldSpec field;
      field.name = key;
      field.type = TypeOf(property);
      if (const auto* f = property.if_contains("format"); f != nullptr && f->is_string()) {
        field.format = f->get_string();
      }
      if (const auto* e = property.if_contains("enum"); e != nullptr && e->is_array()) {
        for (const auto& option : e->get_array()) {
          if (option.is_string()) field.one_of.emplace_back(option.get_string());
        }
      }
      spec.fields.push_back(std::move(field));
    }
    for (const char* list : {"required", "tabular_required"}) {
      if (const auto* r = root.if_contains(list); r != nullptr && r->is_array()) {
        auto& out = std::string_view(list) == "required" ? spec.required : spec.tabular_required;
        for (const auto& name : r->get_array()) {
          if (name.is_string()) out.emplace_back(name.get_string());
        }
      }
    }
    schema.resources_.push_back(std::move(spec));
  }

  boost::system::error_code ec;
  json::value package = json::parse(datapackage, ec);
  if (ec || !package.is_object() || !package.get_object().contains("resources") ||
      !package.at("resources").is_array()) {
    return Error::InvalidArgument("HSDS datapackage.json is not a data package");
  }
  for (const auto& resource : package.at("resources").get_array()) {
    if (!resource.is_object()) continue;
    const auto& r = resource.get_object();
    const auto* name = r.if_contains("name");
    const auto* path = r.if_contains("path");
    if (name == nullptr || !name->is_string()) continue;
    auto it = std::find_if(schema.resources_.begin(), schema.resources_.end(),
                           [&](const ResourceSpec& s) { return s.name == name->get_string(); });
    if (it == schema.resources_.end()) {
      return Error::InvalidArgument("HSDS datapackage.json names " +
                                    std::string(name->get_string()) + ", which has no schema");
    }
    if (path != nullptr && path->is_string()) it->table = Stem(path->get_string());
    const auto* s = r.if_contains("schema");
    if (s == nullptr || !s->is_object()) continue;
    const auto* keys = s->get_object().if_contains("foreignKeys");
    if (keys == nullptr || !keys->is_array()) continue;
    for (const auto& key : keys->get_array()) {
      const auto* fields = key.is_object() ? key.get_object().if_contains("fields") : nullptr;
      const auto* reference = key.is_object() ? key.get_object().if_contains("reference") : nullptr;
      if (fields == nullptr || !fields->is_string() || reference == nullptr ||
          !reference->is_object()) {
        continue;
      }
      const auto* target = reference->get_object().if_contains("resource");
      if (target == nullptr || !target->is_string()) continue;
      it->foreign_keys.push_back(
          {std::string(fields->get_string()), std::string(target->get_string())});
    }
  }
  // Stable order (schema file names), so exports and reports do not depend on map order.
  std::sort(schema.resources_.begin(), schema.resources_.end(),
            [](const ResourceSpec& a, const ResourceSpec& b) { return a.name < b.name; });
  return schema;
}

const ResourceSpec* HsdsSchema::Find(std::string_view resource) const {
  for (const auto& r : resources_) {
    if (r.name == resource) return &r;
  }
  return nullptr;
}

const ResourceSpec* HsdsSchema::FindByTable(std::string_view table) const {
  for (const auto& r : resources_) {
    if (r.table == table) return &r;
  }
  return nullptr;
}

void HsdsSchema::Validate(std::string_view resource, const json::value& value,
                          const std::string& where, IssueList& issues) const {
  const ResourceSpec* spec = Find(resource);
  if (spec == nullptr) {
    issues.Add({where, std::string(resource), "", "", "is not an HSDS object type"});
    return;
  }
  if (!value.is_object()) {
    issues.Add({where, spec->name, "", "", "must be an object"});
    return;
  }
  const auto& object = value.get_object();
  ValidateObject(*spec, object, where, /*flat=*/false, issues);
}

void HsdsSchema::CoerceNumbersToStrings(std::string_view resource, json::value& value) const {
  const ResourceSpec* spec = Find(resource);
  if (spec == nullptr || !value.is_object()) return;
  for (auto& [key, item] : value.get_object()) {
    if (const FieldSpec* field = spec->Field(key)) {
      if (field->type == FieldType::kString && (item.is_int64() || item.is_uint64())) {
        item = json::string(json::serialize(item));
      }
      continue;
    }
    const NestedSpec* nested = spec->Nested(key);
    if (nested == nullptr) continue;
    if (nested->is_array && item.is_array()) {
      for (auto& child : item.get_array()) CoerceNumbersToStrings(nested->resource, child);
    } else if (!nested->is_array) {
      CoerceNumbersToStrings(nested->resource, item);
    }
  }
}

void HsdsSchema::ValidateFlat(std::string_view resource, const json::object& record,
                              const std::string& where, IssueList& issues) const {
  const ResourceSpec* spec = Find(resource);
  if (spec == nullptr) {
    issues.Add({where, std::string(resource), "", "", "is not an HSDS object type"});
    return;
  }
  ValidateObject(*spec, record, where, /*flat=*/true, issues);
}

void HsdsSchema::ValidateObject(const ResourceSpec& spec, const json::object& object,
                                const std::string& where, bool flat, IssueList& issues) const {
  // Every nested object is a record of its own, so an issue names that record (its type
  // and id) and the field within it; `where` says where the object sits in the document.
  const std::string id = IdOf(object);
  auto add = [&](const std::string& field, std::string message) {
    issues.Add({where, spec.name, id, field, std::move(message)});
  };
  auto require = [&](const std::string& name) {
    const auto* v = object.if_contains(name);
    if (v == nullptr || v->is_null() || (v->is_string() && v->get_string().empty())) {
      add("/" + Escape(name), "is required");
    }
  };
  for (const auto& name : spec.required) {
    // A required embedded object (a capacity's unit) cannot be present in tabular form,
    // where only its key is; the official validators drop it there too.
    const NestedSpec* nested = flat ? spec.Nested(name) : nullptr;
    if (nested == nullptr) require(name);
  }
  // `tabular_required` (e.g. service.organization_id) is not enforced: data that arrived
  // in nested form, valid under the same schemas, often lacks those keys (a service inside
  // an HSDS API page has no organization), and refusing it in one form but not the other
  // would make export and re-import disagree. docs/directory.md says so.
  for (const auto& [key, value] : object) {
    const std::string pointer = "/" + Escape(key);
    // 1e999 parses as infinity, which no JSON writer can write back: refused everywhere,
    // extension fields included (found by fuzz_hsds_json).
    if (spec.Nested(key) == nullptr && !AllFinite(value)) {
      add(pointer, "must be a finite number");
      continue;
    }
    if (const FieldSpec* field = spec.Field(key)) {
      if (value.is_null()) continue;  // absent and null mean the same in HSDS data
      if (!HasType(value, field->type)) {
        add(pointer, std::string("must be ") + TypeName(field->type));
        continue;
      }
      if (!value.is_string()) continue;
      const std::string_view text = value.get_string();
      if (!field->one_of.empty() &&
          std::find(field->one_of.begin(), field->one_of.end(), text) == field->one_of.end()) {
        std::string allowed;
        for (const auto& o : field->one_of) allowed += (allowed.empty() ? "" : ", ") + o;
        add(pointer, "must be one of: " + allowed);
      } else if (!field->format.empty() && !MatchesFormat(field->format, text)) {
        add(pointer, "must be a valid " + field->format);
      }
      continue;
    }
    const NestedSpec* nested = spec.Nested(key);
    if (nested == nullptr || value.is_null()) continue;  // an extension field: HSDS allows it
    if (flat) {
      add(pointer, "must not hold nested objects in tabular form");
      continue;
    }
    const ResourceSpec* child = Find(nested->resource);
    if (child == nullptr) continue;
    auto visit = [&](const json::value& item, const std::string& path) {
      if (!item.is_object()) {
        add(path, "must be an object");
        return;
      }
      ValidateObject(*child, item.get_object(), where + path, false, issues);
    };
    if (nested->is_array) {
      if (!value.is_array()) {
        add(pointer, "must be an array");
        continue;
      }
      const auto& items = value.get_array();
      for (size_t i = 0; i < items.size(); ++i) visit(items[i], pointer + "/" + std::to_string(i));
    } else {
      visit(value, pointer);
    }
  }
}

}  // namespace soundcheck::domain::directory
