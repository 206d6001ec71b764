import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, ROLES, roleLabel, type User } from '../api';
import { Button, CheckboxField, ErrorSummary, SelectField, TextField, errorsFromException, useFormErrors } from '../components/forms';
import { Link, Loading, Notice, Time, usePageTitle } from '../components/ui';
import { ProviderLinkSection } from '../components/ProviderLink';
import { buildPatch, describeChanges, editable, type Change, type EditableUser } from '../userEdit';
import { updateUser as updateSessionUser, getSession } from '../session';

const FIELDS = ['name', 'role', 'disabled'] as const;
const ID = 'edit-user-';
const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: roleLabel(r) }));

interface Conflict {
  theirs: Change[];
  yours: Change[];
}

export function UserEditPage({ id }: { id: string }) {
  usePageTitle('Edit user');
  const [user, setUser] = useState<User | null>(null);
  const [form, setForm] = useState<EditableUser>({ name: '', role: 'member', disabled: false });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<Change[] | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [nothing, setNothing] = useState(false);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const conflictRef = useRef<HTMLDivElement>(null);
  const savedRef = useRef<HTMLDivElement>(null);

  const load = async () => {
    setLoadError(null);
    try {
      const u = await api.getUser(id);
      setUser(u);
      setForm(editable(u));
    } catch (e) {
      setLoadError(errorsFromException(e, []).detail);
    }
  };

  useEffect(() => {
    setUser(null);
    void load();
  }, [id]);

  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);
  useEffect(() => {
    if (saved || nothing) savedRef.current?.focus();
  }, [saved, nothing]);

  const set = <K extends keyof EditableUser>(k: K) => (v: EditableUser[K]) => setForm((f) => ({ ...f, [k]: v }));

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy || !user) return;
    setSaved(null);
    setConflict(null);
    setNothing(false);
    if (form.name.trim() === '') {
      setErrors({ detail: null, fields: { name: ['Enter their name'] }, general: [] });
      return;
    }
    clear();
    const base = editable(user);
    const patch = buildPatch(base, form);
    if (Object.keys(patch).length === 0) {
      setNothing(true);
      return;
    }
    setBusy(true);
    try {
      const updated = await api.updateUser(user.id, user.version, patch);
      setUser(updated);
      setForm(editable(updated));
      setSaved(describeChanges(base, editable(updated)));
      const s = getSession();
      if (s.status === 'signed-in' && s.user.id === updated.id) updateSessionUser({ ...s.user, ...updated });
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        // Someone else saved first: load their version, show what they changed and what of ours was not saved.
        try {
          const fresh = await api.getUser(user.id);
          const theirs = describeChanges(base, editable(fresh));
          const yours = describeChanges(editable(fresh), patch);
          setUser(fresh);
          setForm(editable(fresh));
          setConflict({ theirs, yours });
        } catch (e2) {
          setErrors(errorsFromException(e2, FIELDS));
        }
      } else {
        setErrors(errorsFromException(err, FIELDS));
      }
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <>
        <p class="back">
          <Link href="/users">Back to users</Link>
        </p>
        <h1 tabIndex={-1}>Edit user</h1>
        <div class="error-summary" role="alert">
          <h2 class="error-summary__title">There is a problem</h2>
          <p class="error-summary__detail">{loadError}</p>
          <Button variant="secondary" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      </>
    );
  }

  return (
    <div class="narrow">
      <p class="back">
        <Link href="/users">Back to users</Link>
      </p>
      {conflict && (
        <div class="notice notice--warning" tabIndex={-1} ref={conflictRef} role="alert" data-testid="conflict">
          <h2 class="notice__title">Someone else changed this user while you were editing</h2>
          {conflict.theirs.length > 0 ? (
            <>
              <p>The form now shows their version. They changed:</p>
              <ul>
                {conflict.theirs.map((c) => (
                  <li key={c.field}>
                    {c.label}: {c.from} → {c.to}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>The form now shows the latest version.</p>
          )}
          {conflict.yours.length > 0 && (
            <>
              <p>Your changes were not saved. Make them again if they are still needed:</p>
              <ul>
                {conflict.yours.map((c) => (
                  <li key={c.field}>
                    {c.label}: {c.to}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {(saved || nothing) && (
        <div tabIndex={-1} ref={savedRef} class="focus-target">
          {saved && (
            <Notice testId="saved">
              Changes saved.
              {saved.length > 0 && (
                <ul>
                  {saved.map((c) => (
                    <li key={c.field}>
                      {c.label}: {c.to}
                    </li>
                  ))}
                </ul>
              )}
            </Notice>
          )}
          {nothing && <Notice kind="info">There were no changes to save.</Notice>}
        </div>
      )}
      <ErrorSummary errors={errors} order={FIELDS} idPrefix={ID} focusKey={focusKey} />
      <h1 tabIndex={-1}>Edit user</h1>
      {!user ? (
        <Loading label="Loading user…" />
      ) : (
        <>
          <dl class="summary-list">
            <div class="summary-list__row">
              <dt>Email address</dt>
              <dd class="break" data-testid="edit-email">
                {user.email}
              </dd>
            </div>
            <div class="summary-list__row">
              <dt>Two-step verification</dt>
              <dd>{user.totp_enrolled ? 'Set up' : 'Not set up'}</dd>
            </div>
            <div class="summary-list__row">
              <dt>Created</dt>
              <dd>
                <Time iso={user.created_at} empty="—" />
              </dd>
            </div>
          </dl>
          <form class="form" method="post" noValidate onSubmit={onSubmit} aria-label="Edit user">
            <TextField
              id={`${ID}name`}
              name="name"
              type="text"
              label="Name"
              autoComplete="off"
              required
              value={form.name}
              onValue={set('name')}
              errors={errors.fields.name}
            />
            <SelectField
              id={`${ID}role`}
              name="role"
              label="Role"
              value={form.role}
              onValue={set('role')}
              options={ROLE_OPTIONS}
              errors={errors.fields.role}
            />
            <CheckboxField
              id={`${ID}disabled`}
              name="disabled"
              label="Account disabled"
              hint="A disabled user cannot sign in or use API tokens."
              checked={form.disabled}
              onValue={set('disabled')}
              errors={errors.fields.disabled}
            />
            <div class="button-group">
              <Button type="submit" busy={busy}>
                {busy ? 'Saving…' : 'Save changes'}
              </Button>
              <Link href="/users" class="button button--link">
                Cancel
              </Link>
            </div>
          </form>
          {user.role === 'provider' && <ProviderLinkSection userId={user.id} />}
        </>
      )}
    </div>
  );
}
