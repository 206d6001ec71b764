import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type User } from './api';
import { Button } from './components/forms';
import { AlertBanner, DutyToggle, TaskReminders } from './components/Live';
import { APP_NAME, Link, Loading } from './components/ui';
import { worksCases } from './cases';
import { live } from './live';
import { AccountPage } from './pages/Account';
import { CasePage } from './pages/Case';
import { DirectoryPage } from './pages/Directory';
import { FreshnessPage } from './pages/Freshness';
import { ImportJobPage, ImportsPage } from './pages/Imports';
import { ProviderHomePage } from './pages/Provider';
import { CheckinPage } from './pages/ProviderCheckin';
import { ServiceDetailPage } from './pages/ServiceDetail';
import { EnrolPage } from './pages/Enrol';
import { LoginPage } from './pages/Login';
import { ForbiddenPage, NotFoundPage } from './pages/Misc';
import { QueuePage } from './pages/Queue';
import { RotaPage } from './pages/Rota';
import { SupportPage } from './pages/Support';
import { TokensPage } from './pages/Tokens';
import { UserEditPage } from './pages/UserEdit';
import { UserNewPage } from './pages/UserNew';
import { UsersPage } from './pages/Users';
import { navigate, useLocation } from './router';
import { decide, homePath, isProvider, nextParam, worksDirectory, type Decision } from './routes';
import { isAdmin, needsTotpEnrolment, refreshSession, sessionExpired, signOut, useSession, type SessionState } from './session';

api.onUnauthorized = sessionExpired;
// The server says two-step setup is still needed: reload who we are, and the guard sends us to /enrol.
api.onMfaRequired = () => void refreshSession().catch(() => {});
// The live stream failed for good (e.g. the session ended): find out, and the guard takes over.
live.onDown = () => void refreshSession().catch(() => {});

function NavLink({ href, current, children }: { href: string; current: boolean; children: string }) {
  return (
    <li>
      <Link href={href} class="nav__link" aria-current={current ? 'page' : undefined}>
        {children}
      </Link>
    </li>
  );
}

function Header({ user, path }: { user: User | null; path: string }) {
  const full = user && !needsTotpEnrolment(user);
  const provider = user ? isProvider(user.role) : path.startsWith('/provider');
  const onSignOut = async () => {
    await signOut();
    navigate('/login', { replace: true });
  };
  return (
    <header class="header">
      <div class="container header__inner">
        <Link href={user ? homePath(user.role) : '/'} class="header__brand">
          {APP_NAME}
          <span class="header__tag">{provider ? 'Providers' : 'Staff'}</span>
        </Link>
        {user && (
          <div class="header__right">
            {full && (
              <nav aria-label="Main" class="nav">
                <ul class="nav__list">
                  {isProvider(user.role) ? (
                    <NavLink href="/provider" current={path === '/provider' || path.startsWith('/provider/')}>
                      Your listings
                    </NavLink>
                  ) : (
                    <NavLink href="/" current={path === '/' || path.startsWith('/cases/')}>
                      Queue
                    </NavLink>
                  )}
                  {worksCases(user.role) && (
                    <NavLink href="/support" current={path === '/support'}>
                      Support
                    </NavLink>
                  )}
                  {worksCases(user.role) && (
                    <NavLink href="/rota" current={path === '/rota'}>
                      Rota
                    </NavLink>
                  )}
                  {worksDirectory(user.role) && (
                    <NavLink href="/directory" current={path === '/directory' || path.startsWith('/directory/services/') || path === '/directory/freshness'}>
                      Directory
                    </NavLink>
                  )}
                  {isAdmin(user) && (
                    <NavLink href="/directory/imports" current={path.startsWith('/directory/imports')}>
                      Imports
                    </NavLink>
                  )}
                  {isAdmin(user) && (
                    <NavLink href="/users" current={path.startsWith('/users')}>
                      Users
                    </NavLink>
                  )}
                  {isAdmin(user) && (
                    <NavLink href="/tokens" current={path === '/tokens'}>
                      API tokens
                    </NavLink>
                  )}
                  <NavLink href="/account" current={path === '/account'}>
                    My account
                  </NavLink>
                </ul>
              </nav>
            )}
            {full && worksCases(user.role) && <DutyToggle user={user} />}
            <Button variant="secondary" class="header__signout" onClick={() => void onSignOut()} data-testid="sign-out">
              Sign out
            </Button>
          </div>
        )}
      </div>
    </header>
  );
}

function Page({ decision, session, search }: { decision: Decision; session: SessionState; search: string }) {
  const user = session.status === 'signed-in' ? session.user : null;
  switch (decision.kind) {
    case 'loading':
    case 'redirect':
      return <Loading />;
    case 'forbidden':
      return <ForbiddenPage home={user ? homePath(user.role) : '/'} />;
    case 'not-found':
      return <NotFoundPage home={user ? homePath(user.role) : '/'} />;
    case 'render':
      break;
  }
  const r = decision.route;
  if (r.name === 'providerCheckin') return <CheckinPage />;
  if (r.name === 'login') return <LoginPage session={session} next={nextParam(search)} />;
  if (!user) return <Loading />;
  switch (r.name) {
    case 'queue':
      return <QueuePage user={user} search={search} />;
    case 'case':
      return <CasePage id={r.params.id!} user={user} />;
    case 'enrol':
      return <EnrolPage />;
    case 'account':
      return <AccountPage user={user} />;
    case 'users':
      return <UsersPage />;
    case 'userNew':
      return <UserNewPage />;
    case 'userEdit':
      return <UserEditPage id={r.params.id!} />;
    case 'tokens':
      return <TokensPage />;
    case 'rota':
      return <RotaPage user={user} />;
    case 'support':
      return <SupportPage user={user} />;
    case 'directory':
      return <DirectoryPage user={user} search={search} />;
    case 'directoryService':
      return <ServiceDetailPage id={r.params.id!} user={user} mode="staff" />;
    case 'freshness':
      return <FreshnessPage user={user} />;
    case 'imports':
      return <ImportsPage user={user} />;
    case 'importJob':
      return <ImportJobPage id={r.params.id!} user={user} />;
    case 'provider':
      return <ProviderHomePage user={user} />;
    case 'providerService':
      return <ServiceDetailPage id={r.params.id!} user={user} mode="provider" />;
  }
}

export function App() {
  const loc = useLocation();
  const session = useSession();
  const [bootError, setBootError] = useState(false);
  const firstPath = useRef(true);
  // The server writes a crisis-line footer into every page it serves (<!--sc:crisis--> in
  // index.html). It is the page's footer then; ours would be a second contentinfo landmark.
  const [serverFooter] = useState(() => !!document.getElementById('crisis-footer'));

  const boot = () => {
    setBootError(false);
    refreshSession().catch(() => setBootError(true));
  };
  useEffect(boot, []);

  const decision = decide(loc.path, loc.search, session);
  const user = session.status === 'signed-in' ? session.user : null;
  // Live updates for those who work cases, once they are fully signed in.
  const liveUser = user && !needsTotpEnrolment(user) && worksCases(user.role) ? user : null;
  useEffect(() => {
    if (!liveUser) return;
    live.start();
    return () => live.stop();
  }, [liveUser?.id]);

  useEffect(() => {
    if (decision.kind === 'redirect') navigate(decision.to, { replace: true });
  }, [decision.kind, decision.kind === 'redirect' ? decision.to : '']);

  // Move focus to the new page's heading after client-side navigation (not on first load).
  useEffect(() => {
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    const h = document.querySelector<HTMLElement>('main h1');
    if (h) {
      if (!h.hasAttribute('tabindex')) h.setAttribute('tabindex', '-1');
      h.focus();
    }
  }, [loc.path]);

  if (decision.kind === 'loading' && !bootError) document.title = APP_NAME;

  const skip = (e: MouseEvent) => {
    e.preventDefault();
    document.getElementById('main')?.focus();
  };

  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => skip(e as unknown as MouseEvent)}>
        Skip to main content
      </a>
      <Header user={user} path={loc.path} />
      <main id="main" class="container main" tabIndex={-1}>
        {bootError && session.status === 'loading' ? (
          <div class="error-summary" role="alert">
            <h1 class="error-summary__title" tabIndex={-1}>
              Soundcheck is not available
            </h1>
            <p class="error-summary__detail">We could not reach the server. Check your connection and try again.</p>
            <Button variant="secondary" onClick={boot}>
              Try again
            </Button>
          </div>
        ) : (
          <>
            {liveUser && decision.kind === 'render' && <AlertBanner user={liveUser} />}
            {liveUser && decision.kind === 'render' && <TaskReminders />}
            <Page decision={decision} session={session} search={loc.search} />
          </>
        )}
      </main>
      {!serverFooter && (
        <footer class="footer">
          <div class="container">
            <p>Soundcheck staff console</p>
          </div>
        </footer>
      )}
    </>
  );
}
