import { useEffect, useRef, useState } from 'preact/hooks';
import { api, roleLabel, type User } from '../api';
import { Button, errorsFromException } from '../components/forms';
import { Link, Loading, Notice, Time, takeFlash, usePageTitle } from '../components/ui';

export function UsersPage() {
  usePageTitle('Users');
  const [flash] = useState(takeFlash);
  const [items, setItems] = useState<User[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const focusId = useRef<string | null>(null);

  const load = async (from: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await api.listUsers(from);
      setItems((prev) => {
        const base = from && prev ? prev : [];
        const seen = new Set(base.map((u) => u.id));
        return [...base, ...page.items.filter((u) => !seen.has(u.id))];
      });
      setCursor(page.next_cursor ?? null);
      if (from) {
        setAnnounce(`Loaded ${page.items.length} more ${page.items.length === 1 ? 'user' : 'users'}.`);
        if (!page.next_cursor && page.items[0]) focusId.current = page.items[0].id;
      }
    } catch (e) {
      setError(errorsFromException(e, []).detail);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void load(null);
  }, []);

  useEffect(() => {
    if (focusId.current) {
      document.getElementById(`user-link-${focusId.current}`)?.focus();
      focusId.current = null;
    }
  }, [items]);

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Users</h1>
        <Link href="/users/new" class="button button--primary" data-testid="create-user-link">
          Create user
        </Link>
      </div>
      {flash && <Notice testId="flash">{flash}</Notice>}
      {error && (
        <div class="error-summary" role="alert">
          <h2 class="error-summary__title">There is a problem</h2>
          <p class="error-summary__detail">{error}</p>
          <Button variant="secondary" onClick={() => void load(items && cursor ? cursor : null)}>
            Try again
          </Button>
        </div>
      )}
      {items === null ? (
        !error && <Loading label="Loading users…" />
      ) : items.length === 0 ? (
        <p>There are no users yet.</p>
      ) : (
        <table class="table table--stack" data-testid="users-table">
          <caption class="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email address</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Two-step</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.id} data-user-id={u.id}>
                <th scope="row" data-label="Name">
                  <Link href={`/users/${encodeURIComponent(u.id)}`} id={`user-link-${u.id}`}>
                    {u.name || u.email}
                    <span class="visually-hidden">: edit</span>
                  </Link>
                </th>
                <td data-label="Email address" class="break">
                  {u.email}
                </td>
                <td data-label="Role">{roleLabel(u.role)}</td>
                <td data-label="Status">
                  {u.disabled ? <span class="tag tag--grey">Disabled</span> : <span class="tag tag--green">Active</span>}
                </td>
                <td data-label="Two-step">{u.totp_enrolled ? 'Set up' : 'Not set up'}</td>
                <td data-label="Created">
                  <Time iso={u.created_at} empty="—" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items !== null && cursor && (
        <p>
          <Button variant="secondary" busy={busy} onClick={() => void load(cursor)} data-testid="load-more">
            {busy ? 'Loading…' : 'Load more users'}
          </Button>
        </p>
      )}
      <p class="visually-hidden" role="status">
        {announce}
      </p>
    </>
  );
}
