// /provider: the provider portal's home, "Your listings". Each listing with its state in words,
// its openings and when they were last confirmed, and "Still taking clients": one click confirms
// the number shown (changed first if it is different now), as of today.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../api';
import { Button, errorsFromException } from '../components/forms';
import { ListingTag, OpeningsConfirm } from '../components/Directory';
import { Link, Loading, Notice, usePageTitle } from '../components/ui';
import { listingOf, openingsText, openingsToConfirm, plural, type HsdsObject, type ServiceSummary } from '../directory';
import { directory } from '../directoryApi';

export function ProviderHomePage({ user }: { user: User }) {
  usePageTitle('Your listings');
  const [items, setItems] = useState<ServiceSummary[] | null>(null);
  /** The HSDS service of listings whose openings no longer count: the last number given is in it. */
  const [services, setServices] = useState<Record<string, HsdsObject>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; text: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  const load = async () => {
    setError(null);
    try {
      const { services: list } = await directory.myServices();
      setItems(list);
      // Servers that send `openings.available` need no second request.
      const unsure = list.filter(
        (s) => s.openings.available === undefined && listingOf(s.status) !== 'removed' && (s.openings.stale || !s.openings.last_confirmed_at),
      );
      const details = await Promise.all(unsure.map((s) => directory.myService(s.id).catch(() => null)));
      const byId: Record<string, HsdsObject> = {};
      details.forEach((d) => {
        if (d) byId[d.id] = d.service ?? {};
      });
      setServices(byId);
    } catch (e) {
      setError(errorsFromException(e, []).detail);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const confirm = async (s: ServiceSummary, n: number) => {
    if (busy) return;
    setBusy(s.id);
    setRowError(null);
    setDone(null);
    try {
      const updated = await directory.confirmOpenings(s.id, n);
      setItems((prev) => (prev ?? []).map((x) => (x.id === s.id ? { ...x, ...updated } : x)));
      setDone(`Thank you: ${plural(n, 'opening')} for ${s.name} confirmed as of today.`);
    } catch (e) {
      setRowError({ id: s.id, text: errorsFromException(e, []).detail ?? 'Something went wrong. Try again.' });
    } finally {
      setBusy(null);
    }
  };

  const now = Date.now();
  return (
    <>
      <h1 tabIndex={-1}>Your listings</h1>
      <p class="lede">Welcome, {user.name || user.email}. Keep your openings current so people are referred to you only when you can see them.</p>
      <div tabIndex={-1} ref={doneRef} class="focus-target">
        {done && <Notice testId="openings-confirmed">{done}</Notice>}
      </div>
      {error && (
        <div class="error-summary" role="alert">
          <h2 class="error-summary__title">There is a problem</h2>
          <p class="error-summary__detail">{error}</p>
          <Button variant="secondary" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      )}
      {items === null ? (
        !error && <Loading label="Loading your listings…" />
      ) : items.length === 0 ? (
        <div class="card" data-testid="listings-empty">
          <h2>No listings yet</h2>
          <p>Your account is not linked to an organization in the directory, or it has no services. Ask the Soundcheck team to link it.</p>
        </div>
      ) : (
        <ul class="listings" data-testid="listings">
          {items.map((s) => {
            const removed = listingOf(s.status) === 'removed';
            const initial = openingsToConfirm(s.openings, services[s.id]);
            return (
              <li key={s.id} class="card listing" data-service-id={s.id} data-testid="listing">
                <h2 class="listing__name break">
                  <Link href={`/provider/services/${encodeURIComponent(s.id)}`}>{s.name || 'Unnamed service'}</Link>
                </h2>
                <dl class="summary-list">
                  <div class="summary-list__row">
                    <dt>Listing</dt>
                    <dd>
                      <ListingTag status={s.status} />
                    </dd>
                  </div>
                  <div class="summary-list__row">
                    <dt>Openings</dt>
                    <dd data-testid="listing-openings">{openingsText(s.openings, now)}</dd>
                  </div>
                </dl>
                {removed ? (
                  <p class="muted">This listing is removed and is not shown anywhere.</p>
                ) : (
                  <OpeningsConfirm
                    key={`${s.id}-${String(s.version)}-${initial ?? ''}`}
                    serviceId={s.id}
                    serviceName={s.name}
                    initial={initial}
                    busy={busy === s.id}
                    error={rowError?.id === s.id ? rowError.text : null}
                    onConfirm={(n) => void confirm(s, n)}
                  />
                )}
                {!removed && (
                  <p class="listing__links">
                    <Link href={`/provider/services/${encodeURIComponent(s.id)}`} data-testid="listing-edit">
                      Edit listing<span class="visually-hidden"> {s.name}</span>
                    </Link>
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
