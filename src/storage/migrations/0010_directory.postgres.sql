-- The provider directory: HSDS 3.1 records in tabular form (docs/adr/0008).
-- One row per HSDS object; `fields` is the object's own fields as JSON text (kept as text:
-- it is read back whole, never queried inside). The keys between records are in
-- hsds_links, so children are found by index whatever their type.
CREATE TABLE hsds_records (
  resource TEXT NOT NULL,
  id TEXT NOT NULL,
  fields TEXT NOT NULL,
  modified_at BIGINT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0,
  search_text TEXT NOT NULL DEFAULT '',
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  PRIMARY KEY (resource, id)
);
CREATE INDEX hsds_records_modified ON hsds_records (resource, modified_at);
CREATE INDEX hsds_records_postcode ON hsds_records (search_text) WHERE resource = 'address';
CREATE INDEX hsds_records_position ON hsds_records (latitude, longitude)
  WHERE resource = 'location' AND latitude IS NOT NULL;

CREATE TABLE hsds_links (
  resource TEXT NOT NULL,
  id TEXT NOT NULL,
  field TEXT NOT NULL,
  target_resource TEXT NOT NULL,
  target_id TEXT NOT NULL,
  PRIMARY KEY (resource, id, field)
);
CREATE INDEX hsds_links_target ON hsds_links (target_id, resource, field);
