import './styles.css'; // first: the member and console styles build on it
import { render } from 'preact';
import { IntakeApp } from './intake/IntakeApp';
import { isMemberPath } from './intake/paths';

// Member pages (/intake, /es/intake) are in the main bundle, so a phone on a slow network
// gets them in one round trip; the staff console is a separate chunk, loaded only for staff.
const root = document.getElementById('app');
if (root) {
  if (isMemberPath(window.location.pathname)) {
    render(<IntakeApp />, root);
  } else {
    import('./app')
      .then(({ App }) => render(<App />, root))
      .catch(() => {
        root.textContent = 'Soundcheck could not load. Check your connection and reload the page.';
      });
  }
}
