import { Link, usePageTitle } from '../components/ui';

export function NotFoundPage({ home = '/' }: { home?: string }) {
  usePageTitle('Page not found');
  return (
    <>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>If you typed the web address, check it is correct. If you followed a link, it may be out of date.</p>
      <p>
        <HomeLink home={home} />
      </p>
    </>
  );
}

export function ForbiddenPage({ home = '/' }: { home?: string }) {
  usePageTitle('No access');
  return (
    <>
      <h1 tabIndex={-1}>You do not have access to this page</h1>
      <p>Your role does not include this page. Ask an administrator if you think you need it.</p>
      <p>
        <HomeLink home={home} />
      </p>
    </>
  );
}

function HomeLink({ home }: { home: string }) {
  return <Link href={home}>{home === '/provider' ? 'Go to your listings' : 'Go to the queue'}</Link>;
}
