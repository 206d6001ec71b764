import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { toProblem } from '../problem';
import { ErrorSummary, TextField, errorsFromException, summaryItems } from './forms';

let root: HTMLElement | null = null;
function mount(vnode: ComponentChild) {
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(vnode, root!));
  return root;
}
afterEach(() => {
  if (root) {
    render(null, root);
    root.remove();
    root = null;
  }
});

const apiErr = new ApiError(
  toProblem(
    {
      type: '/problems/validation',
      title: 'Invalid',
      status: 422,
      detail: 'Some fields need attention.',
      errors: [
        { field: '/new_password', code: 'too_short', message: 'Use at least 15 characters' },
        { field: '/current_password', code: 'wrong', message: 'Your current password is not right' },
        { field: '/other', code: 'x', message: 'Something else' },
      ],
    },
    422,
  ),
);

describe('errorsFromException', () => {
  it('maps a problem to detail, field and general messages', () => {
    const e = errorsFromException(apiErr, ['current_password', 'new_password']);
    expect(e.detail).toBe('Some fields need attention.');
    expect(e.fields).toEqual({
      new_password: ['Use at least 15 characters'],
      current_password: ['Your current password is not right'],
    });
    expect(e.general).toEqual(['Something else']);
    // Summary follows the form's order, not the server's.
    expect(summaryItems(e, ['current_password', 'new_password'], 'pw-').map((i) => i.target ?? null)).toEqual([
      'pw-current_password',
      'pw-new_password',
      null,
    ]);
  });
});

describe('ErrorSummary and TextField', () => {
  it('links summary items to inputs that carry the error next to them', () => {
    const errors = errorsFromException(apiErr, ['current_password', 'new_password']);
    const el = mount(
      <div>
        <ErrorSummary errors={errors} order={['current_password', 'new_password']} idPrefix="pw-" focusKey={1} />
        <TextField id="pw-current_password" label="Current password" value="" onValue={() => {}} errors={errors.fields.current_password} />
        <TextField id="pw-new_password" label="New password" hint="Long is good" value="" onValue={() => {}} errors={errors.fields.new_password} />
      </div>,
    );
    const summary = el.querySelector('[data-testid="error-summary"]')!;
    expect(summary.textContent).toContain('There is a problem');
    expect(summary.textContent).toContain('Some fields need attention.');
    const links = [...summary.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['#pw-current_password', '#pw-new_password']);
    expect(document.activeElement).toBe(summary);

    const input = el.querySelector<HTMLInputElement>('#pw-new_password')!;
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe('pw-new_password-hint pw-new_password-error');
    expect(el.querySelector('#pw-new_password-error')!.textContent).toBe('Error: Use at least 15 characters');
    expect(el.querySelector('label[for="pw-new_password"]')!.textContent).toBe('New password');

    (summary.querySelector('a') as HTMLAnchorElement).click();
    expect(document.activeElement).toBe(el.querySelector('#pw-current_password'));
  });

  it('renders nothing without errors', () => {
    const el = mount(<ErrorSummary errors={{ detail: null, fields: {}, general: [] }} order={[]} idPrefix="x-" focusKey={0} />);
    expect(el.innerHTML).toBe('');
  });
});
