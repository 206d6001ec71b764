// /directory/imports (admins): upload an HSDS file (.json or .ndjson) to import, or only to
// check; /directory/imports/:id follows the job (a progress bar: bytes read of the total and
// records so far, polled every 500 ms) and then shows the report: imported or not, the counts
// per record type and every issue. The job runs on the server: leaving the page does not stop
// it, and its address (also listed under "Recent imports") shows it again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type User } from '../api';
import { Button, CheckboxField, ErrorSummary, FieldShell, errorsFromException, useFormErrors } from '../components/forms';
import { DirectoryNav } from '../components/Directory';
import { Link, Loading, Notice, Time, usePageTitle } from '../components/ui';
import {
  formatBytes,
  importFinished,
  importFormat,
  type ImportFormat,
  csvPackageFiles,
  csvPackageBody,
  importOutcome,
  importProgress,
  plural,
  recentImports,
  rememberImport,
  resourceLabel,
  type ImportJob,
} from '../directory';
import { directory } from '../directoryApi';
import { navigate } from '../router';

export const POLL_MS = 500;
const ID = 'import-';
const FIELDS = ['file'] as const;

export function ImportsPage({ user }: { user: User }) {
  usePageTitle('Import the directory');
  const [file, setFile] = useState<File | null>(null);
  const [folder, setFolder] = useState<File[] | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [strict, setStrict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [recent] = useState(() => recentImports());
  const { errors, setErrors, clear, focusKey } = useFormErrors();

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const fail = (text: string) => setErrors({ detail: null, fields: { file: [text] }, general: [] });
    let upload: { body: Blob; format: ImportFormat; name: string };
    if (folder && folder.length) {
      const picked = csvPackageFiles(folder);
      if ('error' in picked) return fail(picked.error);
      upload = { body: await csvPackageBody(picked.files), format: 'csv', name: picked.folder };
    } else if (file) {
      const format = importFormat(file.name);
      if (!format) return fail('The file must be .json or .ndjson (one JSON object a line)');
      upload = { body: file, format, name: file.name };
    } else {
      return fail('Choose a .json or .ndjson file, or a CSV data package folder, to import');
    }
    clear();
    setBusy(true);
    try {
      const job = await directory.startImport(upload.body, { format: upload.format, dryRun, strict, name: upload.name });
      rememberImport(job);
      navigate(`/directory/imports/${encodeURIComponent(job.id)}`);
    } catch (err) {
      setErrors(errorsFromException(err, FIELDS, { format: 'file', name: 'file', body: 'file' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Import the directory</h1>
      </div>
      <DirectoryNav user={user} current="imports" />
      <div class="narrow">
        <p>
          Upload Open Referral HSDS 3.1 data: a <code>.json</code> file (one object, a list, an HSDS page or a tabular document), an <code>.ndjson</code> file (one
          object a line), or a CSV data package (a folder with <code>datapackage.json</code> and the <code>.csv</code> tables). Records are added or updated by
          id; an import is all or nothing.
        </p>
        <ErrorSummary errors={errors} order={FIELDS} idPrefix={ID} focusKey={focusKey} />
        <form class="form" method="post" noValidate onSubmit={onSubmit} aria-label="Import a file">
          <FieldShell id={`${ID}file`} label="File to import" hint="A .json or .ndjson file." errors={errors.fields.file}>
            {(describedBy, invalid) => (
              <input
                type="file"
                id={`${ID}file`}
                name="file"
                class={`file-input${invalid ? ' input--error' : ''}`}
                accept=".json,.ndjson,.jsonl,application/json,application/x-ndjson"
                aria-describedby={describedBy}
                aria-invalid={invalid ? 'true' : undefined}
                onChange={(ev) => setFile((ev.currentTarget as HTMLInputElement).files?.[0] ?? null)}
              />
            )}
          </FieldShell>
          <FieldShell
            id={`${ID}folder`}
            label="Or a CSV data package folder"
            hint="A folder with datapackage.json and the HSDS .csv tables (used instead of the file above)."
            errors={undefined}
          >
            {(describedBy) => (
              <input
                type="file"
                id={`${ID}folder`}
                name="folder"
                class="file-input"
                multiple
                {...{ webkitdirectory: true }}
                aria-describedby={describedBy}
                onChange={(ev) => setFolder(Array.from((ev.currentTarget as HTMLInputElement).files ?? []))}
              />
            )}
          </FieldShell>
          <CheckboxField
            id={`${ID}dry-run`}
            name="dry_run"
            label="Check only (dry run)"
            hint="Reads and checks every record and reports what would change, without writing anything."
            checked={dryRun}
            onValue={setDryRun}
          />
          <CheckboxField
            id={`${ID}strict`}
            name="strict"
            label="Strict references"
            hint="A record that points at one that is neither in the file nor already in the directory is an error, not a warning."
            checked={strict}
            onValue={setStrict}
          />
          <Button type="submit" busy={busy} data-testid="import-start">
            {busy ? 'Uploading…' : dryRun ? 'Upload and check' : 'Upload and import'}
          </Button>
        </form>
        {recent.length > 0 && (
          <section aria-labelledby="recent-imports">
            <h2 id="recent-imports">Recent imports in this browser</h2>
            <ul data-testid="recent-imports">
              {recent.map((r) => (
                <li key={r.id}>
                  <Link href={`/directory/imports/${encodeURIComponent(r.id)}`}>{r.name || r.id}</Link>, started <Time iso={r.at} empty="—" />
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </>
  );
}

export function ImportJobPage({ id, user }: { id: string; user: User }) {
  const [job, setJob] = useState<ImportJob | null>(null);
  const [loadError, setLoadError] = useState<{ status: number; text: string } | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const wasRunning = useRef(false);

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const j = await directory.getImport(id);
        if (stopped) return;
        setJob(j);
        setLoadError(null);
        setPollError(null);
        if (importFinished(j)) {
          if (wasRunning.current) setAnnounce(importOutcome(j).text);
          return;
        }
        if (!wasRunning.current) setAnnounce(j.state === 'queued' ? 'The import is waiting to start.' : 'The import is running.');
        wasRunning.current = true;
        timer.current = setTimeout(() => void poll(), POLL_MS);
      } catch (e) {
        if (stopped) return;
        const status = e instanceof ApiError ? e.status : 0;
        const text = errorsFromException(e, []).detail ?? 'Something went wrong.';
        if (status === 404 || status === 403) {
          setLoadError({ status, text });
          return;
        }
        // The job keeps running on the server: try again a little later.
        setPollError(text);
        timer.current = setTimeout(() => void poll(), POLL_MS * 4);
      }
    };
    wasRunning.current = false;
    setJob(null);
    void poll();
    return () => {
      stopped = true;
      if (timer.current) clearTimeout(timer.current);
    };
  }, [id]);

  const finished = job ? importFinished(job) : false;
  useEffect(() => {
    if (finished && wasRunning.current) resultRef.current?.focus();
  }, [finished]);

  const title = job ? `${job.dry_run ? 'Check' : 'Import'}: ${job.name || 'file'}` : 'Import';
  usePageTitle(title);

  return (
    <>
      <p class="back">
        <Link href="/directory/imports">Back to imports</Link>
      </p>
      <h1 tabIndex={-1} class="break">
        {title}
      </h1>
      <DirectoryNav user={user} current="imports" />
      <p class="visually-hidden" role="status">
        {announce}
      </p>
      {loadError ? (
        loadError.status === 404 ? (
          <p data-testid="import-not-found">There is no import with this address. Imports are kept for a while after they finish.</p>
        ) : (
          <div class="error-summary" role="alert">
            <p class="error-summary__detail">{loadError.text}</p>
          </div>
        )
      ) : !job ? (
        <Loading label="Loading the import…" />
      ) : (
        <>
          <dl class="summary-list">
            <div class="summary-list__row">
              <dt>File</dt>
              <dd class="break">
                {job.name || '—'} ({formatBytes(job.bytes_total)})
              </dd>
            </div>
            <div class="summary-list__row">
              <dt>Options</dt>
              <dd>{[job.dry_run ? 'Check only (dry run)' : 'Import', job.strict ? 'strict references' : 'missing references are warnings'].join(', ')}</dd>
            </div>
            <div class="summary-list__row">
              <dt>Started</dt>
              <dd>
                <Time iso={job.started_at} empty="—" />
              </dd>
            </div>
            {job.finished_at && (
              <div class="summary-list__row">
                <dt>Finished</dt>
                <dd>
                  <Time iso={job.finished_at} empty="—" />
                </dd>
              </div>
            )}
          </dl>
          {pollError && (
            <Notice kind="warning" testId="import-poll-error">
              Could not check on the import: {pollError} Trying again.
            </Notice>
          )}
          {!finished ? <Progress job={job} /> : <Report job={job} resultRef={resultRef} />}
        </>
      )}
    </>
  );
}

function Progress({ job }: { job: ImportJob }) {
  const p = importProgress(job);
  return (
    <div class="import-progress" data-testid="import-progress" data-state={job.state}>
      <label class="field__label" for="import-progress-bar">
        {job.state === 'queued' ? 'Waiting to start' : job.dry_run ? 'Checking' : 'Importing'}
      </label>
      {p.percent === null ? (
        <progress id="import-progress-bar" class="progress" aria-describedby="import-progress-text" />
      ) : (
        <progress id="import-progress-bar" class="progress" max={100} value={p.percent} aria-describedby="import-progress-text" />
      )}
      <p id="import-progress-text" class="import-progress__text" data-testid="import-progress-text">
        {p.text}
      </p>
      <p class="hint">You can leave this page: the import carries on, and this address shows it again.</p>
    </div>
  );
}

function Report({ job, resultRef }: { job: ImportJob; resultRef: { current: HTMLDivElement | null } }) {
  const outcome = importOutcome(job);
  const r = job.report;
  const counts = r ? Object.entries(r.counts ?? {}).sort(([a], [b]) => a.localeCompare(b)) : [];
  const errorsFirst = r ? [...r.issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1)) : [];
  return (
    <div data-testid="import-report" data-imported={r?.imported ? 'true' : 'false'}>
      <div tabIndex={-1} ref={resultRef} class="focus-target">
        <div class={`notice notice--${outcome.ok ? 'success' : 'warning'}`} data-testid="import-outcome">
          <h2 class="notice__title">{outcome.text}</h2>
          {r && (
            <p>
              {plural(r.records, 'record')} read.
              {r.dangling_total > 0 && ` ${plural(r.dangling_total, 'reference')} to records neither in the file nor in the directory.`}
            </p>
          )}
        </div>
      </div>
      {counts.length > 0 && (
        <section aria-labelledby="import-counts">
          <h2 id="import-counts">{job.dry_run ? 'What would change' : r?.imported ? 'What changed' : 'What would have changed'}</h2>
          <table class="table table--stack" data-testid="import-counts-table">
            <caption class="visually-hidden">Records by type</caption>
            <thead>
              <tr>
                <th scope="col">Record type</th>
                <th scope="col" class="num">
                  Added
                </th>
                <th scope="col" class="num">
                  Updated
                </th>
                <th scope="col" class="num">
                  Unchanged
                </th>
              </tr>
            </thead>
            <tbody>
              {counts.map(([type, c]) => (
                <tr key={type} data-type={type}>
                  <th scope="row" data-label="Record type">
                    {resourceLabel(type)}
                  </th>
                  <td data-label="Added" class="num">
                    {c.added}
                  </td>
                  <td data-label="Updated" class="num">
                    {c.updated}
                  </td>
                  <td data-label="Unchanged" class="num">
                    {c.unchanged}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {r && r.issues.length > 0 && (
        <section aria-labelledby="import-issues">
          <h2 id="import-issues">Issues</h2>
          {r.issues_total > r.issues.length && (
            <p data-testid="import-issues-more">
              The first {r.issues.length} of {plural(r.issues_total, 'issue')} are shown.
            </p>
          )}
          <table class="table table--stack" data-testid="import-issues-table">
            <caption class="visually-hidden">Issues found, errors first</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Where</th>
                <th scope="col">Record type</th>
                <th scope="col">Id</th>
                <th scope="col">Field</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {errorsFirst.map((i, n) => (
                <tr key={n} data-severity={i.severity}>
                  <td data-label="Kind">
                    <span class={`tag tag--${i.severity === 'error' ? 'red' : 'amber'}`}>{i.severity === 'error' ? 'Error' : 'Warning'}</span>
                  </td>
                  <td data-label="Where" class="break">
                    {i.where || '—'}
                  </td>
                  <td data-label="Record type">{i.resource ? resourceLabel(i.resource) : '—'}</td>
                  <td data-label="Id" class="break input--mono">
                    {i.id || '—'}
                  </td>
                  <td data-label="Field" class="break">
                    {i.field || '—'}
                  </td>
                  <td data-label="Problem" class="break">
                    {i.message}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <p>
        <Link href="/directory/imports" class="button button--secondary">
          Import another file
        </Link>
      </p>
    </div>
  );
}
