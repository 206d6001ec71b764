#include "domain/directory/hsds_schema.h"

#include <algorithm>
#include <cctype>
#include <regex>

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

bool MatchesFormat(std::string_view format, std::string_view text) {
  // The patterns follow what ajv-formats accepts for the same keyword, so data we accept
  // validates with the official tools and vice versa.
  static const std::regex kDateTime(
      R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)$)");
  static const std::regex kDate(R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$)");
  static const std::regex kTime(
      R"(^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)?$)");
  static const std::regex kUri(R"(^[A-Za-z][A-Za-z0-9+.\-]*:[^\s"<>\\^`{|}]*$)");
  static const std::regex kEmail(R"(^[^\s@]+@[^\s@]+\.[^\s@]+$)");
  const std::string s(text);
  if (format == "uuid") return IsUuid(text);
  if (format == "date-time") return std::regex_match(s, kDateTime);
  if (format == "date") return std::regex_match(s, kDate);
  if (format == "time") return std::regex_match(s, kTime);
  if (format == "uri") return std::regex_match(s, kUri);
  if (format == "email") return std::regex_match(s, kEmail);
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
