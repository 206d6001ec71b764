// /directory/freshness: how trustworthy the directory is today. The figures as a bar picture
// (SVG, sized by attributes: the CSP allows no inline styles) with the same numbers in a table
// beside it, then the verification queue (most urgent first) with a CSV download of it.
import { useEffect, useState } from 'preact/hooks';
import type { User } from '../api';
import { Button, errorsFromException } from '../components/forms';
import { DirectoryNav } from '../components/Directory';
import { Link, Loading, formatTime, usePageTitle } from '../components/ui';
import { freshnessRows, longDate, needLabel, needTone, plural, queueCsv, type Freshness, type FreshnessRow } from '../directory';
import { directory } from '../directoryApi';

const QUEUE_LIMIT = 50;

function Bars({ rows }: { rows: FreshnessRow[] }) {
  return (
    <ul class="bars" aria-hidden="true" data-testid="freshness-bars">
      {rows.map((r) => (
        <li key={r.key} class="bars__item">
          <span class="bars__label">{r.label}</span>
          <span class="bars__row">
            <svg class="bars__svg" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">
              <rect class="bars__track" x="0" y="0" width="100" height="10" />
              <rect class={`bars__fill bars__fill--${r.tone}`} x="0" y="0" width={String(r.percent)} height="10" data-percent={r.percent} />
            </svg>
            <span class="bars__value">{r.value}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

function useCsvUrl(f: Freshness | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!f) return;
    const u = URL.createObjectURL(new Blob([queueCsv(f.queue)], { type: 'text/csv;charset=utf-8' }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [f]);
  return url;
}

export function FreshnessPage({ user }: { user: User }) {
  usePageTitle('Directory freshness');
  const [data, setData] = useState<Freshness | null>(null);
  const [error, setError] = useState<string | null>(null);
  const csv = useCsvUrl(data);

  const load = async () => {
    setError(null);
    try {
      setData(await directory.freshness(QUEUE_LIMIT));
    } catch (e) {
      setError(errorsFromException(e, []).detail);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const rows = data ? freshnessRows(data) : [];
  const day = data ? data.at.slice(0, 10) : '';

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Directory freshness</h1>
      </div>
      <DirectoryNav user={user} current="freshness" />
      {error && (
        <div class="error-summary" role="alert">
          <h2 class="error-summary__title">There is a problem</h2>
          <p class="error-summary__detail">{error}</p>
          <Button variant="secondary" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      )}
      {!data ? (
        !error && <Loading label="Loading the figures…" />
      ) : (
        <>
          <p class="lede">
            As of {formatTime(data.at)}. Openings count only when the provider confirmed them in the last {plural(data.openings_window_days, 'day')}.
          </p>
          <section class="columns freshness" aria-labelledby="freshness-figures">
            <h2 id="freshness-figures" class="visually-hidden">
              The figures
            </h2>
            <figure class="card freshness__picture">
              <figcaption class="freshness__caption">Share of the {plural(data.summary.services, 'listed service')}</figcaption>
              <Bars rows={rows} />
            </figure>
            <div class="card">
              <table class="table freshness__table" data-testid="freshness-table">
                <caption class="freshness__caption">The figures</caption>
                <thead>
                  <tr>
                    <th scope="col">Measure</th>
                    <th scope="col" class="num">
                      Services
                    </th>
                    <th scope="col" class="num">
                      Share
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.key} data-key={r.key}>
                      <th scope="row">{r.label}</th>
                      <td class="num" data-testid={`figure-${r.key}`}>
                        {r.value}
                      </td>
                      <td class="num">{r.key === 'services' ? '—' : `${r.percent}%`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section aria-labelledby="verify-queue">
            <div class="page-head">
              <h2 id="verify-queue">Verification queue</h2>
              {csv && data.queue.length > 0 && (
                <a href={csv} download={`verification-queue-${day}.csv`} class="button button--secondary" data-testid="queue-csv">
                  Download CSV
                </a>
              )}
            </div>
            <p data-testid="queue-total">
              {data.queue_total === 0
                ? 'Nothing needs checking.'
                : data.queue_total > data.queue.length
                  ? `${plural(data.queue_total, 'check')} due; the ${data.queue.length} most urgent are shown (and in the CSV).`
                  : `${plural(data.queue_total, 'check')} due, most urgent first.`}
            </p>
            {data.queue.length > 0 && (
              <table class="table table--stack" data-testid="verify-queue-table">
                <caption class="visually-hidden">Services to check, most urgent first</caption>
                <thead>
                  <tr>
                    <th scope="col">Service</th>
                    <th scope="col">Why</th>
                    <th scope="col">Due</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {data.queue.map((q, i) => (
                    <tr key={`${q.service_id}-${q.reason}-${i}`} data-service-id={q.service_id} data-reason={q.reason}>
                      <th scope="row" data-label="Service" class="break">
                        <Link href={`/directory/services/${encodeURIComponent(q.service_id)}`}>{q.service_name || 'Unnamed service'}</Link>
                      </th>
                      <td data-label="Why">
                        <span class={`tag tag--${needTone(q.reason)}`}>{needLabel(q.reason)}</span>
                      </td>
                      <td data-label="Due" class="nowrap">
                        <time dateTime={q.due_at}>{longDate(q.due_at)}</time>
                      </td>
                      <td data-label="Detail" class="break">
                        {q.detail || '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </>
  );
}
