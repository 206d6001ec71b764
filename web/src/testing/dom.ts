// Test helpers for components rendered into the document (happy-dom): a fresh mount point per
// test, taken down again in afterEach, and a way to let pending answers and effects run.
import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';

/** Renders `node` (inside act) into a new <div> appended to the body; returns the <div>. */
export function renderRoot(node: ComponentChild): HTMLElement {
  const root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(node, root));
  return root;
}

/** Unmounts what `renderRoot` rendered and removes its <div>; returns null, for `root = unmountRoot(root)`. */
export function unmountRoot(root: HTMLElement | null): null {
  if (root) {
    render(null, root);
    root.remove();
  }
  return null;
}

/** Lets `rounds` turns of the event loop run inside act (answers arrive, effects and renders settle). */
export const flush = (rounds = 1) =>
  act(async () => {
    for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
  });
