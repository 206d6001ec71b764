import { describe, expect, it } from 'vitest';
import { isTypingTarget, listKeyAction, moveIndex } from './keys';

const el = (html: string): HTMLElement => {
  const d = document.createElement('div');
  d.innerHTML = html;
  return d.firstElementChild as HTMLElement;
};

describe('isTypingTarget', () => {
  it('is true where keys are text', () => {
    expect(isTypingTarget(el('<input>'))).toBe(true);
    expect(isTypingTarget(el('<input type="search">'))).toBe(true);
    expect(isTypingTarget(el('<textarea></textarea>'))).toBe(true);
    expect(isTypingTarget(el('<select><option>a</option></select>'))).toBe(true);
    expect(isTypingTarget(el('<div contenteditable="true"></div>'))).toBe(true);
  });

  it('is false on links, buttons, checkboxes and the page', () => {
    expect(isTypingTarget(el('<a href="/x">x</a>'))).toBe(false);
    expect(isTypingTarget(el('<button>x</button>'))).toBe(false);
    expect(isTypingTarget(el('<input type="checkbox">'))).toBe(false);
    expect(isTypingTarget(document.body)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('listKeyAction', () => {
  const body = document.body;

  it('maps j, k and Enter', () => {
    expect(listKeyAction({ key: 'j', target: body })).toBe('next');
    expect(listKeyAction({ key: 'k', target: body })).toBe('previous');
    expect(listKeyAction({ key: 'Enter', target: body })).toBe('open');
    expect(listKeyAction({ key: 'x', target: body })).toBeNull();
  });

  it('never fires while typing', () => {
    for (const html of ['<input>', '<textarea></textarea>', '<select></select>', '<div contenteditable="true"></div>']) {
      expect(listKeyAction({ key: 'j', target: el(html) })).toBeNull();
      expect(listKeyAction({ key: 'Enter', target: el(html) })).toBeNull();
    }
  });

  it('leaves modified keys and IME composition alone', () => {
    expect(listKeyAction({ key: 'j', target: body, ctrlKey: true })).toBeNull();
    expect(listKeyAction({ key: 'k', target: body, metaKey: true })).toBeNull();
    expect(listKeyAction({ key: 'j', target: body, altKey: true })).toBeNull();
    expect(listKeyAction({ key: 'J', target: body, shiftKey: true })).toBeNull();
    expect(listKeyAction({ key: 'j', target: body, isComposing: true })).toBeNull();
    expect(listKeyAction({ key: 'j', target: body, defaultPrevented: true })).toBeNull();
  });

  it('lets links and buttons handle Enter themselves, but j/k still move from them', () => {
    expect(listKeyAction({ key: 'Enter', target: el('<a href="/x">x</a>') })).toBeNull();
    expect(listKeyAction({ key: 'Enter', target: el('<button>x</button>') })).toBeNull();
    expect(listKeyAction({ key: 'j', target: el('<a href="/x">x</a>') })).toBe('next');
    expect(listKeyAction({ key: 'k', target: el('<input type="checkbox">') })).toBe('previous');
  });
});

describe('moveIndex', () => {
  it('starts at the top (j) or bottom (k) and stops at the ends', () => {
    expect(moveIndex(-1, 'next', 3)).toBe(0);
    expect(moveIndex(-1, 'previous', 3)).toBe(2);
    expect(moveIndex(0, 'next', 3)).toBe(1);
    expect(moveIndex(2, 'next', 3)).toBe(2);
    expect(moveIndex(0, 'previous', 3)).toBe(0);
    expect(moveIndex(0, 'next', 0)).toBe(-1);
  });
});
