import './styles.css'; // first: the member and console styles build on it
import { render } from 'preact';
import { IntakeApp } from './intake/IntakeApp';
import { isMemberPath } from './intake/paths';
import { MemberApp } from './member/MemberApp';
import { parseOtherMemberPath } from './member/paths';

// Member pages (/intake, /talk, /status and their /es/ twins) are in the main bundle, so a
// phone on a slow network gets them in one round trip; the staff console is a separate chunk,
// loaded only for staff.
const root = document.getElementById('app');
if (root) {
  if (isMemberPath(window.location.pathname)) {
    render(<IntakeApp />, root);
  } else if (parseOtherMemberPath(window.location.pathname)) {
    render(<MemberApp />, root);
  } else {
    import('./app')
      .then(({ App }) => render(<App />, root))
      .catch(() => {
        root.textContent = 'Soundcheck could not load. Check your connection and reload the page.';
      });
  }
}
