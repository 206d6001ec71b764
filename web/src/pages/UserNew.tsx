import { useState } from 'preact/hooks';
import { api, ApiError, ROLES, roleLabel } from '../api';
import { Button, ErrorSummary, SelectField, TextField, errorsFromException, useFormErrors } from '../components/forms';
import { Link, setFlash, usePageTitle } from '../components/ui';
import { navigate } from '../router';

const FIELDS = ['email', 'name', 'role', 'password'] as const;
const ID = 'new-user-';

const ROLE_OPTIONS = [{ value: '', label: 'Choose a role' }, ...ROLES.map((r) => ({ value: r, label: roleLabel(r) }))];

export function UserNewPage() {
  usePageTitle('Create user');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, setErrors, clear, focusKey } = useFormErrors();

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const fields: Record<string, string[]> = {};
    if (email.trim() === '') fields.email = ['Enter their email address'];
    else if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) fields.email = ['Enter an email address in the right format, like name@example.com'];
    if (name.trim() === '') fields.name = ['Enter their name'];
    if (role === '') fields.role = ['Choose a role'];
    if (password === '') fields.password = ['Enter an initial password'];
    if (Object.keys(fields).length) {
      setErrors({ detail: null, fields, general: [] });
      return;
    }
    clear();
    setBusy(true);
    try {
      const u = await api.createUser({ email: email.trim(), name: name.trim(), role, password });
      setFlash(`${u.name || u.email} was created as ${roleLabel(u.role)}.`);
      navigate('/users');
    } catch (err) {
      const fe = errorsFromException(err, FIELDS);
      if (err instanceof ApiError && err.status === 409 && !fe.fields.email) {
        fe.fields.email = [err.problem.detail || 'A user with this email address already exists'];
      }
      setErrors(fe);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="narrow">
      <p class="back">
        <Link href="/users">Back to users</Link>
      </p>
      <ErrorSummary errors={errors} order={FIELDS} idPrefix={ID} focusKey={focusKey} />
      <h1 tabIndex={-1}>Create user</h1>
      <form class="form" method="post" noValidate onSubmit={onSubmit} aria-label="Create user">
        <TextField
          id={`${ID}email`}
          name="email"
          type="email"
          label="Email address"
          autoComplete="off"
          spellcheck={false}
          autoCapitalize="none"
          required
          value={email}
          onValue={setEmail}
          errors={errors.fields.email}
        />
        <TextField
          id={`${ID}name`}
          name="name"
          type="text"
          label="Name"
          autoComplete="off"
          required
          value={name}
          onValue={setName}
          errors={errors.fields.name}
        />
        <SelectField
          id={`${ID}role`}
          name="role"
          label="Role"
          hint="What they can see and do. Staff roles must set up two-step verification when they first sign in."
          required
          value={role}
          onValue={setRole}
          options={ROLE_OPTIONS}
          errors={errors.fields.role}
        />
        <TextField
          id={`${ID}password`}
          name="password"
          type="password"
          label="Initial password"
          hint="Give it to them privately. They can change it under My account."
          autoComplete="new-password"
          required
          value={password}
          onValue={setPassword}
          errors={errors.fields.password}
        />
        <div class="button-group">
          <Button type="submit" busy={busy}>
            {busy ? 'Creating user…' : 'Create user'}
          </Button>
          <Link href="/users" class="button button--link">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
