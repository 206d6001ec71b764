import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Button, ErrorSummary, TextField, errorsFromException, useFormErrors } from '../components/forms';
import { Loading, setFlash, usePageTitle } from '../components/ui';
import { groupSecret } from '../format';
import { navigate } from '../router';
import { refreshSession } from '../session';
import { CopyButton } from '../components/CopyButton';

const FIELDS = ['code'] as const;
const ID = 'enrol-';

type Setup = { secret: string; otpauth_uri: string };

export function EnrolPage() {
  usePageTitle('Set up two-step verification');
  const [setup, setSetup] = useState<Setup | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, setErrors, clear, focusKey } = useFormErrors();

  const start = async () => {
    setLoadError(null);
    setSetup(null);
    try {
      setSetup(await api.enrolTotp());
    } catch (e) {
      setLoadError(errorsFromException(e, []).detail);
    }
  };

  useEffect(() => {
    void start();
  }, []);

  // The QR encoder is loaded only here, so it stays out of the main bundle.
  const [qr, setQr] = useState<string | null | 'failed'>(null);
  useEffect(() => {
    setQr(null);
    if (!setup) return;
    let live = true;
    import('../qr')
      .then((m) => live && setQr(m.qrDataUri(setup.otpauth_uri)))
      .catch(() => live && setQr('failed'));
    return () => {
      live = false;
    };
  }, [setup]);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const c = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(c)) {
      setErrors({
        detail: null,
        fields: { code: [c === '' ? 'Enter the 6-digit code from your authenticator app' : 'The code must be 6 digits'] },
        general: [],
      });
      return;
    }
    clear();
    setBusy(true);
    try {
      await api.confirmTotp(c);
      setFlash('Two-step verification is set up. You will need a code from your app each time you sign in.');
      await refreshSession();
      navigate('/', { replace: true });
    } catch (err) {
      const fe = errorsFromException(err, FIELDS);
      setErrors(fe);
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="narrow">
      <ErrorSummary errors={errors} order={FIELDS} idPrefix={ID} focusKey={focusKey} />
      <h1 tabIndex={-1}>Set up two-step verification</h1>
      <p>
        Staff accounts need a code from an authenticator app (such as Aegis, Google Authenticator or 1Password) as well as a
        password. You need to do this once, before you can use Soundcheck.
      </p>
      {loadError ? (
        <div class="error-summary" role="alert">
          <h2 class="error-summary__title">There is a problem</h2>
          <p class="error-summary__detail">{loadError}</p>
          <Button variant="secondary" onClick={() => void start()}>
            Try again
          </Button>
        </div>
      ) : !setup ? (
        <Loading label="Preparing your setup key…" />
      ) : (
        <>
          <ol class="steps">
            <li>
              <h2 class="steps__title">Scan the QR code with your app</h2>
              {qr === 'failed' ? (
                <p>We could not draw the QR code. Use the setup key below instead.</p>
              ) : qr ? (
                <img class="qr" src={qr} width={220} height={220} alt="QR code for adding your Soundcheck account to an authenticator app" data-testid="totp-qr" />
              ) : (
                <div class="qr qr--loading" aria-hidden="true" />
              )}
            </li>
            <li>
              <h2 class="steps__title">Or type the setup key into your app</h2>
              <div class="field">
                <label class="field__label" for={`${ID}secret`}>
                  Setup key
                </label>
                <p class="field__hint" id={`${ID}secret-hint`}>
                  Choose "time-based" if your app asks. Spaces do not matter.
                </p>
                <div class="copy-row">
                  <input
                    id={`${ID}secret`}
                    class="input input--mono"
                    type="text"
                    readOnly
                    value={groupSecret(setup.secret)}
                    aria-describedby={`${ID}secret-hint`}
                    data-testid="totp-secret"
                    spellcheck={false}
                    autoComplete="off"
                  />
                  <CopyButton text={setup.secret.replace(/\s+/g, '')} label="Copy key" />
                </div>
              </div>
            </li>
            <li>
              <h2 class="steps__title">Enter the code your app shows</h2>
              <form class="form" method="post" noValidate onSubmit={onSubmit} aria-label="Confirm two-step verification">
                <TextField
                  id={`${ID}code`}
                  name="code"
                  type="text"
                  label="Code"
                  hint="The 6-digit code, for example 123456"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="[0-9]*"
                  maxLength={8}
                  spellcheck={false}
                  required
                  inputClass="input--short"
                  value={code}
                  onValue={setCode}
                  errors={errors.fields.code}
                />
                <Button type="submit" busy={busy}>
                  {busy ? 'Checking…' : 'Confirm and continue'}
                </Button>
              </form>
            </li>
          </ol>
        </>
      )}
    </div>
  );
}
