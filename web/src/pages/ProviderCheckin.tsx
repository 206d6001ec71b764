// /provider/checkin#t=TOKEN: the weekly "still taking clients?" mail's one-click link. No sign-in.
// The token is read from the fragment (never sent to a server log) and removed from the address
// before anything else, then sent once in a POST body; the page says what was confirmed.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Button, errorsFromException } from '../components/forms';
import { Link, Loading, usePageTitle } from '../components/ui';
import { plural, takeFragmentToken, type Checkin } from '../directory';
import { directory } from '../directoryApi';

type View = { kind: 'working' } | { kind: 'done'; checkin: Checkin } | { kind: 'used' } | { kind: 'no-link' } | { kind: 'error'; text: string };

export function CheckinPage() {
  // Read (and removed from the address) on the very first render.
  const [token] = useState(takeFragmentToken);
  const [view, setView] = useState<View>(() => (token === null ? { kind: 'no-link' } : token === '' ? { kind: 'used' } : { kind: 'working' }));
  const started = useRef(false);
  usePageTitle(view.kind === 'done' ? 'Openings confirmed' : 'Confirm your openings');

  const send = async () => {
    if (!token) return;
    setView({ kind: 'working' });
    try {
      setView({ kind: 'done', checkin: await directory.checkin(token) });
    } catch (e) {
      if (e instanceof ApiError && (e.status === 410 || e.status === 404 || e.status === 400 || e.status === 422)) setView({ kind: 'used' });
      else setView({ kind: 'error', text: errorsFromException(e, []).detail ?? 'Something went wrong.' });
    }
  };

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void send();
  }, []);

  const signIn = (
    <Link href="/provider" data-testid="checkin-sign-in">
      Sign in to the provider portal
    </Link>
  );

  switch (view.kind) {
    case 'working':
      return (
        <div class="narrow">
          <h1 tabIndex={-1}>Confirm your openings</h1>
          <Loading label="Confirming your openings…" />
        </div>
      );
    case 'done': {
      const c = view.checkin;
      return (
        <div class="narrow" data-testid="checkin-done">
          <div class="notice notice--success">
            <h1 tabIndex={-1} class="notice__title checkin__title" data-testid="checkin-thanks">
              {c.openings.count > 0
                ? `Thanks — your ${plural(c.openings.count, 'opening')} for ${c.service_name} ${c.openings.count === 1 ? 'is' : 'are'} confirmed as of today`
                : `Thanks — “no openings” for ${c.service_name} is confirmed as of today`}
            </h1>
          </div>
          <p>We will ask again in a week. People are referred to you only while your openings are current.</p>
          <p>To change the number, pause your listing or edit it: {signIn}.</p>
        </div>
      );
    }
    case 'used':
      return (
        <div class="narrow" data-testid="checkin-used">
          <h1 tabIndex={-1}>This link cannot be used</h1>
          <p class="lede">This link has already been used or has expired. Sign in to confirm your openings.</p>
          <p>{signIn}</p>
        </div>
      );
    case 'no-link':
      return (
        <div class="narrow" data-testid="checkin-no-link">
          <h1 tabIndex={-1}>Confirm your openings</h1>
          <p class="lede">Open the link in your weekly email from Soundcheck, or sign in to confirm your openings.</p>
          <p>{signIn}</p>
        </div>
      );
    case 'error':
      return (
        <div class="narrow">
          <h1 tabIndex={-1}>Confirm your openings</h1>
          <div class="error-summary" role="alert">
            <h2 class="error-summary__title">Your openings were not confirmed</h2>
            <p class="error-summary__detail">{view.text}</p>
            <Button variant="secondary" onClick={() => void send()}>
              Try again
            </Button>
          </div>
          <p>{signIn}</p>
        </div>
      );
  }
}
