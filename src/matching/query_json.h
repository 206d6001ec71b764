// The wire form of a match query and its answer (docs/matching.md), shared by the HTTP
// handlers and the scenario runner so both read a query the same way.
#pragma once

#include <boost/json/object.hpp>

#include "core/json_body.h"
#include "core/json_writer.h"
#include "core/result.h"
#include "matching/query.h"

namespace soundcheck::matching {

// Reads the fields of a query from `body` into `query`, leaving what is absent as it was
// (so a case's facts can be filled in first and the request overrides them). Records
// problems in `body`; the caller's body.Finish() reports them (400 for types and unknown
// fields). Rules between fields are ValidateQuery's (422).
void DecodeQuery(core::JsonBody& body, Query& query);

// The query in the same wire form DecodeQuery reads (DecodeQuery(EncodeQuery(q)) == q for
// every field the wire carries), so a client can show and edit what was asked.
boost::json::object EncodeQuery(const Query& query);

// The answer's wire form (OpenAPI MatchAnswer): one object with `items` (each match with its
// reasons, cost and dates), `eligible`, `relaxations` and `snapshot_version`, written
// straight into `out` with no document in between (an answer is written once and sent).
void WriteAnswer(core::JsonWriter& out, const MatchAnswer& answer);
// The same members without the enclosing braces, for a caller that adds its own members to
// the object (the case matches route adds "query").
void WriteAnswerMembers(core::JsonWriter& out, const MatchAnswer& answer);
// One item of `items`, and its `cost`.
void WriteMatch(core::JsonWriter& out, const Match& match);
void WriteCost(core::JsonWriter& out, const domain::coverage::ExplainedCost& cost);

// WriteAnswer's text read back as a boost::json object, for callers that inspect the answer
// rather than send it (tests). Derived from WriteAnswer, so the two forms cannot differ.
boost::json::object EncodeAnswer(const MatchAnswer& answer);

}  // namespace soundcheck::matching
