// One directory service: /directory/services/:id for staff and /provider/services/:id for the
// provider who lists it. The main HSDS facts, an edit form for the fields the server says this
// person may change (PATCH with If-Match; a 412 reloads, says what someone else changed and keeps
// what was typed, unsaved), then for staff "Mark verified today" and the history, and for the
// provider the openings check and the listing state (pause, list again, remove — final). Both see
// the listing's private notes ("Private to the Soundcheck team"), never shown publicly.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type User } from '../api';
import { Button, ErrorSummary, errorsFromException, useFormErrors } from '../components/forms';
import { ConflictNotice, DirectoryNav, HistoryTable, ListingTag, NeedBadges, OpeningsConfirm, ServiceEditFields, ServiceFacts, StatusTag, VerifiedText } from '../components/Directory';
import { PrivateNotesCard } from '../components/PrivateNotes';
import { Link, Loading, Notice, usePageTitle } from '../components/ui';
import {
  buildServicePatch,
  describeFormChanges,
  formFromService,
  listingOf,
  mergeForm,
  openingsText,
  openingsToConfirm,
  plural,
  type FieldChange,
  type ServiceDetail,
  type ServiceForm,
} from '../directory';
import { directory } from '../directoryApi';

type Mode = 'staff' | 'provider';

interface Conflict {
  theirs: FieldChange[];
  yours: FieldChange[];
}

type Message = { kind: 'success' | 'info' | 'warning'; text: string; items?: FieldChange[] } | null;

const ID = 'service-edit-';

export function ServiceDetailPage({ id, user, mode }: { id: string; user: User; mode: Mode }) {
  const [detail, setDetail] = useState<ServiceDetail | null>(null);
  usePageTitle(detail ? detail.name || 'Service' : mode === 'staff' ? 'Service' : 'Your listing');
  const [loadError, setLoadError] = useState<{ status: number; text: string } | null>(null);
  const [base, setBase] = useState<ServiceForm>({});
  const [form, setForm] = useState<ServiceForm>({});
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [actionBusy, setActionBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const messageRef = useRef<HTMLDivElement>(null);
  const latest = useRef({ base, form });
  latest.current = { base, form };

  const fetchDetail = (): Promise<ServiceDetail> => (mode === 'staff' ? directory.getService(id) : directory.myService(id));

  /** Loads the service. `keepEdits`: what the person typed stays; untouched fields follow the server. */
  const load = async (keepEdits: boolean): Promise<ServiceDetail | null> => {
    try {
      const d = await fetchDetail();
      const fresh = formFromService(d.service ?? {}, d.editable ?? []);
      const { base: oldBase, form: oldForm } = latest.current;
      setDetail(d);
      setBase(fresh);
      setForm(keepEdits ? mergeForm(oldBase, fresh, oldForm) : fresh);
      setLoadError(null);
      return d;
    } catch (e) {
      if (!keepEdits) {
        const status = e instanceof ApiError ? e.status : 0;
        setLoadError({ status, text: errorsFromException(e, []).detail ?? 'Something went wrong.' });
      } else {
        setActionError(errorsFromException(e, []).detail);
      }
      return null;
    }
  };

  useEffect(() => {
    setDetail(null);
    setMessage(null);
    setConflict(null);
    void load(false);
  }, [id, mode]);

  useEffect(() => {
    if (message || conflict) messageRef.current?.focus();
  }, [message, conflict]);

  const fields = detail?.editable ?? [];

  const onSave = async (e: Event) => {
    e.preventDefault();
    if (!detail || saving) return;
    setMessage(null);
    setConflict(null);
    setActionError(null);
    const { patch, errors: local } = buildServicePatch(base, form, fields);
    if (Object.keys(local).length) {
      setErrors({ detail: null, fields: local, general: [] });
      return;
    }
    clear();
    if (Object.keys(patch).length === 0) {
      setMessage({ kind: 'info', text: 'There were no changes to save.' });
      return;
    }
    setSaving(true);
    const before = base;
    try {
      await (mode === 'staff' ? directory.editService(detail.id, detail.version, patch) : directory.editMyService(detail.id, detail.version, patch));
      const changes = describeFormChanges(before, form, Object.keys(patch));
      const d = await load(false);
      setMessage({ kind: 'success', text: d ? 'Changes saved.' : 'Changes saved. Reload the page to see them.', items: changes });
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        // Someone else saved first: show the newer version, say what they changed, keep what was typed.
        const typed = form;
        try {
          const d = await fetchDetail();
          const fresh = formFromService(d.service ?? {}, d.editable ?? []);
          const merged = mergeForm(before, fresh, typed);
          setDetail(d);
          setBase(fresh);
          setForm(merged);
          setConflict({
            theirs: describeFormChanges(before, fresh, d.editable ?? []),
            yours: describeFormChanges(fresh, merged, Object.keys(patch)),
          });
        } catch (e2) {
          setErrors(errorsFromException(e2, fields));
        }
      } else if (err instanceof ApiError && err.status === 409) {
        await load(true);
        setErrors(errorsFromException(err, fields));
      } else {
        setErrors(errorsFromException(err, fields));
      }
    } finally {
      setSaving(false);
    }
  };

  const act = async (name: string, run: () => Promise<unknown>, done: string) => {
    if (actionBusy) return;
    setActionBusy(name);
    setActionError(null);
    setMessage(null);
    setConflict(null);
    try {
      await run();
      await load(true);
      setMessage({ kind: 'success', text: done });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        await load(true);
        setActionError('This listing has been removed, so it cannot be changed.');
      } else {
        setActionError(errorsFromException(err, []).detail);
      }
    } finally {
      setActionBusy(null);
      setConfirmRemove(false);
    }
  };

  const back =
    mode === 'staff' ? (
      <p class="back">
        <Link href="/directory">Back to the directory</Link>
      </p>
    ) : (
      <p class="back">
        <Link href="/provider">Back to your listings</Link>
      </p>
    );

  if (loadError) {
    const notFound = loadError.status === 404;
    return (
      <>
        {back}
        <h1 tabIndex={-1}>{notFound ? (mode === 'staff' ? 'Service not found' : 'Listing not found') : mode === 'staff' ? 'Service' : 'Your listing'}</h1>
        {notFound ? (
          <p data-testid="service-not-found">{mode === 'staff' ? 'There is no service with this address in the directory.' : 'This listing is not one of yours, or it does not exist.'}</p>
        ) : (
          <div class="error-summary" role="alert">
            <h2 class="error-summary__title">There is a problem</h2>
            <p class="error-summary__detail">{loadError.text}</p>
            <Button variant="secondary" onClick={() => void load(false)}>
              Try again
            </Button>
          </div>
        )}
      </>
    );
  }

  if (!detail) {
    return (
      <>
        {back}
        <h1 tabIndex={-1}>{mode === 'staff' ? 'Service' : 'Your listing'}</h1>
        <Loading label="Loading the service…" />
      </>
    );
  }

  const listing = listingOf(detail.status);
  const removed = mode === 'provider' && listing === 'removed';
  const now = Date.now();

  return (
    <>
      {back}
      <div tabIndex={-1} ref={messageRef} class="focus-target">
        {conflict && (
          <ConflictNotice
            title="Someone else changed this service while you were editing"
            heading="h2"
            place="page"
            conflict={conflict}
            testId="service-conflict"
          />
        )}
        {message && (
          <Notice kind={message.kind} testId="service-message">
            {message.text}
            {message.items && message.items.length > 0 && (
              <ul>
                {message.items.map((c) => (
                  <li key={c.field}>
                    {c.label}: {c.to}
                  </li>
                ))}
              </ul>
            )}
          </Notice>
        )}
      </div>
      {actionError && (
        <div class="error-summary" role="alert" data-testid="action-error">
          <h2 class="error-summary__title">There is a problem</h2>
          <p class="error-summary__detail">{actionError}</p>
        </div>
      )}
      <h1 tabIndex={-1} class="break" data-testid="service-name">
        {detail.name || 'Unnamed service'}
      </h1>
      {detail.organization_name && <p class="lede">{detail.organization_name}</p>}
      {mode === 'staff' && <DirectoryNav user={user} current="services" />}

      {removed && (
        <div class="notice notice--warning" data-testid="listing-removed">
          <h2 class="notice__title">This listing is removed</h2>
          <p>It is not shown anywhere, and it cannot be listed again. Ask the Soundcheck team if this was a mistake.</p>
        </div>
      )}

      <section class="card card--spaced" aria-labelledby="service-state">
        <h2 id="service-state">{mode === 'staff' ? 'At a glance' : 'Your listing'}</h2>
        <dl class="summary-list">
          <div class="summary-list__row">
            <dt>{mode === 'staff' ? 'Status' : 'Listing'}</dt>
            <dd>{mode === 'staff' ? <StatusTag status={detail.status} /> : <ListingTag status={detail.status} />}</dd>
          </div>
          {mode === 'staff' && detail.organization_id && (
            <div class="summary-list__row">
              <dt>Organization id</dt>
              <dd class="break input--mono" data-testid="service-organization-id">
                {detail.organization_id}
              </dd>
            </div>
          )}
          <div class="summary-list__row">
            <dt>Openings</dt>
            <dd data-testid="service-openings">{openingsText(detail.openings, now)}</dd>
          </div>
          <div class="summary-list__row">
            <dt>Last verified</dt>
            <dd data-testid="service-verified">
              <VerifiedText iso={detail.verified_at} />
            </dd>
          </div>
          {mode === 'staff' && (
            <div class="summary-list__row">
              <dt>Needs checking</dt>
              <dd>
                <NeedBadges needs={detail.needs} />
                {detail.needs.some((n) => n.detail) && (
                  <ul class="plain-list needs-detail">
                    {detail.needs
                      .filter((n) => n.detail)
                      .map((n, i) => (
                        <li key={i} class="muted">
                          {n.detail}
                        </li>
                      ))}
                  </ul>
                )}
              </dd>
            </div>
          )}
        </dl>
        {mode === 'staff' && (
          <Button
            variant="secondary"
            busy={actionBusy === 'verify'}
            data-testid="verify"
            onClick={() => void act('verify', () => directory.verifyService(detail.id), 'Marked as verified today.')}
          >
            {actionBusy === 'verify' ? 'Saving…' : 'Mark verified today'}
          </Button>
        )}
        {mode === 'provider' && !removed && (
          <>
            <OpeningsConfirm
              key={`${detail.id}-${String(detail.version)}`}
              serviceId={detail.id}
              serviceName={detail.name}
              initial={openingsToConfirm(detail.openings, detail.service)}
              busy={actionBusy === 'openings'}
              error={null}
              onConfirm={(n) => void act('openings', () => directory.confirmOpenings(detail.id, n), `Thank you: ${plural(n, 'opening')} confirmed as of today.`)}
            />
            <h3 class="listing-actions__title">Listing</h3>
            <div class="button-group listing-actions">
              {listing === 'listed' || listing === 'closed' ? (
                <Button variant="secondary" busy={actionBusy === 'paused'} data-testid="listing-pause" onClick={() => void act('paused', () => directory.setListing(detail.id, 'paused'), 'Your listing is paused. It is not shown until you list it again.')}>
                  Pause listing
                </Button>
              ) : (
                <Button variant="secondary" busy={actionBusy === 'listed'} data-testid="listing-list" onClick={() => void act('listed', () => directory.setListing(detail.id, 'listed'), 'Your listing is shown again.')}>
                  List again
                </Button>
              )}
              {!confirmRemove && (
                <Button variant="danger" data-testid="listing-remove" onClick={() => setConfirmRemove(true)}>
                  Remove listing
                </Button>
              )}
            </div>
            {confirmRemove && (
              <div class="confirm notice notice--warning" role="group" aria-labelledby="remove-title" data-testid="remove-confirm">
                <h3 id="remove-title" class="notice__title">
                  Remove “{detail.name}”?
                </h3>
                <p class="confirm__text">This is final: the listing is taken out of the directory for good and cannot be listed again. To stop new referrals for a while, pause it instead.</p>
                <div class="button-group">
                  <Button variant="danger" busy={actionBusy === 'removed'} data-testid="listing-remove-confirm" onClick={() => void act('removed', () => directory.setListing(detail.id, 'removed'), 'Your listing is removed.')}>
                    {actionBusy === 'removed' ? 'Removing…' : 'Yes, remove it for good'}
                  </Button>
                  <Button variant="link" onClick={() => setConfirmRemove(false)}>
                    Cancel
                  </Button>
                </div>
              </div>
            )}
          </>
        )}
      </section>

      <section class="card card--spaced" aria-labelledby="service-details">
        <h2 id="service-details">Details</h2>
        <ServiceFacts service={detail.service ?? {}} organizationName={detail.organization_name} />
      </section>

      {!removed && fields.length > 0 && (
        <section class="card card--spaced" aria-labelledby="service-edit">
          <h2 id="service-edit">{mode === 'staff' ? 'Edit the service' : 'Edit your listing'}</h2>
          <ErrorSummary errors={errors} order={fields} idPrefix={ID} focusKey={focusKey} />
          <form class="form" method="post" noValidate onSubmit={onSave} aria-labelledby="service-edit">
            <p class="hint">Leave a field empty to remove it.</p>
            <ServiceEditFields fields={fields} form={form} errors={errors} idPrefix={ID} onField={(f, v) => setForm((x) => ({ ...x, [f]: v }))} />
            <div class="button-group">
              <Button type="submit" busy={saving} data-testid="service-save">
                {saving ? 'Saving…' : 'Save changes'}
              </Button>
            </div>
          </form>
        </section>
      )}

      {!removed && <PrivateNotesCard serviceId={detail.id} viewer={mode} />}

      {mode === 'staff' && (
        <section class="card card--spaced" aria-labelledby="service-history">
          <h2 id="service-history">History</h2>
          <HistoryTable history={detail.history ?? []} me={user.id} />
        </section>
      )}
    </>
  );
}
