import { useState } from 'preact/hooks';
import { api, roleLabel, type User } from '../api';
import { Button, ErrorSummary, TextField, errorsFromException, useFormErrors } from '../components/forms';
import { Notice, Time, usePageTitle } from '../components/ui';
import { signOut } from '../session';

const FIELDS = ['current_password', 'new_password'] as const;
const ID = 'password-';

export function AccountPage({ user }: { user: User }) {
  usePageTitle('My account');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const { errors, setErrors, clear, focusKey } = useFormErrors();

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setDone(false);
    const fields: Record<string, string[]> = {};
    if (current === '') fields.current_password = ['Enter your current password'];
    if (next === '') fields.new_password = ['Enter a new password'];
    if (Object.keys(fields).length) {
      setErrors({ detail: null, fields, general: [] });
      return;
    }
    clear();
    setBusy(true);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setDone(true);
    } catch (err) {
      setErrors(errorsFromException(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>My account</h1>
      <div class="columns">
        <section aria-labelledby="account-details" class="card">
          <h2 id="account-details">Your details</h2>
          <dl class="summary-list" data-testid="account-details">
            <div class="summary-list__row">
              <dt>Name</dt>
              <dd>{user.name}</dd>
            </div>
            <div class="summary-list__row">
              <dt>Email address</dt>
              <dd class="break">{user.email}</dd>
            </div>
            <div class="summary-list__row">
              <dt>Role</dt>
              <dd>{roleLabel(user.role)}</dd>
            </div>
            <div class="summary-list__row">
              <dt>Two-step verification</dt>
              <dd>{user.totp_enrolled ? 'Set up' : 'Not set up'}</dd>
            </div>
            <div class="summary-list__row">
              <dt>Account created</dt>
              <dd>
                <Time iso={user.created_at} empty="—" />
              </dd>
            </div>
          </dl>
          <p class="muted">Ask an administrator if your name or role is wrong.</p>
          <Button variant="secondary" onClick={() => void signOut()}>
            Sign out
          </Button>
        </section>

        <section aria-labelledby="change-password" class="card">
          <h2 id="change-password">Change your password</h2>
          {done && <Notice>Your password has been changed.</Notice>}
          <ErrorSummary errors={errors} order={FIELDS} idPrefix={ID} focusKey={focusKey} />
          <form class="form" method="post" noValidate onSubmit={onSubmit} aria-labelledby="change-password">
            {/* Lets password managers tie the new password to this account. */}
            <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
            <TextField
              id={`${ID}current_password`}
              name="current_password"
              type="password"
              label="Current password"
              autoComplete="current-password"
              required
              value={current}
              onValue={setCurrent}
              errors={errors.fields.current_password}
            />
            <TextField
              id={`${ID}new_password`}
              name="new_password"
              type="password"
              label="New password"
              hint="Use a long passphrase: several random words work well. Common or leaked passwords are refused."
              autoComplete="new-password"
              required
              value={next}
              onValue={setNext}
              errors={errors.fields.new_password}
            />
            <Button type="submit" busy={busy}>
              {busy ? 'Changing password…' : 'Change password'}
            </Button>
          </form>
        </section>
      </div>
    </>
  );
}
