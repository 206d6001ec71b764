// The provider directory in the staff console and the provider portal: the shapes the API
// sends, the words we show for them, and the pure rules (openings in words, the edit patch,
// history values, the freshness picture, the queue as CSV, import progress). Unit-tested.
import { roleLabel } from './api';

// --- shapes --------------------------------------------------------------------------------

export interface Openings {
  /** Openings that count now (0 when not confirmed recently). */
  count: number;
  /** There were openings, but they were not confirmed recently enough to count. */
  stale: boolean;
  last_confirmed_at: string | null;
  /** The count the provider last gave, counted or not (null: never given). */
  available?: number | null;
}

export type NeedReason = 'licence_expired' | 'licence_expiring' | 'unverified';

export interface Need {
  reason: NeedReason | string;
  due_at: string;
  detail: string;
}

export interface ServiceSummary {
  id: string;
  name: string;
  status: string;
  organization_id: string;
  organization_name: string | null;
  version: number | string;
  openings: Openings;
  verified_at: string | null;
  needs: Need[];
}

export type HsdsObject = Record<string, unknown>;

export interface HistoryEntry {
  seq: number;
  at: string;
  actor_id: string;
  actor_role: string;
  action: string;
  resource: string;
  record_id: string;
  field: string;
  before: unknown;
  after: unknown;
}

export interface ServiceDetail extends ServiceSummary {
  /** The nested HSDS 3.1 service. */
  service: HsdsObject;
  /** The fields this caller may change. */
  editable: string[];
  /** Newest first. */
  history: HistoryEntry[];
}

export interface ServicePage {
  total: number;
  page: number;
  per_page: number;
  services: ServiceSummary[];
}

export interface FreshnessSummary {
  services: number;
  verified_30_days: number;
  verified_90_days: number;
  licences_expiring: number;
  licences_expired: number;
  silent: number;
  openings_counted: number;
}

export interface QueueItem {
  service_id: string;
  service_name: string;
  reason: NeedReason | string;
  due_at: string;
  detail: string;
}

export interface Freshness {
  at: string;
  openings_window_days: number;
  summary: FreshnessSummary;
  queue: QueueItem[];
  queue_total: number;
}

export interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export interface ImportIssue {
  severity: 'error' | 'warning' | string;
  where: string;
  resource: string;
  id: string;
  field: string;
  message: string;
}

export interface ImportReport {
  imported: boolean;
  records: number;
  counts: Record<string, ImportCounts>;
  issues: ImportIssue[];
  issues_total: number;
  dangling_total: number;
}

export type ImportState = 'queued' | 'running' | 'done' | 'failed';

export interface ImportJob {
  id: string;
  state: ImportState | string;
  name: string;
  dry_run: boolean;
  strict: boolean;
  bytes_total: number;
  bytes_read: number;
  records: number;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  report: ImportReport | null;
}

export interface ProviderLink {
  user_id: string;
  organization_id: string;
  organization_name: string | null;
}

export interface Checkin {
  service_id: string;
  service_name: string;
  openings: Openings;
}

/**
 * A listing's notes that only the Soundcheck team and the provider see: never in /hsds, never in
 * exports. `version` is 0 while nothing was ever saved (the first save sends If-Match: "0").
 */
export interface PrivateNotes {
  staff_contact: string | null;
  waitlist_note: string | null;
  version: number;
  updated_at: string | null;
  updated_by_role: string | null;
}

// --- dates in words -----------------------------------------------------------------------

const DAY_MS = 86_400_000;

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t);
}

/** Calendar days from `iso` to `now`, in the viewer's zone (0: today, 1: yesterday, -1: tomorrow). */
export function daysAgo(iso: string, now: number): number | null {
  const d = parse(iso);
  if (!d) return null;
  const n = new Date(now);
  const a = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  const b = Date.UTC(n.getFullYear(), n.getMonth(), n.getDate());
  return Math.round((b - a) / DAY_MS);
}

/** "2 Oct", or "2 Oct 2025" when not this year. */
export function shortDate(iso: string | null | undefined, now: number): string {
  const d = parse(iso);
  if (!d) return iso ?? '';
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat('en-GB', sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

/** "2 Oct 2025": dates in tables. */
export function longDate(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return iso ?? '';
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

/** "today", "yesterday", "4 days ago", or "on 2 Oct" beyond a month. */
export function whenText(iso: string, now: number): string {
  const n = daysAgo(iso, now);
  if (n === null) return iso;
  if (n <= 0) return 'today';
  if (n === 1) return 'yesterday';
  if (n <= 31) return `${n} days ago`;
  return `on ${shortDate(iso, now)}`;
}

// --- services in words ----------------------------------------------------------------------

const STATUS_LABELS: Record<string, string> = {
  active: 'Active',
  inactive: 'Inactive (paused)',
  defunct: 'Defunct (removed)',
  'temporarily closed': 'Temporarily closed',
};

/** The HSDS service status, for staff. */
export function serviceStatusLabel(status: string): string {
  return STATUS_LABELS[status] ?? (status ? status.charAt(0).toUpperCase() + status.slice(1) : 'Unknown');
}

export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;

export type Listing = 'listed' | 'paused' | 'removed' | 'closed';

/** The provider's view of the HSDS status: listed (active), paused (inactive), removed (defunct). */
export function listingOf(status: string): Listing {
  if (status === 'inactive') return 'paused';
  if (status === 'defunct') return 'removed';
  if (status === 'temporarily closed') return 'closed';
  return 'listed';
}

export const LISTING_LABELS: Record<Listing, string> = {
  listed: 'Listed',
  paused: 'Paused',
  removed: 'Removed',
  closed: 'Temporarily closed',
};

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * "3 openings, confirmed 4 days ago", "Openings not confirmed since 2 Oct — not counted",
 * "No openings".
 */
export function openingsText(o: Openings | null | undefined, now: number): string {
  if (!o) return 'No openings';
  if (o.stale) {
    return o.last_confirmed_at
      ? `Openings not confirmed since ${shortDate(o.last_confirmed_at, now)} — not counted`
      : 'Openings never confirmed — not counted';
  }
  const when = o.last_confirmed_at ? `, confirmed ${whenText(o.last_confirmed_at, now)}` : '';
  if (o.count <= 0) return `No openings${when}`;
  return `${plural(o.count, 'opening')}${when}`;
}

export function verifiedText(iso: string | null | undefined): string {
  return iso ? longDate(iso) : 'Never verified';
}

const NEED_LABELS: Record<string, string> = {
  licence_expired: 'Licence expired',
  licence_expiring: 'Licence expiring',
  unverified: 'Verification due',
};

export function needLabel(reason: string): string {
  return NEED_LABELS[reason] ?? reason.replace(/_/g, ' ');
}

/** The tag colour that repeats what the words say. */
export function needTone(reason: string): 'red' | 'amber' | 'grey' {
  if (reason === 'licence_expired') return 'red';
  if (reason === 'licence_expiring') return 'amber';
  return 'grey';
}

/** The openings a provider last gave (the HSDS capacity in `openings`), even when no longer counted. */
export function storedOpenings(service: HsdsObject | null | undefined): number | null {
  const caps = service && Array.isArray(service.capacities) ? (service.capacities as unknown[]) : [];
  for (const c of caps) {
    if (!c || typeof c !== 'object') continue;
    const cap = c as Record<string, unknown>;
    const unit = (cap.unit && typeof cap.unit === 'object' ? cap.unit : {}) as Record<string, unknown>;
    const words = [unit.name, unit.identifier, unit.scheme].filter((w) => typeof w === 'string').join(' ').toLowerCase();
    if (/opening/.test(words) && typeof cap.available === 'number') return cap.available;
  }
  return null;
}

// --- editing ------------------------------------------------------------------------------

export type FieldKind = 'text' | 'textarea' | 'url' | 'email' | 'integer' | 'status';

interface FieldMeta {
  label: string;
  kind: FieldKind;
  hint?: string;
}

const FIELD_META: Record<string, FieldMeta> = {
  name: { label: 'Name', kind: 'text' },
  alternate_name: { label: 'Other name', kind: 'text' },
  status: { label: 'Status', kind: 'status' },
  description: { label: 'Description', kind: 'textarea' },
  url: { label: 'Website', kind: 'url', hint: 'The full address, starting https://' },
  email: { label: 'Email address', kind: 'email' },
  application_process: { label: 'How to start', kind: 'textarea' },
  fees_description: { label: 'Fees', kind: 'textarea' },
  eligibility_description: { label: 'Who it is for', kind: 'textarea' },
  minimum_age: { label: 'Minimum age', kind: 'integer' },
  maximum_age: { label: 'Maximum age', kind: 'integer' },
  alert: { label: 'Alert', kind: 'textarea', hint: 'A short notice shown first, for example a closure.' },
  interpretation_services: { label: 'Interpretation services', kind: 'textarea' },
  wait_time: { label: 'Wait time', kind: 'text' },
};

export function fieldLabel(field: string): string {
  const m = FIELD_META[field];
  if (m) return m.label;
  const s = field.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function fieldKind(field: string): FieldKind {
  return FIELD_META[field]?.kind ?? 'text';
}

export function fieldHint(field: string): string | undefined {
  return FIELD_META[field]?.hint;
}

export type ServiceForm = Record<string, string>;

/** A field's value as the form shows it ("" for none). */
export function formValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function formFromService(service: HsdsObject, editable: readonly string[]): ServiceForm {
  const f: ServiceForm = {};
  for (const k of editable) f[k] = formValue(service[k]);
  return f;
}

/**
 * The JSON merge patch for what changed: an emptied field is null (removes it), whole numbers
 * for the integer fields. Fields that are not valid here come back as errors instead.
 */
export function buildServicePatch(
  base: ServiceForm,
  form: ServiceForm,
  editable: readonly string[],
): { patch: Record<string, unknown>; errors: Record<string, string[]> } {
  const patch: Record<string, unknown> = {};
  const errors: Record<string, string[]> = {};
  for (const k of editable) {
    const kind = fieldKind(k);
    const raw = form[k] ?? '';
    const v = kind === 'textarea' ? raw.replace(/\s+$/, '') : raw.trim();
    if (v === (base[k] ?? '')) continue;
    if (v === '') {
      if (k === 'name' || k === 'status') errors[k] = [`Enter the ${fieldLabel(k).toLowerCase()}`];
      else patch[k] = null;
      continue;
    }
    if (kind === 'integer') {
      if (!/^\d{1,3}$/.test(v)) errors[k] = [`${fieldLabel(k)} must be a whole number, like 18`];
      else patch[k] = parseInt(v, 10);
      continue;
    }
    patch[k] = v;
  }
  return { patch, errors };
}

/**
 * After the service reloaded (a 412, or after verifying): fields the person had not touched
 * show the newer values; what they typed stays, still unsaved.
 */
export function mergeForm(oldBase: ServiceForm, newBase: ServiceForm, form: ServiceForm): ServiceForm {
  const out: ServiceForm = { ...newBase };
  for (const k of Object.keys(form)) {
    if ((form[k] ?? '') !== (oldBase[k] ?? '')) out[k] = form[k]!;
  }
  return out;
}

export interface FieldChange {
  field: string;
  label: string;
  from: string;
  to: string;
}

export function describeFormChanges(before: ServiceForm, after: ServiceForm, fields: readonly string[]): FieldChange[] {
  const out: FieldChange[] = [];
  for (const f of fields) {
    const a = after[f] ?? '';
    const b = before[f] ?? '';
    if (a !== b) out.push({ field: f, label: fieldLabel(f), from: shown(f, b), to: shown(f, a) });
  }
  return out;
}

function shown(field: string, v: string): string {
  if (v === '') return '(none)';
  if (field === 'status') return serviceStatusLabel(v);
  return v.length > 120 ? v.slice(0, 117) + '…' : v;
}

// --- private notes -------------------------------------------------------------------------

export const PRIVATE_NOTE_FIELDS = ['staff_contact', 'waitlist_note'] as const;
export type PrivateNoteField = (typeof PRIVATE_NOTE_FIELDS)[number];
export type PrivateNotesForm = Record<PrivateNoteField, string>;
export type PrivateNotesBody = Record<PrivateNoteField, string | null>;
/** The server's limit, in characters. */
export const PRIVATE_NOTE_MAX = 2000;

/** Who looks: staff read "the provider", the provider reads "you". */
export type NotesViewer = 'staff' | 'provider';

export function privateNoteLabel(field: PrivateNoteField, viewer: NotesViewer): string {
  if (field === 'waitlist_note') return 'Waitlist notes';
  return viewer === 'staff' ? 'How the team reaches the provider' : 'How the team reaches you';
}

export function privateNoteHint(field: PrivateNoteField, viewer: NotesViewer): string {
  if (field === 'waitlist_note') return 'How long the wait is, who is on it, when it opens again.';
  return viewer === 'staff' ? 'A direct line, a practice manager, the best time to call.' : 'A direct line, your practice manager, the best time to call.';
}

export function privateNotesForm(n: Pick<PrivateNotes, PrivateNoteField> | null | undefined): PrivateNotesForm {
  return { staff_contact: n?.staff_contact ?? '', waitlist_note: n?.waitlist_note ?? '' };
}

/** A note as it is sent: trailing spaces and blank lines dropped; nothing left is null. */
function noteValue(raw: string): string | null {
  const v = raw.replace(/\s+$/, '');
  return v === '' ? null : v;
}

/** Characters as people count them (a code point each, so an emoji is one). */
export function charCount(s: string): number {
  return Array.from(s).length;
}

/**
 * The PUT body for the form (both fields, an emptied one as null), or errors for notes that are
 * too long; `changed` is false when the notes say the same as `base`.
 */
export function buildPrivateNotes(
  base: PrivateNotesForm,
  form: PrivateNotesForm,
): { body: PrivateNotesBody; errors: Record<string, string[]>; changed: boolean } {
  const body = { staff_contact: noteValue(form.staff_contact), waitlist_note: noteValue(form.waitlist_note) };
  const errors: Record<string, string[]> = {};
  for (const f of PRIVATE_NOTE_FIELDS) {
    const n = charCount(body[f] ?? '');
    if (n > PRIVATE_NOTE_MAX) errors[f] = [`Keep this to ${PRIVATE_NOTE_MAX.toLocaleString('en-GB')} characters or fewer (it has ${n.toLocaleString('en-GB')})`];
  }
  const changed = PRIVATE_NOTE_FIELDS.some((f) => body[f] !== noteValue(base[f]));
  return { body, errors, changed };
}

/** What differs between two versions of the notes, labelled for the viewer. */
export function describeNoteChanges(before: PrivateNotesForm, after: PrivateNotesForm, viewer: NotesViewer, fields: readonly PrivateNoteField[] = PRIVATE_NOTE_FIELDS): FieldChange[] {
  return describeFormChanges(before, after, fields).map((c) => ({ ...c, label: privateNoteLabel(c.field as PrivateNoteField, viewer) }));
}

/** After a reload over our edits (a 412): the newer notes, with what the person typed kept. */
export function mergeNotes(oldBase: PrivateNotesForm, newBase: PrivateNotesForm, form: PrivateNotesForm): PrivateNotesForm {
  const m = mergeForm(oldBase, newBase, form);
  return { staff_contact: m.staff_contact ?? '', waitlist_note: m.waitlist_note ?? '' };
}

/** The fields whose text the person changed (against `base`), in form order. */
export function editedNotes(base: PrivateNotesForm, form: PrivateNotesForm): PrivateNoteField[] {
  return PRIVATE_NOTE_FIELDS.filter((f) => noteValue(form[f]) !== noteValue(base[f]));
}

const CHANGED_BY: Record<string, string> = {
  case_manager: 'a case manager',
  supervisor: 'a supervisor',
  admin: 'an admin',
  provider: 'the provider',
};

/** "a case manager", "the provider": who last changed the notes, by role. */
export function changedByText(role: string | null | undefined): string {
  if (!role) return 'someone';
  return CHANGED_BY[role] ?? roleLabel(role).toLowerCase();
}

// --- history ------------------------------------------------------------------------------

const ACTION_LABELS: Record<string, string> = {
  edit: 'Edited',
  verify: 'Verified',
  openings: 'Openings confirmed',
  listing: 'Listing changed',
  import: 'Imported',
};

export function historyActionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

/** A before/after value in a few words: "(none)", text as it is, anything else as JSON. */
export function historyValue(v: unknown, max = 160): string {
  if (v === null || v === undefined || v === '') return '(none)';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** Who made a change: "You", or their role and a short form of their id. */
export function actorText(e: Pick<HistoryEntry, 'actor_id' | 'actor_role'>, meId: string | null): string {
  if (meId && e.actor_id === meId) return 'You';
  if (e.actor_id === 'system' && e.actor_role === 'cli') return 'Command line';
  if (!e.actor_id || e.actor_role === 'system') return e.actor_role === 'system' || !e.actor_role ? 'Soundcheck' : roleLabel(e.actor_role);
  return `${e.actor_role ? roleLabel(e.actor_role) : 'Someone'} ${e.actor_id.slice(0, 8)}`;
}

/** Newest first, whatever order the server used. */
export function sortHistory(h: readonly HistoryEntry[]): HistoryEntry[] {
  return [...h].sort((a, b) => b.seq - a.seq || Date.parse(b.at) - Date.parse(a.at));
}

// --- freshness --------------------------------------------------------------------------------

export interface FreshnessRow {
  key: keyof FreshnessSummary;
  label: string;
  value: number;
  /** Share of the listed services, 0–100. */
  percent: number;
  tone: 'good' | 'warn' | 'bad' | 'plain';
}

export function freshnessRows(f: Pick<Freshness, 'summary' | 'openings_window_days'>): FreshnessRow[] {
  const s = f.summary;
  const total = s.services;
  const pct = (n: number) => (total > 0 ? Math.max(0, Math.min(100, Math.round((n / total) * 100))) : 0);
  const w = f.openings_window_days;
  const row = (key: keyof FreshnessSummary, label: string, tone: FreshnessRow['tone']): FreshnessRow => ({
    key,
    label,
    value: s[key],
    percent: key === 'services' ? (total > 0 ? 100 : 0) : pct(s[key]),
    tone,
  });
  return [
    row('services', 'Listed services', 'plain'),
    row('verified_30_days', 'Verified in the last 30 days', 'good'),
    row('verified_90_days', 'Verified in the last 90 days', 'good'),
    row('openings_counted', `Openings confirmed in the last ${plural(w, 'day')}`, 'good'),
    row('silent', `Openings not confirmed for ${plural(w, 'day')}`, 'warn'),
    row('licences_expiring', 'Licences expiring soon', 'warn'),
    row('licences_expired', 'Licences expired', 'bad'),
  ];
}

function csvCell(v: string): string {
  // A cell a spreadsheet would run as a formula is made plain text.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The verification queue as CSV (RFC 4180, CRLF line ends). */
export function queueCsv(queue: readonly QueueItem[]): string {
  const rows = [['service_id', 'service_name', 'reason', 'reason_in_words', 'due_at', 'detail']];
  for (const q of queue) rows.push([q.service_id, q.service_name, q.reason, needLabel(q.reason), q.due_at, q.detail]);
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// --- imports --------------------------------------------------------------------------------

export type ImportFormat = 'json' | 'ndjson' | 'csv';

/** The format a file's name says, or null when it is neither. */
export function importFormat(fileName: string): ImportFormat | null {
  const n = fileName.toLowerCase();
  if (n.endsWith('.ndjson') || n.endsWith('.jsonl')) return 'ndjson';
  if (n.endsWith('.json')) return 'json';
  return null;
}

export function importContentType(format: ImportFormat): string {
  return format === 'ndjson' ? 'application/x-ndjson' : 'application/json';
}

/**
 * The files of a picked CSV data package folder that are sent: `datapackage.json` and the
 * `.csv` tables at its top level (anything else, and sub-folders, are left out). An error text
 * when the folder has no `datapackage.json`.
 */
export function csvPackageFiles<F extends { name: string; webkitRelativePath?: string }>(
  files: readonly F[],
): { files: F[]; folder: string } | { error: string } {
  const picked: F[] = [];
  let folder = '';
  for (const f of files) {
    const parts = (f.webkitRelativePath || f.name).split('/');
    if (parts.length > 2) continue; // inside a sub-folder
    if (parts.length === 2) folder = parts[0];
    const n = f.name;
    if (n === 'datapackage.json' || (n.toLowerCase().endsWith('.csv') && !n.startsWith('.'))) picked.push(f);
  }
  if (!picked.some((f) => f.name === 'datapackage.json')) {
    return { error: 'The folder must hold the HSDS data package: datapackage.json beside the .csv tables' };
  }
  return { files: picked, folder: folder || 'csv-package' };
}

/** The body a CSV data package is sent as: one JSON object of file name → file text. */
export async function csvPackageBody(files: readonly { name: string; text(): Promise<string> }[]): Promise<Blob> {
  const pkg: Record<string, string> = {};
  for (const f of files) pkg[f.name] = await f.text();
  return new Blob([JSON.stringify(pkg)], { type: 'application/json' });
}

export function importQuery(o: { format: ImportFormat; dryRun: boolean; strict: boolean; name: string }): string {
  return new URLSearchParams({ format: o.format, dry_run: String(o.dryRun), strict: String(o.strict), name: o.name }).toString();
}

export function importFinished(job: Pick<ImportJob, 'state'>): boolean {
  return job.state === 'done' || job.state === 'failed';
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '0 bytes';
  if (n < 1024) return plural(n, 'byte');
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** How far the server has read: a percentage (null while unknown) and the words for it. */
export function importProgress(job: Pick<ImportJob, 'state' | 'bytes_read' | 'bytes_total' | 'records'>): { percent: number | null; text: string } {
  const total = job.bytes_total > 0 ? job.bytes_total : 0;
  const read = Math.min(job.bytes_read, total || job.bytes_read);
  const percent = total > 0 ? Math.floor((read / total) * 100) : null;
  if (job.state === 'queued') return { percent: 0, text: 'Waiting to start…' };
  const recs = plural(job.records, 'record');
  if (total > 0 && read >= total && job.state === 'running') return { percent: 100, text: `All ${formatBytes(total)} read; ${recs} checked so far` };
  if (total > 0) return { percent, text: `${formatBytes(read)} of ${formatBytes(total)} read (${percent}%), ${recs} so far` };
  return { percent, text: `${formatBytes(read)} read, ${recs} so far` };
}

/** The number of problems that stopped an import (errors; every issue if none is marked). */
export function importProblems(r: ImportReport): number {
  const errors = r.issues.filter((i) => i.severity === 'error').length;
  if (r.issues_total > r.issues.length) return r.issues_total;
  return errors > 0 ? errors : r.issues.length;
}

/** The headline of a finished import. */
export function importOutcome(job: Pick<ImportJob, 'state' | 'dry_run' | 'error' | 'report'>): { ok: boolean; text: string } {
  if (job.state === 'failed') return { ok: false, text: `The import failed: ${job.error || 'the server could not finish it'}. Nothing was imported.` };
  const r = job.report;
  if (!r) return { ok: false, text: 'The import finished without a report.' };
  const hasErrors = r.issues.some((i) => i.severity === 'error');
  if (r.imported && !job.dry_run) return { ok: true, text: `Imported: ${plural(r.records, 'record')}.` };
  if (job.dry_run && !hasErrors) return { ok: true, text: `Checked only: ${plural(r.records, 'record')} would be imported. Nothing was written.` };
  const n = importProblems(r);
  return { ok: false, text: n > 0 ? `Nothing was imported: ${plural(n, 'problem')}` : 'Nothing was imported.' };
}

export function resourceLabel(type: string): string {
  const s = type.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const RECENT_KEY = 'soundcheck.directory.imports';

export interface RecentImport {
  id: string;
  name: string;
  at: string;
}

/** Imports started in this browser, newest first (ids and file names only). */
export function recentImports(storage: Storage | null = safeStorage()): RecentImport[] {
  try {
    const v = JSON.parse(storage?.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(v)
      ? v.filter((x): x is RecentImport => !!x && typeof x === 'object' && typeof (x as RecentImport).id === 'string').slice(0, 10)
      : [];
  } catch {
    return [];
  }
}

export function rememberImport(job: Pick<ImportJob, 'id' | 'name' | 'started_at'>, storage: Storage | null = safeStorage()): void {
  try {
    const list = [{ id: job.id, name: job.name, at: job.started_at }, ...recentImports(storage).filter((r) => r.id !== job.id)].slice(0, 10);
    storage?.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // storage full or off: the job page still works by its address
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

// --- the directory list's address -----------------------------------------------------------

export interface DirectoryQuery {
  search: string;
  page: number;
}

export function directoryQuery(search: string): DirectoryQuery {
  const q = new URLSearchParams(search);
  const page = parseInt(q.get('page') ?? '1', 10);
  return { search: (q.get('search') ?? '').trim(), page: Number.isFinite(page) && page >= 1 ? page : 1 };
}

export function directoryHref(q: DirectoryQuery): string {
  const p = new URLSearchParams();
  if (q.search) p.set('search', q.search);
  if (q.page > 1) p.set('page', String(q.page));
  const s = p.toString();
  return s ? `/directory?${s}` : '/directory';
}

export function pageCount(total: number, perPage: number): number {
  return perPage > 0 ? Math.max(1, Math.ceil(total / perPage)) : 1;
}

// --- the check-in link ------------------------------------------------------------------------

/**
 * The token of a mailed link (`#t=…`), removed from the address at once with
 * history.replaceState, so it is not kept in the history, shared or bookmarked.
 * null: there was none; "": there was one, but it is not a token.
 */
export function takeFragmentToken(): string | null {
  const hash = window.location.hash;
  if (!hash.startsWith('#t=')) return null;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  const m = /^#t=([A-Za-z0-9._~-]{8,512})$/.exec(hash);
  return m ? m[1]! : '';
}

// --- the HSDS service, read for people ----------------------------------------------------------

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const objs = (v: unknown): HsdsObject[] => (Array.isArray(v) ? v.filter((x): x is HsdsObject => !!x && typeof x === 'object' && !Array.isArray(x)) : []);
const obj = (v: unknown): HsdsObject | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as HsdsObject) : null);

export interface LocationView {
  name: string;
  virtual: boolean;
  address: string;
  phones: string[];
}

export interface FacetView {
  label: string;
  items: string[];
}

export interface ServiceView {
  organization: string;
  alternateName: string;
  description: string;
  url: string;
  email: string;
  phones: string[];
  locations: LocationView[];
  languages: string[];
  costs: string[];
  facets: FacetView[];
}

function phoneText(p: HsdsObject): string {
  const n = str(p.number).replace(/^"+|"+$/g, '');
  if (!n) return '';
  const ext = str(p.extension);
  const type = str(p.type);
  return `${n}${ext ? ` ext. ${ext}` : ''}${type && type !== 'voice' ? ` (${type})` : ''}`;
}

function addressText(a: HsdsObject): string {
  return [a.address_1, a.address_2, a.city, a.state_province, a.postal_code, a.country].map(str).filter(Boolean).join(', ');
}

const FACET_LABELS: Record<string, string> = {
  care_type: 'Care',
  issue: 'Issues',
  approach: 'Approaches',
  age: 'Ages',
  format: 'Formats',
  cost: 'Cost',
  accessibility: 'Accessibility',
  identity: 'Identity',
  music_industry: 'Music industry',
  clinical: 'Clinical',
  'fact:licence': 'Licences',
  'fact:insurance-panel': 'Insurance panels',
  'fact:telehealth-jurisdiction': 'Telehealth in',
  'fact:sliding-scale-minimum': 'Sliding scale from',
  'fact:earliest-opening': 'Earliest opening',
  'fact:waitlist-weeks': 'Waitlist (weeks)',
  'fact:gender': 'Gender',
  'fact:identity': 'Identity (self-described)',
};

/** A value term's value in words: a licence, a panel, money, or the text as it is. */
export function attributeValueText(value: unknown): string {
  let v: unknown = value;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        v = JSON.parse(t);
      } catch {
        return t;
      }
    } else return t;
  }
  const o = obj(v);
  if (!o) return v === null || v === undefined ? '' : JSON.stringify(v);
  if ('type' in o && 'jurisdiction' in o) {
    const parts = [str(o.type), str(o.jurisdiction)].filter(Boolean).join(', ');
    const num = str(o.number);
    const exp = str(o.expires);
    const compacts = Array.isArray(o.compacts) ? (o.compacts as unknown[]).map(str).filter(Boolean) : [];
    return `${parts}${num ? `, no. ${num}` : ''}${exp ? `, expires ${exp}` : ''}${compacts.length ? ` (${compacts.join(', ')})` : ''}`;
  }
  if ('carrier' in o) return [str(o.carrier), str(o.plan)].filter(Boolean).join(' — ');
  if ('amount' in o) return [str(o.amount), str(o.currency)].filter(Boolean).join(' ');
  return Object.entries(o)
    .map(([k, x]) => `${k}: ${typeof x === 'string' ? x : JSON.stringify(x)}`)
    .join(', ');
}

/** The attributes grouped by facet (Soundcheck's `facet:term` codes; other taxonomies by name). */
export function attributeFacets(service: HsdsObject): FacetView[] {
  const groups = new Map<string, string[]>();
  for (const a of objs(service.attributes)) {
    const term = obj(a.taxonomy_term) ?? {};
    const code = str(term.code);
    const name = str(term.name) || str(a.label) || code || 'Attribute';
    const value = a.value === undefined || a.value === null || a.value === '' ? '' : attributeValueText(a.value);
    let key: string;
    let item: string;
    if (code.startsWith('fact:')) {
      key = FACET_LABELS[code] ?? name;
      item = value || name;
    } else {
      const facet = code.includes(':') ? code.slice(0, code.indexOf(':')) : '';
      const detail = obj(term.taxonomy_detail);
      key = FACET_LABELS[facet] ?? (str(detail?.name) || str(term.taxonomy) || 'Other');
      item = value ? `${name}: ${value}` : name;
    }
    const list = groups.get(key) ?? [];
    if (!list.includes(item)) list.push(item);
    groups.set(key, list);
  }
  return [...groups.entries()].map(([label, items]) => ({ label, items }));
}

export function serviceView(service: HsdsObject, organizationName: string | null = null): ServiceView {
  const phones = objs(service.phones).map(phoneText).filter(Boolean);
  const locations: LocationView[] = [];
  for (const sal of objs(service.service_at_locations)) {
    const loc = obj(sal.location);
    if (!loc) continue;
    locations.push({
      name: str(loc.name) || str(sal.description) || 'Location',
      virtual: str(loc.location_type) === 'virtual',
      address: objs(loc.addresses).map(addressText).filter(Boolean).join('; '),
      phones: [...objs(sal.phones), ...objs(loc.phones)].map(phoneText).filter(Boolean),
    });
  }
  const languages = objs(service.languages)
    .map((l) => str(l.name) || str(l.code))
    .filter(Boolean);
  const costs = objs(service.cost_options)
    .map((c) => {
      const amount = c.amount === undefined || c.amount === null ? '' : `${str(c.amount)} ${str(c.currency).toUpperCase()}`.trim();
      return [str(c.option), amount, str(c.amount_description)].filter(Boolean).join(' — ');
    })
    .filter(Boolean);
  return {
    organization: str(obj(service.organization)?.name) || organizationName || '',
    alternateName: str(service.alternate_name),
    description: str(service.description),
    url: str(service.url),
    email: str(service.email),
    phones,
    locations,
    languages: [...new Set(languages)],
    costs,
    facets: attributeFacets(service),
  };
}

/** Only http(s) addresses become links. */
export function safeHttpUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * The number "Still taking clients" confirms: the counted openings while they are fresh, else
 * the last number the provider gave (from the service's openings capacity), else unknown.
 */
export function openingsToConfirm(o: Openings, service: HsdsObject | null | undefined): number | null {
  if (typeof o.available === 'number') return o.available;
  if (!o.stale && o.last_confirmed_at) return o.count;
  return storedOpenings(service);
}
