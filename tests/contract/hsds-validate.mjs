#!/usr/bin/env node
// Validates HSDS 3.1 (Open Referral Human Services Data Specification) data against the
// official per-object JSON Schemas (service.json, organization.json, ... linked by relative
// "$ref"s) and, for the tabular forms, against the Frictionless datapackage.json.
//
// Usage:
//   node hsds-validate.mjs [options] --type TYPE FILE.json...     one object, an array of them,
//                                                                 or an API Page {..., contents}
//   node hsds-validate.mjs [options] --ndjson --type TYPE FILE... one object per line
//   node hsds-validate.mjs [options] --tabular FILE.json...       {"<table>": [flat records]}
//   node hsds-validate.mjs [options] --csv DIR...                 DIR/datapackage.json + CSVs
// Options:
//   --schemas DIR        schema folder (default: <repo>/../shared/hsds/schema)
//   --datapackage FILE   descriptor for --tabular (default: <schemas>/../datapackage.json)
//                        and --csv (default: DIR/datapackage.json)
//   --fk error|warn      dangling foreign keys fail (default) or only warn (--tabular, --csv)
//   --header error|warn  CSV columns that are not fields of the resource in datapackage.json
//                        fail (default) or only warn (--csv)
//   --quiet              print only failures (no summaries, no warnings)
// Exit status: 0 everything valid, 1 something failed validation, 2 bad usage or unreadable
// input (missing file, JSON that does not parse, unusable schema folder or descriptor).
//
// The core is importable: validateHsds(), loadHsdsSchemas(), parseCsv(), formatProblem().

import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** CI clones the repository next to `shared/`, so the schemas sit three levels above this file. */
export const DEFAULT_SCHEMAS_DIR = resolve(HERE, '../../../shared/hsds/schema');

/** Keywords the HSDS schema files carry as pure annotations (ajv's strict mode rejects them otherwise). */
const HSDS_ANNOTATIONS = [
  'name', 'path', 'core', 'constraints', 'example',
  'datapackage_metadata', 'datapackage_type', 'tabular_required',
];
const FORMATS = ['uuid', 'uri', 'email', 'date-time', 'date', 'time'];

/**
 * The HSDS API `Page` wrapper. openapi.json declares the same property types but no `required`
 * list (upstream only made `empty` required in v3.1.1); we require every field to be present.
 */
const PAGE_FIELDS = ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty'];
const PAGE_SCHEMA = {
  $id: 'hsds-validate:page',
  type: 'object',
  required: [...PAGE_FIELDS, 'contents'],
  properties: {
    total_items: { type: 'integer' },
    total_pages: { type: 'integer' },
    page_number: { type: 'integer' },
    size: { type: 'integer' },
    first_page: { type: 'boolean' },
    last_page: { type: 'boolean' },
    empty: { type: 'boolean' },
    contents: { type: 'array' },
  },
};

/** Bad usage or unreadable input: the CLI exits 2 on this, never 1. */
export class InputError extends Error {}

// ---------------------------------------------------------------------------------------------
// Schemas

const schemaSets = new Map(); // absolute dir -> HsdsSchemas, so repeated calls compile once

/** Loads (once per folder) every object schema in `dir` into one strict Ajv2020 instance. */
export function loadHsdsSchemas(dir = DEFAULT_SCHEMAS_DIR) {
  const abs = resolve(dir);
  if (!schemaSets.has(abs)) schemaSets.set(abs, new HsdsSchemas(abs));
  return schemaSets.get(abs);
}

class HsdsSchemas {
  constructor(dir) {
    let files;
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    } catch (e) {
      throw new InputError(`cannot read schema folder ${dir}: ${e.message}`);
    }
    this.dir = dir;
    this.ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(this.ajv, FORMATS);
    this.ajv.addVocabulary(HSDS_ANNOTATIONS);
    this.ajv.addSchema(PAGE_SCHEMA);
    /** @type {Map<string, {schema: object, id: string}>} type (file stem) -> schema */
    this.types = new Map();
    for (const file of files) {
      const full = join(dir, file);
      const schema = readJson(full, 'schema');
      // openapi.json lives in the same folder but is an API description, not an object schema.
      if (!isPlainObject(schema) || 'openapi' in schema || schema.type !== 'object') continue;
      // No $id in the files: give each one its file URL so relative "$ref": "x.json" resolves
      // to the sibling file.
      const id = pathToFileURL(full).href;
      this.types.set(file.slice(0, -'.json'.length), { schema, id });
      this.ajv.addSchema({ ...schema, $id: id });
    }
    if (this.types.size === 0) throw new InputError(`no HSDS object schemas found in ${dir}`);
    this.compiled = new Map();
  }

  has(type) {
    return this.types.has(type);
  }

  /** Type names, i.e. the schema file stems. */
  get typeNames() {
    return [...this.types.keys()];
  }

  /**
   * The compiled validator for `type`. form 'object' is the schema as published (API / nested
   * JSON). form 'tabular' is for flat table rows: a required property that is itself a nested
   * object or array ("$ref" to another table, e.g. service_capacity.unit) cannot appear in a
   * flat row (it lives in its own table and is linked by an *_id column), so it is dropped from
   * `required`; the schema's `tabular_required` fields (e.g. service.organization_id) are added.
   */
  validator(type, form = 'object') {
    const key = `${form}:${type}`;
    if (this.compiled.has(key)) return this.compiled.get(key);
    const entry = this.types.get(type);
    if (!entry) throw new InputError(`unknown HSDS type "${type}" (known: ${this.typeNames.join(', ')})`);
    let validate;
    try {
      if (form === 'object') {
        validate = this.ajv.getSchema(entry.id);
      } else {
        const { schema, id } = entry;
        const nested = (p) => isPlainObject(p) && ('$ref' in p || (p.type === 'array' && isPlainObject(p.items) && '$ref' in p.items));
        const required = (schema.required ?? []).filter((k) => !nested(schema.properties?.[k]));
        // form 'tabular-lenient' leaves tabular_required out: Soundcheck imports data that
        // came in nested form without those keys (docs/directory.md).
        if (form === 'tabular') {
          for (const k of schema.tabular_required ?? []) if (!required.includes(k)) required.push(k);
        }
        // The query string keeps the variant's id distinct while relative "$ref"s still resolve
        // against the schema folder.
        validate = this.ajv.compile({ ...structuredClone(schema), $id: `${id}?${form}`, required });
      }
    } catch (e) {
      throw new InputError(`schema ${type}.json in ${this.dir} does not compile: ${e.message}`);
    }
    this.compiled.set(key, validate);
    return validate;
  }

  /** Validates one record; returns [{pointer, message}] (empty when valid). */
  check(type, record, form = 'object') {
    const validate = this.validator(type, form);
    return validate(record) ? [] : validate.errors.map((e) => describeAjvError(e, record));
  }

  checkPage(doc) {
    const validate = this.ajv.getSchema(PAGE_SCHEMA.$id);
    return validate(doc) ? [] : validate.errors.map((e) => describeAjvError(e, doc));
  }
}

/** Turns an ajv error into a JSON pointer to the failing field plus a readable message. */
function describeAjvError(err, root) {
  let pointer = err.instancePath;
  let message = err.message;
  if (err.keyword === 'required') {
    // ajv points at the parent object; point at the missing field instead.
    pointer += '/' + escapePointerToken(err.params.missingProperty);
    message = 'is required but missing';
  } else {
    if (err.keyword === 'enum') message += ': ' + err.params.allowedValues.map((v) => JSON.stringify(v)).join(', ');
    const value = valueAtPointer(root, pointer);
    if (value === undefined || value === null || typeof value !== 'object') message += ` (got ${preview(value)})`;
  }
  return { pointer, message };
}

// ---------------------------------------------------------------------------------------------
// Reports

/**
 * Everything found for one input. problems: [{severity: 'error'|'warning', input, resource,
 * where, id, pointer, message}]. `where` locates a record (array index, NDJSON line, CSV file and
 * line) and marks it as failed; problems that belong to no record (a CSV header, a Page wrapper,
 * an unknown table) have `at` instead.
 */
export class Report {
  constructor(input) {
    this.input = input;
    this.problems = [];
    this.counts = new Map(); // resource -> {total, failed: Set<where>}
    this.notes = [];
  }

  addRecord(resource) {
    const c = this.counts.get(resource) ?? { total: 0, failed: new Set() };
    c.total += 1;
    this.counts.set(resource, c);
  }

  add(severity, { resource, where, at, id, pointer = '', message }) {
    this.problems.push({ severity, input: this.input, resource, where, at, id, pointer, message });
    if (severity === 'error' && where !== undefined && this.counts.has(resource)) this.counts.get(resource).failed.add(where);
  }

  get errors() {
    return this.problems.filter((p) => p.severity === 'error');
  }

  get warnings() {
    return this.problems.filter((p) => p.severity === 'warning');
  }

  get ok() {
    return this.errors.length === 0;
  }

  /** {resource: {valid, total}} */
  get summaryCounts() {
    const out = {};
    for (const [resource, c] of this.counts) out[resource] = { valid: c.total - c.failed.size, total: c.total };
    return out;
  }

  summary() {
    const parts = Object.entries(this.summaryCounts).map(([r, c]) => `${r} ${c.valid}/${c.total}`);
    const recordLess = this.errors.filter((p) => p.where === undefined).length;
    let line = `${this.ok ? 'OK  ' : 'FAIL'} ${this.input}: ${parts.length ? `${parts.join(', ')} valid` : 'no records'}`;
    if (recordLess) line += `; ${recordLess} error(s) outside records`;
    if (this.warnings.length) line += `; ${this.warnings.length} warning(s)`;
    for (const n of this.notes) line += `; ${n}`;
    return line;
  }
}

/** One line per problem: "ERROR input: resource where id=ID: /json/pointer message". */
export function formatProblem(p) {
  const tag = p.severity === 'error' ? 'ERROR' : 'WARN ';
  const subject = [p.resource, p.where ?? p.at, p.id !== undefined ? `id=${p.id}` : undefined].filter(Boolean).join(' ');
  const field = p.pointer ? `${p.pointer} ` : p.where !== undefined ? '(whole record) ' : '';
  return `  ${tag} ${p.input}: ${subject}: ${field}${p.message}`;
}

// ---------------------------------------------------------------------------------------------
// Entry point for other scripts

/**
 * Validates one input and returns its Report.
 * @param {object} o
 * @param {'json'|'ndjson'|'tabular'|'csv'} [o.mode='json']
 * @param {string} [o.type]          HSDS type (schema file stem) for json / ndjson
 * @param {string} [o.path]          the input file (or folder for csv)
 * @param {*} [o.data]               already-parsed input instead of `path` (json and tabular)
 * @param {string} [o.schemasDir]
 * @param {string} [o.datapackage]   descriptor path (tabular, csv)
 * @param {'error'|'warn'} [o.fk='error']
 * @param {'error'|'warn'} [o.header='error']
 * @throws {InputError} bad usage or unreadable input
 */
export async function validateHsds(o) {
  const { mode = 'json', type, path, data, fk = 'error', header = 'error' } = o;
  const tabularForm = o.tabularRequired === 'ignore' ? 'tabular-lenient' : 'tabular';
  if (!['error', 'ignore', undefined].includes(o.tabularRequired)) {
    throw new InputError(`--tabular-required must be "error" or "ignore", not "${o.tabularRequired}"`);
  }
  if (!['error', 'warn'].includes(fk)) throw new InputError(`--fk must be "error" or "warn", not "${fk}"`);
  if (!['error', 'warn'].includes(header)) throw new InputError(`--header must be "error" or "warn", not "${header}"`);
  if (path === undefined && data === undefined) throw new InputError('nothing to validate (no path and no data)');
  const schemas = loadHsdsSchemas(o.schemasDir ?? DEFAULT_SCHEMAS_DIR);
  schemas.tabularForm = tabularForm;  // one validation at a time per process
  const report = new Report(path ?? '(data)');
  const severity = { fk: fk === 'warn' ? 'warning' : 'error', header: header === 'warn' ? 'warning' : 'error' };

  if (mode === 'json' || mode === 'ndjson') {
    if (!type) throw new InputError(`--type is required with ${mode === 'json' ? 'a JSON file' : '--ndjson'}`);
    if (!schemas.has(type)) throw new InputError(`unknown --type "${type}" (known: ${schemas.typeNames.join(', ')})`);
    if (mode === 'json') checkJsonDocument(data !== undefined ? data : readJson(path, 'input'), type, schemas, report);
    else checkNdjson(data !== undefined ? String(data) : readText(path), type, schemas, report);
  } else if (mode === 'tabular') {
    const dpPath = o.datapackage ?? join(dirname(schemas.dir), 'datapackage.json');
    const doc = data !== undefined ? data : readJson(path, 'input');
    checkTabularJson(doc, readDescriptor(dpPath), schemas, report, severity);
  } else if (mode === 'csv') {
    if (path === undefined) throw new InputError('--csv needs a folder path');
    if (!existsSync(path) || !statSync(path).isDirectory()) throw new InputError(`--csv: ${path} is not a folder`);
    const dpPath = o.datapackage ?? join(path, 'datapackage.json');
    checkCsvPackage(path, readDescriptor(dpPath), schemas, report, severity);
  } else {
    throw new InputError(`unknown mode "${mode}"`);
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// JSON and NDJSON

function recordId(record) {
  const id = isPlainObject(record) ? record.id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '(none)';
}

function checkRecord(schemas, report, resource, type, record, where, form = 'object') {
  report.addRecord(resource);
  const id = recordId(record);
  for (const e of schemas.check(type, record, form)) report.add('error', { resource, where, id, ...e });
}

/** A Page wrapper is recognised by `contents` plus at least one of the paging fields. */
function isPage(doc) {
  return isPlainObject(doc) && 'contents' in doc && PAGE_FIELDS.some((f) => f in doc);
}

function checkJsonDocument(doc, type, schemas, report) {
  if (Array.isArray(doc)) {
    doc.forEach((r, i) => checkRecord(schemas, report, type, type, r, `[${i}]`));
  } else if (isPage(doc)) {
    for (const e of schemas.checkPage(doc)) report.add('error', { resource: 'Page', at: 'wrapper', ...e });
    if (Array.isArray(doc.contents)) {
      doc.contents.forEach((r, i) => checkRecord(schemas, report, type, type, r, `/contents/${i}`));
    }
  } else {
    checkRecord(schemas, report, type, type, doc, '(document)');
  }
}

function checkNdjson(text, type, schemas, report) {
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `line ${i + 1}`;
    let record;
    try {
      record = JSON.parse(line);
    } catch (e) {
      report.addRecord(type);
      report.add('error', { resource: type, where, message: `is not valid JSON: ${e.message}` });
      return;
    }
    checkRecord(schemas, report, type, type, record, where);
  });
}

// ---------------------------------------------------------------------------------------------
// Tabular forms (tabular JSON and CSV packages) share the datapackage handling and key checks.

function readDescriptor(dpPath) {
  const dp = readJson(dpPath, 'datapackage');
  if (!isPlainObject(dp) || !Array.isArray(dp.resources)) throw new InputError(`${dpPath}: not a data package (no "resources" array)`);
  for (const r of dp.resources) {
    if (!isPlainObject(r) || typeof r.name !== 'string' || typeof r.path !== 'string') {
      throw new InputError(`${dpPath}: every resource needs a string "name" and "path" (multi-file or inline resources are not supported)`);
    }
  }
  return dp;
}

/** Primary key / foreign key field lists may be a string or an array in a Frictionless schema. */
const asList = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Table-name keys accepted in a tabular JSON document, derived from datapackage.json: the
 * resource name ("organization"), its path ("organizations.csv", the form the official
 * examples/tabular.json uses) and the path without extension ("organizations").
 */
export function tabularKeys(dp) {
  const keys = new Map();
  for (const r of dp.resources) {
    for (const k of new Set([r.name, r.path, r.path.replace(/\.[^./]+$/, '')])) {
      if (keys.has(k) && keys.get(k) !== r) throw new InputError(`datapackage: table key "${k}" is ambiguous (${keys.get(k).name}, ${r.name})`);
      keys.set(k, r);
    }
  }
  return keys;
}

function schemaTypeFor(resource, schemas, report) {
  if (schemas.has(resource.name)) return resource.name;
  report.add('error', { resource: resource.name, at: 'datapackage.json', message: `has no schema file ${resource.name}.json in ${schemas.dir}` });
  return undefined;
}

function checkTabularJson(doc, dp, schemas, report, severity) {
  if (!isPlainObject(doc)) throw new InputError(`${report.input}: a tabular document must be a JSON object of table arrays`);
  const keys = tabularKeys(dp);
  const tables = new Map(); // resource name -> {resource, label, rows: [{record, where, id}]}
  for (const [key, rows] of Object.entries(doc)) {
    const resource = keys.get(key);
    if (!resource) {
      report.add('error', { resource: key, at: 'table key', message: `is not a table of the data package (expected one of the resource names or paths, e.g. ${dp.resources.slice(0, 3).map((r) => `"${r.name}"/"${r.path}"`).join(', ')})` });
      continue;
    }
    if (!Array.isArray(rows)) {
      report.add('error', { resource: resource.name, at: `table key "${key}"`, message: 'must be an array of records' });
      continue;
    }
    if (tables.has(resource.name)) {
      report.add('error', { resource: resource.name, at: `table key "${key}"`, message: `is given twice (also as "${tables.get(resource.name).label}")` });
      continue;
    }
    const type = schemaTypeFor(resource, schemas, report);
    const table = { resource, label: key, rows: [] };
    tables.set(resource.name, table);
    rows.forEach((record, i) => {
      const where = `${key}[${i}]`;
      table.rows.push({ record, where, id: recordId(record) });
      if (type) checkRecord(schemas, report, resource.name, type, record, where, schemas.tabularForm);
      else report.addRecord(resource.name);
    });
  }
  checkKeys(dp, tables, report, severity);
}

function checkCsvPackage(dir, dp, schemas, report, severity) {
  const tables = new Map();
  const missing = [];
  for (const resource of dp.resources) {
    // Frictionless forbids absolute paths and ".." in resource paths; so do we.
    if (isAbsolute(resource.path) || normalize(resource.path).split(sep).includes('..')) {
      report.add('error', { resource: resource.name, at: 'datapackage.json', message: `has an unsafe path "${resource.path}"` });
      continue;
    }
    const file = join(dir, resource.path);
    if (!existsSync(file)) {
      missing.push(resource.path);
      continue;
    }
    tables.set(resource.name, readCsvTable(resource, file, schemas, report, severity));
  }
  if (missing.length) report.notes.push(`no CSV for ${missing.join(', ')}`);
  checkKeys(dp, tables, report, severity);
}

/** Reads, parses, types and validates one CSV resource; returns its rows for the key checks. */
function readCsvTable(resource, file, schemas, report, severity) {
  const name = resource.name;
  const table = { resource, label: resource.path, rows: [] };
  const { rows, errors } = parseCsv(readText(file), { delimiter: resource.dialect?.delimiter ?? ',' });
  const [head, ...body] = rows;
  if (!head) {
    report.add('error', { resource: name, at: resource.path, message: 'is empty (no header row)' });
    return table;
  }
  const type = schemaTypeFor(resource, schemas, report);
  const objectSchema = type ? schemas.types.get(type).schema : {};
  const fields = new Map((resource.schema?.fields ?? []).map((f) => [f.name, f]));

  // Header: every column must be a declared field of this resource, and appear once.
  const columns = head.cells;
  const seen = new Set();
  columns.forEach((col, i) => {
    const at = `${resource.path} header (line ${head.line})`;
    if (seen.has(col)) report.add('error', { resource: name, at, message: `column ${i + 1} "${col}" appears twice` });
    seen.add(col);
    if (!fields.has(col)) {
      const inSchema = objectSchema.properties && col in objectSchema.properties;
      report.add(severity.header, {
        resource: name,
        at,
        message: `column "${col}" is not a field of resource "${name}" in datapackage.json` +
          (inSchema ? ` (it is a property in ${type}.json, which gives its type)` : ''),
      });
    }
  });
  for (const e of errors.filter((e) => e.row === 0)) {
    report.add('error', { resource: name, at: `${resource.path} header (line ${e.line})`, message: `CSV syntax error: ${e.message}` });
  }

  const parseErrors = new Map(); // row index -> [errors]
  for (const e of errors) if (e.row > 0) parseErrors.set(e.row, [...(parseErrors.get(e.row) ?? []), e]);

  body.forEach((row, k) => {
    const where = `${resource.path} line ${row.line}`;
    const idCol = columns.indexOf('id');
    const id = idCol >= 0 && row.cells[idCol] ? row.cells[idCol] : '(none)';
    report.addRecord(name);
    const problems = [];
    for (const e of parseErrors.get(k + 1) ?? []) {
      problems.push({ pointer: columnPointer(columns, e.cell), message: `CSV syntax error: ${e.message}` });
    }
    if (row.cells.length !== columns.length) {
      problems.push({ pointer: '', message: `has ${row.cells.length} cells but the header has ${columns.length} columns` });
    }
    const castProblems = [];
    const record = {};
    columns.forEach((col, i) => {
      const cell = row.cells[i];
      if (cell === undefined || cell === '') return; // empty cell = field absent
      const kind = fieldKind(fields.get(col), objectSchema.properties?.[col]);
      const cast = castCell(cell, kind);
      record[col] = cast.value;
      if (cast.error) castProblems.push({ pointer: columnPointer(columns, i), message: `${cast.error} (got ${preview(cell)})` });
    });
    table.rows.push({ record, where, id });
    // Once a row is known to be mis-parsed its cells are likely shifted, so type and schema
    // errors would only be follow-on noise: report the structural problem alone.
    if (problems.length === 0) {
      problems.push(...castProblems);
      // A cell that failed its cast is still a string in `record`; ajv's "must be number" on
      // the same field would repeat what the cast error said.
      const castFailed = new Set(castProblems.map((p) => p.pointer));
      if (type) problems.push(...schemas.check(type, record, schemas.tabularForm).filter((e) => !castFailed.has(e.pointer)));
    }
    for (const p of problems) report.add('error', { resource: name, where, id, ...p });
  });
  return table;
}

function columnPointer(columns, cellIndex) {
  return cellIndex !== undefined && columns[cellIndex] !== undefined ? '/' + escapePointerToken(columns[cellIndex]) : '';
}

/**
 * The Table Schema type of a column: from datapackage.json when declared there; otherwise (the
 * descriptor lags behind the schemas for some resources) derived from the JSON Schema property.
 */
function fieldKind(field, property) {
  if (field?.type) return field.type;
  if (!isPlainObject(property)) return 'string';
  if (property.datapackage_type) return property.datapackage_type;
  if (property.format === 'date-time') return 'datetime';
  return ['number', 'integer', 'boolean'].includes(property.type) ? property.type : 'string';
}

const INTEGER_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Frictionless default boolean spellings.
const TRUE_VALUES = new Set(['true', 'True', 'TRUE', '1']);
const FALSE_VALUES = new Set(['false', 'False', 'FALSE', '0']);

/**
 * Converts a non-empty cell to its JSON value. Dates and times stay strings (that is how the
 * JSON Schemas declare them) but are checked for their Frictionless default format here, since
 * the JSON Schemas only annotate them (datapackage_type) and ajv would not check them.
 * On failure the raw string is kept and `error` says why.
 */
function castCell(cell, kind) {
  const fail = (what) => ({ value: cell, error: `is not a valid ${what}` });
  switch (kind) {
    case 'integer':
      return INTEGER_RE.test(cell) ? { value: Number(cell) } : fail('integer');
    case 'number':
      return NUMBER_RE.test(cell) ? { value: Number(cell) } : fail('number');
    case 'boolean':
      if (TRUE_VALUES.has(cell)) return { value: true };
      if (FALSE_VALUES.has(cell)) return { value: false };
      return fail('boolean (true/false/1/0)');
    case 'date':
      return formatOk('date', cell) ? { value: cell } : fail('date (YYYY-MM-DD)');
    case 'datetime':
      return formatOk('iso-date-time', cell) ? { value: cell } : fail('datetime (YYYY-MM-DDThh:mm:ss[.fff][zone])');
    case 'time': {
      // Table Schema's default is hh:mm:ss; HSDS's field guidance for opens_at/closes_at says
      // HH:MM with an optional zone, so that is accepted too.
      const withSeconds = cell.replace(/^(\d\d:\d\d)(?=$|[zZ+-])/, '$1:00');
      return formatOk('iso-time', withSeconds) ? { value: cell } : fail('time (hh:mm[:ss][zone])');
    }
    default:
      return { value: cell };
  }
}

function formatOk(name, value) {
  const f = fullFormats[name];
  return typeof f === 'function' ? f(value) : f instanceof RegExp ? f.test(value) : f.validate(value);
}

/**
 * Primary keys must be unique within a table; foreign keys declared in datapackage.json must
 * resolve to an existing row of the referenced table. A row whose key cells are empty is
 * skipped (an empty foreign key is allowed; a missing id is reported by the schema check).
 */
function checkKeys(dp, tables, report, severity) {
  const keyOf = (record, fields) => {
    const values = fields.map((f) => record?.[f]);
    return values.some((v) => v === undefined || v === null || v === '') ? undefined : JSON.stringify(values);
  };
  const indexes = new Map(); // `${resource}\0${fields}` -> Map(key -> where)
  const indexFor = (table, fields) => {
    const cacheKey = `${table.resource.name}\0${fields.join(',')}`;
    if (!indexes.has(cacheKey)) {
      const index = new Map();
      for (const row of table.rows) {
        const k = keyOf(row.record, fields);
        if (k !== undefined && !index.has(k)) index.set(k, row.where);
      }
      indexes.set(cacheKey, index);
    }
    return indexes.get(cacheKey);
  };

  for (const table of tables.values()) {
    const { resource } = table;
    const pk = asList(resource.schema?.primaryKey);
    if (pk.length) {
      const first = new Map();
      for (const row of table.rows) {
        const k = keyOf(row.record, pk);
        if (k === undefined) continue;
        if (first.has(k)) {
          report.add('error', { resource: resource.name, where: row.where, id: row.id, pointer: '/' + pk.map(escapePointerToken).join(','), message: `duplicate primary key ${pk.join(',')}=${JSON.parse(k).join(',')} (first used at ${first.get(k)})` });
        } else {
          first.set(k, row.where);
        }
      }
    }

    for (const fk of resource.schema?.foreignKeys ?? []) {
      const fields = asList(fk.fields);
      // In Table Schema an empty reference.resource means "this same resource".
      const targetName = fk.reference?.resource || resource.name;
      const targetFields = asList(fk.reference?.fields);
      const target = tables.get(targetName);
      for (const row of table.rows) {
        const k = keyOf(row.record, fields);
        if (k === undefined) continue;
        const shown = fields.map((f) => `${f}=${JSON.stringify(row.record[f])}`).join(', ');
        const ref = `${targetName}.${targetFields.join(',')}`;
        let message;
        if (!target) message = `dangling foreign key ${shown}: table "${targetName}" is not in the input, so ${ref} cannot resolve`;
        else if (!indexFor(target, targetFields).has(k)) message = `dangling foreign key ${shown}: no ${targetName} row has that ${targetFields.join(',')} (${target.label})`;
        if (message) report.add(severity.fk, { resource: resource.name, where: row.where, id: row.id, pointer: '/' + fields.map(escapePointerToken).join(','), message: `${message} [→ ${ref}]` });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180)

/**
 * Parses CSV text per RFC 4180: fields separated by `delimiter`; records end with CRLF, LF or
 * CR; a field may be enclosed in double quotes, and then may contain delimiters, line breaks
 * and doubled quotes ("" stands for one "). A UTF-8 BOM is skipped; a line break at the very
 * end does not start another record; entirely blank lines are skipped.
 *
 * The parser does not stop at malformed input. It records an error and carries on:
 *  - a quote inside an unquoted field is kept literally;
 *  - characters between a closing quote and the next delimiter are kept literally;
 *  - an unterminated quoted field runs to the end of the text.
 *
 * @returns {{rows: {cells: string[], line: number}[],
 *            errors: {row: number, cell: number, line: number, message: string}[]}}
 *          `line` is the 1-based line on which the record (or the error) starts; `row`/`cell`
 *          index into `rows` and its cells.
 */
export function parseCsv(text, { delimiter = ',' } = {}) {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new InputError(`unsupported CSV delimiter ${JSON.stringify(delimiter)}`);
  }
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows = [];
  const errors = [];
  let cells = [];
  let field = '';
  let started = false; // the current field has begun (so "a,\n" has 2 fields, "\n" is blank)
  let quotedInRecord = false; // a record made of one quoted empty field ("") is not blank
  let line = 1; // current physical line
  let rowLine = 1; // line on which the current record started
  let i = 0;

  // Errors carry the index the current record will have in `rows`. Blank lines are never
  // pushed, but they cannot contain errors either, so the indexes stay right.
  const error = (message, atLine = line) => errors.push({ row: rows.length, cell: cells.length, line: atLine, message });
  const endField = () => {
    cells.push(field);
    field = '';
    started = false;
  };
  const endRecord = () => {
    endField();
    if (cells.length > 1 || cells[0] !== '' || quotedInRecord) rows.push({ cells, line: rowLine });
    cells = [];
    quotedInRecord = false;
  };
  // Length of the line break at position p: 2 for CRLF, 1 for LF or a lone CR, 0 for none.
  const breakAt = (p) => (src[p] === '\r' ? (src[p + 1] === '\n' ? 2 : 1) : src[p] === '\n' ? 1 : 0);

  while (i < src.length) {
    const c = src[i];
    if (c === '"' && !started) {
      // Quoted field: read up to the matching closing quote.
      started = true;
      quotedInRecord = true;
      const openLine = line;
      let closed = false;
      i += 1;
      while (i < src.length) {
        if (src[i] === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          closed = true;
          break;
        }
        const nl = breakAt(i);
        if (nl) line += 1;
        field += src.slice(i, i + (nl || 1));
        i += nl || 1;
      }
      if (!closed) {
        error(`unterminated quoted field (the quote opened on line ${openLine} is never closed)`, openLine);
        break;
      }
      // After the closing quote only a delimiter, a line break or the end of the text may follow.
      if (i < src.length && src[i] !== delimiter && !breakAt(i)) {
        error(`unexpected character ${JSON.stringify(src[i])} after a closing quote (a quote inside a quoted field must be doubled: "")`);
        while (i < src.length && src[i] !== delimiter && !breakAt(i)) field += src[i++];
      }
      continue;
    }
    if (c === delimiter) {
      endField();
      i += 1;
      continue;
    }
    const nl = breakAt(i);
    if (nl) {
      endRecord();
      i += nl;
      line += 1;
      rowLine = line;
      continue;
    }
    const last = errors.at(-1);
    if (c === '"' && !(last && last.row === rows.length && last.cell === cells.length)) {
      error('quote character inside an unquoted field (a field containing quotes must be enclosed in quotes, with inner quotes doubled)');
    }
    started = true;
    field += c;
    i += 1;
  }
  // The last record, unless the text ended with a line break (or was empty).
  if (started || cells.length > 0) endRecord();
  return { rows, errors };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
}

function readJson(path, what) {
  const text = readText(path);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(`${what} ${path} is not valid JSON: ${e.message}`);
  }
}

function escapePointerToken(s) {
  return String(s).replaceAll('~', '~0').replaceAll('/', '~1');
}

function valueAtPointer(root, pointer) {
  if (pointer === '') return root;
  let cur = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (cur === null || typeof cur !== 'object' || !(token in cur)) return undefined;
    cur = cur[token];
  }
  return cur;
}

function preview(value) {
  const s = value === undefined ? 'nothing' : JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

// ---------------------------------------------------------------------------------------------
// Command line

const USAGE = `usage:
  node hsds-validate.mjs [options] --type TYPE FILE.json...
  node hsds-validate.mjs [options] --ndjson --type TYPE FILE.ndjson...
  node hsds-validate.mjs [options] --tabular FILE.json...
  node hsds-validate.mjs [options] --csv DIR...
options: --schemas DIR, --datapackage FILE, --fk error|warn, --header error|warn,
         --tabular-required error|ignore, --quiet, --help`;

export async function main(argv = process.argv.slice(2), out = console.log, err = console.error) {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        type: { type: 'string' },
        ndjson: { type: 'boolean' },
        tabular: { type: 'boolean' },
        csv: { type: 'boolean' },
        schemas: { type: 'string' },
        datapackage: { type: 'string' },
        fk: { type: 'string', default: 'error' },
        header: { type: 'string', default: 'error' },
        'tabular-required': { type: 'string', default: 'error' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err(`hsds-validate: ${e.message}\n${USAGE}`);
    return 2;
  }
  const { values: o, positionals: inputs } = args;
  if (o.help) {
    out(USAGE);
    return 0;
  }
  const modes = ['ndjson', 'tabular', 'csv'].filter((m) => o[m]);
  const usage = (msg) => {
    err(`hsds-validate: ${msg}\n${USAGE}`);
    return 2;
  };
  if (modes.length > 1) return usage(`--${modes.join(' and --')} cannot be combined`);
  const mode = modes[0] ?? 'json';
  if (inputs.length === 0) return usage('no input given');
  if ((mode === 'json' || mode === 'ndjson') && !o.type) return usage('--type is required (e.g. --type service)');
  if ((mode === 'tabular' || mode === 'csv') && o.type) return usage(`--type does not apply to --${mode} (the table names say what each record is)`);

  let status = 0;
  for (const path of inputs) {
    try {
      const report = await validateHsds({
        mode, type: o.type, path, schemasDir: o.schemas, datapackage: o.datapackage, fk: o.fk, header: o.header, tabularRequired: o['tabular-required'],
      });
      if (!o.quiet || !report.ok) out(report.summary());
      for (const p of report.problems) if (p.severity === 'error' || !o.quiet) out(formatProblem(p));
      if (!report.ok) status = Math.max(status, 1);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      err(`hsds-validate: ${e.message}`);
      status = 2;
    }
  }
  return status;
}

// Run the CLI only when this file is the entry point (node reports the entry module by its real
// path, so resolve symlinks in argv[1] before comparing).
function isEntryPoint() {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (process.argv[1] && isEntryPoint()) {
  process.exitCode = await main();
}
