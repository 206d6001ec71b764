// /directory: the provider directory for staff. A search (kept in the address with the page, so
// Back and reload keep it), the services with their status, openings, when they were last
// verified and what needs checking, and pages of 25 with the total.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../api';
import { Button, TextField, errorsFromException } from '../components/forms';
import { DirectoryNav, NeedBadges, StatusTag, VerifiedText } from '../components/Directory';
import { Link, Loading, usePageTitle } from '../components/ui';
import { directoryHref, directoryQuery, openingsText, pageCount, plural, type ServicePage } from '../directory';
import { directory } from '../directoryApi';
import { navigate } from '../router';

export const PER_PAGE = 25;

export function DirectoryPage({ user, search }: { user: User; search: string }) {
  usePageTitle('Directory');
  const q = directoryQuery(search);
  const key = directoryHref(q);
  const [text, setText] = useState(q.search);
  const [data, setData] = useState<ServicePage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const now = Date.now();

  const load = async () => {
    const id = ++seq.current;
    setBusy(true);
    setError(null);
    try {
      const page = await directory.listServices(q.search, q.page, PER_PAGE);
      if (id !== seq.current) return;
      setData(page);
    } catch (e) {
      if (id !== seq.current) return;
      setError(errorsFromException(e, []).detail);
    } finally {
      if (id === seq.current) setBusy(false);
    }
  };

  useEffect(() => {
    setText(q.search);
    void load();
  }, [key]);

  const onSearch = (e: Event) => {
    e.preventDefault();
    navigate(directoryHref({ search: text.trim(), page: 1 }));
  };

  const pages = data ? pageCount(data.total, data.per_page || PER_PAGE) : 1;
  const first = data && data.total > 0 ? (data.page - 1) * (data.per_page || PER_PAGE) + 1 : 0;
  const last = data ? first + data.services.length - (data.services.length ? 1 : 0) : 0;

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Directory</h1>
      </div>
      <DirectoryNav user={user} current="services" />
      <form class="search-form" role="search" aria-label="Search the directory" method="get" action="/directory" onSubmit={onSearch}>
        <TextField
          id="directory-search"
          name="search"
          type="search"
          label="Search services"
          hint="Every word must appear in the name or description."
          autoComplete="off"
          value={text}
          onValue={setText}
        />
        <Button type="submit" variant="secondary" data-testid="directory-search-submit">
          Search
        </Button>
      </form>
      {error && (
        <div class="error-summary" role="alert">
          <h2 class="error-summary__title">There is a problem</h2>
          <p class="error-summary__detail">{error}</p>
          <Button variant="secondary" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      )}
      <p class="visually-hidden" role="status">
        {data && !busy ? `${plural(data.total, 'service')} found.` : ''}
      </p>
      {data === null ? (
        !error && <Loading label="Loading services…" />
      ) : data.total === 0 ? (
        <p data-testid="directory-empty">{q.search ? `No services match “${q.search}”.` : 'The directory is empty. An admin can import one.'}</p>
      ) : (
        <>
          <p class="queue-counts" data-testid="directory-total">
            {q.search ? (
              <>
                <strong>{data.total}</strong> {data.total === 1 ? 'service matches' : 'services match'} “{q.search}”
              </>
            ) : (
              <>
                <strong>{data.total}</strong> {data.total === 1 ? 'service' : 'services'}
              </>
            )}
            {pages > 1 && (
              <>
                {' '}
                — showing {first}–{last}
              </>
            )}
            .
          </p>
          <table class="table table--stack directory" data-testid="directory-table">
            <caption class="visually-hidden">Services{q.search ? ` matching “${q.search}”` : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Status</th>
                <th scope="col">Openings</th>
                <th scope="col">Verified</th>
                <th scope="col">Needs</th>
              </tr>
            </thead>
            <tbody>
              {data.services.map((s) => (
                <tr key={s.id} data-service-id={s.id}>
                  <th scope="row" data-label="Service" class="break">
                    <Link href={`/directory/services/${encodeURIComponent(s.id)}`} class="directory__name">
                      {s.name || 'Unnamed service'}
                    </Link>
                    {s.organization_name && <span class="directory__org muted">{s.organization_name}</span>}
                  </th>
                  <td data-label="Status">
                    <StatusTag status={s.status} />
                  </td>
                  <td data-label="Openings" data-testid="openings" class={s.openings.stale ? 'openings--stale' : undefined}>
                    {openingsText(s.openings, now)}
                  </td>
                  <td data-label="Verified" data-testid="verified">
                    <VerifiedText iso={s.verified_at} />
                  </td>
                  <td data-label="Needs">
                    <NeedBadges needs={s.needs} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {pages > 1 && (
            <nav class="pager" aria-label="Pages">
              {data.page > 1 ? (
                <Link href={directoryHref({ search: q.search, page: data.page - 1 })} rel="prev" data-testid="page-prev">
                  Previous page
                </Link>
              ) : (
                <span />
              )}
              <span class="pager__where">
                Page {data.page} of {pages}
              </span>
              {data.page < pages ? (
                <Link href={directoryHref({ search: q.search, page: data.page + 1 })} rel="next" data-testid="page-next">
                  Next page
                </Link>
              ) : (
                <span />
              )}
            </nav>
          )}
        </>
      )}
    </>
  );
}
