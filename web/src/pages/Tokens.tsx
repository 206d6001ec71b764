import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type ApiToken, type NewApiToken } from '../api';
import { CopyButton } from '../components/CopyButton';
import { Button, ErrorSummary, TextField, errorsFromException, useFormErrors } from '../components/forms';
import { Loading, Notice, Time, usePageTitle } from '../components/ui';

const FIELDS = ['name'] as const;
const ID = 'token-';

export function TokensPage() {
  usePageTitle('API tokens');
  const [items, setItems] = useState<ApiToken[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [listBusy, setListBusy] = useState(false);
  const [listError, setListError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [revoking, setRevoking] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const createdRef = useRef<HTMLDivElement>(null);

  const load = async (from: string | null) => {
    setListBusy(true);
    setListError(null);
    try {
      const page = await api.listTokens(from);
      setItems((prev) => {
        const base = from && prev ? prev : [];
        const seen = new Set(base.map((t) => t.id));
        return [...base, ...page.items.filter((t) => !seen.has(t.id))];
      });
      setCursor(page.next_cursor ?? null);
    } catch (e) {
      setListError(errorsFromException(e, []).detail);
    } finally {
      setListBusy(false);
    }
  };

  useEffect(() => {
    void load(null);
  }, []);

  useEffect(() => {
    if (created) createdRef.current?.focus();
  }, [created]);

  const onCreate = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setStatus(null);
    if (name.trim() === '') {
      setErrors({ detail: null, fields: { name: ['Enter a name for the token'] }, general: [] });
      return;
    }
    clear();
    setBusy(true);
    try {
      const t = await api.createToken(name.trim());
      setCreated(t);
      setName('');
      void load(null);
    } catch (err) {
      setErrors(errorsFromException(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const onRevoke = async (t: ApiToken) => {
    if (revoking) return;
    setRevoking(true);
    setStatus(null);
    try {
      await api.revokeToken(t.id);
      setConfirming(null);
      if (created?.id === t.id) setCreated(null);
      setStatus(`The token “${t.name}” was revoked.`);
      await load(null);
      document.getElementById('tokens-heading')?.focus();
    } catch (err) {
      setConfirming(null);
      setListError(errorsFromException(err, []).detail);
    } finally {
      setRevoking(false);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>API tokens</h1>
      <p class="lede">
        A token lets a script or partner app use the Soundcheck API as you, with your role. Keep tokens secret, like
        passwords, and revoke any you no longer use.
      </p>

      {created && (
        <div class="notice notice--success token-once" tabIndex={-1} ref={createdRef} data-testid="new-token-panel">
          <h2 class="notice__title">Copy your new token now</h2>
          <p>This is the only time it is shown. If you lose it, revoke it and create another.</p>
          <div class="field">
            <label class="field__label" for="new-token-value">
              Token “{created.name}”
            </label>
            <div class="copy-row">
              <input
                id="new-token-value"
                class="input input--mono"
                type="text"
                readOnly
                value={created.token}
                data-testid="new-token"
                spellcheck={false}
                autoComplete="off"
                onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
              />
              <CopyButton text={created.token} label="Copy token" testId="copy-token" />
            </div>
          </div>
          <Button variant="secondary" onClick={() => setCreated(null)}>
            I have copied it
          </Button>
        </div>
      )}

      <div class="columns">
        <section class="card" aria-labelledby="create-token">
          <h2 id="create-token">Create a token</h2>
          <ErrorSummary errors={errors} order={FIELDS} idPrefix={ID} focusKey={focusKey} />
          <form class="form" method="post" noValidate onSubmit={onCreate} aria-labelledby="create-token">
            <TextField
              id={`${ID}name`}
              name="name"
              type="text"
              label="Token name"
              hint="Something to recognise it by, such as the script that uses it."
              autoComplete="off"
              required
              value={name}
              onValue={setName}
              errors={errors.fields.name}
            />
            <Button type="submit" busy={busy}>
              {busy ? 'Creating token…' : 'Create token'}
            </Button>
          </form>
        </section>

        <section class="card card--wide" aria-labelledby="tokens-heading">
          <h2 id="tokens-heading" tabIndex={-1}>
            Your tokens
          </h2>
          {status && <Notice>{status}</Notice>}
          {listError && (
            <div class="error-summary" role="alert">
              <h3 class="error-summary__title">There is a problem</h3>
              <p class="error-summary__detail">{listError}</p>
              <Button variant="secondary" onClick={() => void load(null)}>
                Try again
              </Button>
            </div>
          )}
          {items === null ? (
            !listError && <Loading label="Loading tokens…" />
          ) : items.length === 0 ? (
            <p>You have no API tokens.</p>
          ) : (
            <table class="table table--stack" data-testid="tokens-table">
              <caption class="visually-hidden">Your API tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((t) => (
                  <tr key={t.id} data-token-id={t.id}>
                    <th scope="row" data-label="Name" class="break">
                      {t.name}
                    </th>
                    <td data-label="Created">
                      <Time iso={t.created_at} empty="—" />
                    </td>
                    <td data-label="Last used">
                      <Time iso={t.last_used_at} />
                    </td>
                    <td data-label="Status">
                      {t.revoked_at ? (
                        <span class="tag tag--grey">
                          Revoked <Time iso={t.revoked_at} />
                        </span>
                      ) : (
                        <span class="tag tag--green">Active</span>
                      )}
                    </td>
                    <td data-label="Actions" class="table__actions">
                      {!t.revoked_at &&
                        (confirming === t.id ? (
                          <div class="confirm" role="group" aria-label={`Revoke ${t.name}?`}>
                            <p class="confirm__text">Revoke “{t.name}”? Anything using it stops working at once.</p>
                            <div class="button-group">
                              <Button variant="danger" busy={revoking} onClick={() => void onRevoke(t)} data-testid="confirm-revoke">
                                {revoking ? 'Revoking…' : 'Yes, revoke'}
                              </Button>
                              <Button variant="link" onClick={() => setConfirming(null)}>
                                Cancel
                              </Button>
                            </div>
                          </div>
                        ) : (
                          <Button variant="secondary" onClick={() => setConfirming(t.id)} data-testid="revoke">
                            Revoke<span class="visually-hidden"> {t.name}</span>
                          </Button>
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {items !== null && cursor && (
            <p>
              <Button variant="secondary" busy={listBusy} onClick={() => void load(cursor)}>
                {listBusy ? 'Loading…' : 'Load more tokens'}
              </Button>
            </p>
          )}
        </section>
      </div>
    </>
  );
}
