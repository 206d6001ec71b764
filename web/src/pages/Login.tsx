import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, retryAfterSeconds } from '../api';
import { Button, ErrorSummary, TextField, errorsFromProblem, useFormErrors, type FormErrors } from '../components/forms';
import { Notice, usePageTitle } from '../components/ui';
import { isProblemType } from '../problem';
import { navigate, safeLocalPath } from '../router';
import { signedIn, type SessionState } from '../session';

const FIELDS = ['email', 'password', 'totp_code'] as const;
const ID = 'login-';

function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  const m = Math.ceil(seconds / 60);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

export function LoginPage({ session, next }: { session: SessionState; next: string | null }) {
  const [step, setStep] = useState<'password' | 'code'>('password');
  usePageTitle(step === 'code' ? 'Enter your code' : 'Sign in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const headingRef = useRef<HTMLHeadingElement>(null);

  const reason = session.status === 'anonymous' ? session.reason : undefined;

  useEffect(() => {
    if (step === 'code') {
      headingRef.current?.focus();
    }
  }, [step]);

  const validate = (): FormErrors | null => {
    const fields: Record<string, string[]> = {};
    if (step === 'password') {
      if (email.trim() === '') fields.email = ['Enter your email address'];
      if (password === '') fields.password = ['Enter your password'];
    } else {
      const c = code.replace(/\s+/g, '');
      if (c === '') fields.totp_code = ['Enter the 6-digit code from your authenticator app'];
      else if (!/^\d{6}$/.test(c)) fields.totp_code = ['The code must be 6 digits'];
    }
    return Object.keys(fields).length ? { detail: null, fields, general: [] } : null;
  };

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const invalid = validate();
    if (invalid) {
      setErrors(invalid);
      return;
    }
    clear();
    setBusy(true);
    try {
      const out = await api.login(email.trim(), password, step === 'code' ? code.replace(/\s+/g, '') : undefined);
      signedIn(out.user);
      navigate(safeLocalPath(next), { replace: true });
    } catch (err) {
      if (!(err instanceof ApiError)) {
        setErrors({ detail: 'Something went wrong. Try again.', fields: {}, general: [] });
        return;
      }
      const p = err.problem;
      if (isProblemType(p, 'totp-required')) {
        if (step === 'code') {
          setErrors({ detail: null, fields: { totp_code: [p.detail || 'Enter the code from your authenticator app'] }, general: [] });
        } else {
          setStep('code');
          setCode('');
        }
      } else if (isProblemType(p, 'totp-invalid')) {
        setStep('code');
        setCode('');
        setErrors({
          detail: null,
          fields: { totp_code: [p.detail || 'That code did not work. Wait for a new code in your app and try again.'] },
          general: [],
        });
      } else if (err.status === 429) {
        const s = retryAfterSeconds(err.headers);
        const detail = p.detail || 'Too many sign-in attempts.';
        setErrors({ detail: s !== null ? `${detail} Try again in ${waitText(s)}.` : detail, fields: {}, general: [] });
      } else if (isProblemType(p, 'invalid-credentials') || err.status === 401) {
        setStep('password');
        setPassword('');
        setCode('');
        setErrors({ detail: p.detail || 'The email address or password is not right.', fields: {}, general: [] });
      } else {
        setErrors(errorsFromProblem(p, FIELDS));
      }
    } finally {
      setBusy(false);
    }
  };

  const backToPassword = () => {
    setStep('password');
    setPassword('');
    setCode('');
    clear();
  };

  return (
    <div class="narrow">
      {reason === 'signed-out' && <Notice kind="info">You have signed out.</Notice>}
      {reason === 'expired' && <Notice kind="info">Your session has ended. Sign in again to carry on.</Notice>}
      <ErrorSummary errors={errors} order={FIELDS} idPrefix={ID} focusKey={focusKey} />
      {step === 'password' ? (
        <>
          <h1 tabIndex={-1}>Sign in</h1>
          <form class="form" method="post" noValidate onSubmit={onSubmit} aria-label="Sign in">
            <TextField
              id={`${ID}email`}
              name="email"
              type="email"
              label="Email address"
              autoComplete="username"
              spellcheck={false}
              autoCapitalize="none"
              required
              value={email}
              onValue={setEmail}
              errors={errors.fields.email}
            />
            <TextField
              id={`${ID}password`}
              name="password"
              type="password"
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onValue={setPassword}
              errors={errors.fields.password}
            />
            <Button type="submit" busy={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </Button>
          </form>
        </>
      ) : (
        <>
          <h1 tabIndex={-1} ref={headingRef}>
            Enter your code
          </h1>
          <p>Open your authenticator app and enter the 6-digit code it shows for Soundcheck.</p>
          <form class="form" method="post" noValidate onSubmit={onSubmit} aria-label="Enter your code">
              <TextField
                id={`${ID}totp_code`}
                name="totp_code"
                type="text"
                label="Code"
                hint="For example, 123456"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]*"
                maxLength={8}
                spellcheck={false}
                required
                inputClass="input--short"
                value={code}
                onValue={setCode}
                errors={errors.fields.totp_code}
              />
            <div class="button-group">
              <Button type="submit" busy={busy}>
                {busy ? 'Checking…' : 'Continue'}
              </Button>
              <Button variant="link" onClick={backToPassword}>
                Use a different account
              </Button>
            </div>
          </form>
        </>
      )}
    </div>
  );
}
