// The wire form of a match query and its answer (docs/matching.md), shared by the HTTP
// handlers and the scenario runner so both read a query the same way.
#pragma once

#include <boost/json/object.hpp>

#include "core/json_body.h"
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

// `sp`: where the JSON's memory comes from (a monotonic resource per request saves most of
// an answer's allocations); default: the heap.
boost::json::object EncodeMatch(const Match& match, boost::json::storage_ptr sp = {});
boost::json::object EncodeAnswer(const MatchAnswer& answer, boost::json::storage_ptr sp = {});
boost::json::object EncodeCost(const domain::coverage::ExplainedCost& cost,
                               boost::json::storage_ptr sp = {});

}  // namespace soundcheck::matching
