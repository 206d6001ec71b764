// Keyboard shortcuts for lists (the queue): j / k move, Enter opens. Pure, so the guard that
// keeps them from firing while someone types is unit-tested.

export type ListKeyAction = 'next' | 'previous' | 'open';

/** The parts of a KeyboardEvent the decision needs. */
export interface KeyLike {
  key: string;
  target: EventTarget | null;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  isComposing?: boolean;
  defaultPrevented?: boolean;
  repeat?: boolean;
}

const TYPING_INPUT_TYPES = new Set([
  'text', 'search', 'email', 'password', 'tel', 'url', 'number', 'date', 'datetime-local', 'month', 'time', 'week',
]);

/** True when keys typed here are text: inputs, text areas, selects and editable content. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as (HTMLElement & { isContentEditable?: boolean; type?: string }) | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') return TYPING_INPUT_TYPES.has(String(el.type || 'text').toLowerCase());
  if (el.isContentEditable) return true;
  const ce = typeof el.getAttribute === 'function' ? el.getAttribute('contenteditable') : null;
  return ce !== null && ce !== 'false';
}

/** Buttons, links and form controls handle Enter themselves. */
function isInteractive(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  return ['a', 'button', 'input', 'select', 'textarea', 'summary', 'details', 'option', 'label'].includes(tag) || isTypingTarget(el);
}

/**
 * What a key press means in a list, or null to leave it alone: never while typing, never with
 * Ctrl/Cmd/Alt (browser and screen-reader shortcuts), never during IME composition. Enter is
 * ours only when focus is not on something that handles Enter itself.
 */
export function listKeyAction(e: KeyLike): ListKeyAction | null {
  if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return null;
  if (isTypingTarget(e.target)) return null;
  if (e.key === 'j' && !e.shiftKey) return 'next';
  if (e.key === 'k' && !e.shiftKey) return 'previous';
  if (e.key === 'Enter' && !e.shiftKey && !e.repeat && !isInteractive(e.target)) return 'open';
  return null;
}

/** The row index after a move: j from nothing selects the first row; the ends stop. */
export function moveIndex(current: number, action: 'next' | 'previous', count: number): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return action === 'next' ? 0 : count - 1;
  return action === 'next' ? Math.min(count - 1, current + 1) : Math.max(0, current - 1);
}
