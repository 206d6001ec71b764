// The directory's unit of exchange: one HSDS 3.1 object in tabular form.
//
// HSDS defines every object twice: nested (an API response, a service with its phones and
// locations inside it) and tabular (one CSV per table, children pointing at parents by
// foreign key). Soundcheck stores, validates, diffs and streams the tabular form; nesting
// is a view assembled for the HSDS API and the JSON/NDJSON export (docs/adr/0008).
#pragma once

#include <functional>
#include <string>

#include <boost/json.hpp>

#include "core/result.h"

namespace soundcheck::domain::directory {

// One HSDS object with only its own scalar fields: no nested arrays or objects, and every
// foreign key filled in (a phone nested under a service gets `service_id`). Fields HSDS does
// not define are kept as they came (HSDS allows extension fields).
struct Record {
  std::string resource;        // the HSDS object name, e.g. "service", "service_at_location"
  std::string id;              // the object's UUID, lower case
  boost::json::object fields;  // includes "id"

  friend bool operator==(const Record&, const Record&) = default;
};

// Receives records one at a time, so a million-provider directory never has to sit in
// memory. Returning an error stops the producer, which returns that error.
using RecordSink = std::function<core::Status(Record record)>;

}  // namespace soundcheck::domain::directory
