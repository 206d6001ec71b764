// "Organization in the directory" on the user edit page of a provider account (admins): which
// organization this provider speaks for. GET the link (404: not linked), PUT a new one.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import type { ProviderLink } from '../directory';
import { directory } from '../directoryApi';
import { Button, ErrorSummary, TextField, errorsFromException, useFormErrors } from './forms';
import { Link, Loading, Notice } from './ui';

const ID = 'provider-link-';
const FIELDS = ['organization_id'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function ProviderLinkSection({ userId }: { userId: string }) {
  const [link, setLink] = useState<ProviderLink | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const savedRef = useRef<HTMLDivElement>(null);

  const load = async () => {
    setLoadError(null);
    try {
      const l = await directory.getProviderLink(userId);
      setLink(l);
      setValue(l?.organization_id ?? '');
    } catch (e) {
      setLoadError(errorsFromException(e, []).detail);
    }
  };
  useEffect(() => {
    setLink(undefined);
    void load();
  }, [userId]);
  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setSaved(false);
    const v = value.trim();
    if (v === '') {
      setErrors({ detail: null, fields: { organization_id: ['Enter the organization’s id'] }, general: [] });
      return;
    }
    if (!UUID.test(v)) {
      setErrors({ detail: null, fields: { organization_id: ['The organization id is a UUID, like 0b6c4a52-6f0d-4c8e-9a57-3f2e8d1c7b90'] }, general: [] });
      return;
    }
    clear();
    setBusy(true);
    try {
      const l = await directory.setProviderLink(userId, v);
      setLink(l);
      setValue(l.organization_id);
      setSaved(true);
    } catch (err) {
      const fe = errorsFromException(err, FIELDS);
      // A 404 here is the organization: not in the directory.
      const status = err instanceof ApiError ? err.status : 0;
      if (status === 404 && !fe.fields.organization_id) fe.fields = { ...fe.fields, organization_id: ['There is no organization with this id in the directory'] };
      if (status === 422 && !fe.fields.organization_id && fe.general.length === 0) fe.fields = { ...fe.fields, organization_id: [fe.detail ?? 'This organization id is not valid'] };
      setErrors(fe);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card card--spaced provider-link" aria-labelledby="provider-link-title" data-testid="provider-link">
      <h2 id="provider-link-title">Organization in the directory</h2>
      <p>A provider sees and edits the listings of the organization their account is linked to.</p>
      {loadError ? (
        <div class="error-summary" role="alert">
          <p class="error-summary__detail">{loadError}</p>
          <Button variant="secondary" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      ) : link === undefined ? (
        <Loading label="Loading the link…" />
      ) : (
        <>
          <div tabIndex={-1} ref={savedRef} class="focus-target">
            {saved && <Notice testId="provider-link-saved">Linked.</Notice>}
          </div>
          <p data-testid="provider-link-current">
            {link ? (
              <>
                Linked to <strong>{link.organization_name || 'an organization without a name'}</strong>
                <span class="muted break"> ({link.organization_id})</span>.
              </>
            ) : (
              'Not linked to an organization yet.'
            )}
          </p>
          <ErrorSummary errors={errors} order={FIELDS} idPrefix={ID} focusKey={focusKey} />
          <form class="form" method="post" noValidate onSubmit={onSubmit} aria-labelledby="provider-link-title">
            <TextField
              id={`${ID}organization_id`}
              name="organization_id"
              label="Organization id"
              hint={
                <>
                  The organization’s id in the directory (find it on a service of theirs in the <Link href="/directory">directory</Link>).
                </>
              }
              autoComplete="off"
              spellcheck={false}
              inputClass="input--mono"
              value={value}
              onValue={setValue}
              errors={errors.fields.organization_id}
            />
            <Button type="submit" busy={busy} data-testid="provider-link-save">
              {busy ? 'Saving…' : link ? 'Change the organization' : 'Link the organization'}
            </Button>
          </form>
        </>
      )}
    </section>
  );
}
