import { useState } from 'preact/hooks';
import type { User } from '../api';
import { Notice, takeFlash, usePageTitle } from '../components/ui';

export function QueuePage({ user }: { user: User }) {
  usePageTitle('Queue');
  const [flash] = useState(takeFlash);
  return (
    <>
      {flash && <Notice testId="flash">{flash}</Notice>}
      <h1 tabIndex={-1}>Queue</h1>
      <p class="lede">Welcome, {user.name || user.email}.</p>
      <div class="card placeholder" data-testid="queue-placeholder">
        <h2>No cases yet</h2>
        <p>The case queue arrives with case management: urgent cases first, then the oldest, with SLA timers and live updates.</p>
      </div>
    </>
  );
}
