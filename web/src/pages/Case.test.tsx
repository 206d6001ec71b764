import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type User } from '../api';
import { cases } from '../caseApi';
import { carePlans } from '../carePlanApi';
import { noteDraftKey, type CaseDetail, type CaseNote } from '../cases';
import { liveCalls } from '../liveApi';
import { matches } from '../matchApi';
import { toProblem } from '../problem';
import { CasePage } from './Case';
import { flush, renderRoot, unmountRoot } from '../testing/dom';
import { staffUser } from '../testing/users';

const me: User = staffUser();

const detail = (over: Partial<CaseDetail> = {}): CaseDetail => ({
  id: 'c1',
  reference: 'SC-TEST-0001',
  status: 'new',
  urgent: true,
  assigned_to: null,
  country: 'US',
  region: 'US-TN',
  industry_role: 'touring_crew',
  requests: ['therapy', 'financial_help'],
  src: '',
  created_at: '2026-11-25T12:00:00Z',
  first_contact_due_at: '2026-11-25T13:00:00Z',
  first_contact_at: null,
  version: 1,
  person: { preferred_name: 'Riley Example', contact: { phone: '+1 615 555 0100', preferred: 'text', voicemail_ok: false, text_ok: true, email_ok: false } },
  intake: {
    for: 'self',
    language: 'en',
    location: { country: 'US', region: 'US-TN', time_zone: 'America/Chicago' },
    on_tour: { now: true, until: '2026-12-20' },
    insurance: { type: 'employer', carrier: 'Acme Health' },
  },
  screenings: [
    { instrument: 'phq2', score: 6, band: 'positive', positive: true, risk: 'none', flags: [] },
    { instrument: 'phq9', score: 16, band: 'moderately_severe', positive: true, risk: 'low', flags: ['safety_item9'] },
  ],
  timeline: [{ at: '2026-11-25T12:00:00Z', actor_id: 'anonymous', type: 'case.created', detail: 'urgent; intake' }],
  ...over,
});

const note = (over: Partial<CaseNote> = {}): CaseNote => ({ id: 'n1', version: 1, body: 'Texted them.', author_id: 'me', created_at: '2026-11-25T12:10:00Z', ...over });
const err = (status: number, body: object = {}) => new ApiError(toProblem(body, status));


let root: HTMLElement | null = null;
async function mount(user: User = me) {
  root = renderRoot(<CasePage id="c1" user={user} />);
  await flush();
  await flush();
  return root;
}
const q = (sel: string) => root!.querySelector<HTMLElement>(sel);
const input = (el: HTMLTextAreaElement, v: string) =>
  act(() => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });

beforeEach(() => {
  sessionStorage.clear();
  // "Find care" asks for the case's matches: its own tests are in components/Matches.test.tsx.
  vi.spyOn(matches, 'caseMatches').mockReturnValue(new Promise(() => {}));
  // So does the care plan (components/CarePlan.test.tsx), and the staff names it uses.
  vi.spyOn(carePlans, 'getPlan').mockReturnValue(new Promise(() => {}));
  vi.spyOn(liveCalls, 'listStaff').mockResolvedValue({ items: [] });
});
afterEach(() => {
  vi.restoreAllMocks();
  root = unmountRoot(root);
});

describe('CasePage', () => {
  it('shows the person, what is safe, and the flags at the top', async () => {
    vi.spyOn(cases, 'getCase').mockResolvedValue(detail());
    vi.spyOn(cases, 'listNotes').mockResolvedValue({ items: [], next_cursor: null });
    await mount();
    expect(q('h1')!.textContent).toBe('Riley Example');
    const flags = q('[data-testid="case-flags"]')!;
    expect(flags.textContent).toContain('Safety flags');
    expect(flags.textContent).toContain('Risk: low');
    expect(flags.querySelector('[data-flag="safety_item9"]')).not.toBeNull();
    // The flags come before everything but the heading and the facts.
    expect(flags.compareDocumentPosition(q('[data-testid="next-step"]')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(q('[data-testid="safe-voicemail"]')!.textContent).toBe('✕ Do not leave a voicemail');
    expect(q('[data-testid="safe-text"]')!.textContent).toBe('✓ OK to text');
    expect(q('[data-testid="contact-preferred"]')!.textContent).toBe('Text message');
    expect(q('[data-testid="case-tour"]')!.textContent).toBe('Yes, until Dec 20, 2026');
    expect(q('[data-testid="case-requests"]')!.textContent).toBe('TherapyFinancial help');
    expect(root!.textContent).toContain('Acme Health');
    expect(q('[data-testid="assign-me"]')).not.toBeNull();
  });

  it('shows a not-found page on a 404', async () => {
    vi.spyOn(cases, 'getCase').mockRejectedValue(err(404));
    await mount();
    expect(q('h1')!.textContent).toBe('Case not found');
  });

  it('on a 412 when assigning, reloads the case and says what changed', async () => {
    vi.spyOn(cases, 'getCase')
      .mockResolvedValueOnce(detail())
      .mockResolvedValueOnce(detail({ status: 'contacted', assigned_to: 'me', first_contact_at: '2026-11-25T12:20:00Z', version: 3 }));
    vi.spyOn(cases, 'listNotes').mockResolvedValue({ items: [], next_cursor: null });
    const assign = vi.spyOn(cases, 'assignCase').mockRejectedValue(err(412, { detail: 'Someone else changed this case first.' }));
    await mount();
    act(() => q('[data-testid="assign-me"]')!.click());
    await flush();
    await flush();
    expect(assign).toHaveBeenCalledWith('c1', 1, 'me');
    const conflict = q('[data-testid="case-conflict"]')!;
    expect(conflict.textContent).toContain('“Assign to me” was not done');
    expect(conflict.textContent).toContain('Status: New → Contacted');
    expect(conflict.textContent).toContain('Assigned to: Unassigned → You');
    expect(q('[data-testid="case-status"]')!.textContent).toBe('Contacted');
    expect(q('[data-testid="assign-me"]')).toBeNull();
  });

  it('needs a reason to close, and shows the server’s field error', async () => {
    vi.spyOn(cases, 'getCase').mockResolvedValue(detail({ assigned_to: 'me' }));
    vi.spyOn(cases, 'listNotes').mockResolvedValue({ items: [], next_cursor: null });
    const setStatus = vi
      .spyOn(cases, 'setCaseStatus')
      .mockRejectedValueOnce(err(422, { detail: 'Some fields need attention.', errors: [{ field: '/reason', code: 'too_long', message: 'Use at most 500 characters.' }] }));
    await mount();
    act(() => q('[data-testid="close-open"]')!.click());
    act(() => q('[data-testid="reason-submit"]')!.click());
    expect(q('#close-reason-error')!.textContent).toContain('Say why you are closing the case');
    expect(setStatus).not.toHaveBeenCalled();
    input(q('#close-reason') as HTMLTextAreaElement, 'Moved to another service');
    act(() => q('[data-testid="reason-submit"]')!.click());
    await flush();
    expect(setStatus).toHaveBeenCalledWith('c1', 1, 'closed', 'Moved to another service');
    expect(q('#close-reason-error')!.textContent).toContain('Use at most 500 characters.');
  });

  it('keeps an unsent note in sessionStorage and brings it back', async () => {
    vi.spyOn(cases, 'getCase').mockResolvedValue(detail());
    vi.spyOn(cases, 'listNotes').mockResolvedValue({ items: [], next_cursor: null });
    await mount();
    input(q('#note-new-body') as HTMLTextAreaElement, 'Half a thought');
    expect(sessionStorage.getItem(noteDraftKey('c1'))).toBe('Half a thought');
    render(null, root!);
    root!.remove();
    await mount();
    expect((q('#note-new-body') as HTMLTextAreaElement).value).toBe('Half a thought');
    expect(q('[data-testid="note-draft-restored"]')).not.toBeNull();

    const add = vi.spyOn(cases, 'addNote').mockResolvedValue(note({ body: 'Half a thought' }));
    act(() => q('[data-testid="note-add"]')!.click());
    await flush();
    expect(add).toHaveBeenCalledWith('c1', 'Half a thought');
    expect(sessionStorage.getItem(noteDraftKey('c1'))).toBeNull();
    expect(q('[data-testid="note-body"]')!.textContent).toBe('Half a thought');
  });

  it('on a 412 when editing a note, shows the newer text and does not overwrite it', async () => {
    vi.spyOn(cases, 'getCase').mockResolvedValue(detail());
    vi.spyOn(cases, 'listNotes')
      .mockResolvedValueOnce({ items: [note(), note({ id: 'n2', author_id: 'other', body: 'Not mine' })], next_cursor: null })
      .mockResolvedValueOnce({ items: [note({ version: 2, body: 'Texted them twice.' })], next_cursor: null });
    const edit = vi
      .spyOn(cases, 'editNote')
      .mockRejectedValueOnce(err(412))
      .mockResolvedValueOnce(note({ version: 3, body: 'Texted them; they replied.' }));
    await mount();
    // Only my own note has an Edit button.
    expect(root!.querySelectorAll('[data-testid="note-edit"]').length).toBe(1);
    act(() => q('[data-testid="note-edit"]')!.click());
    input(q('#note-edit-n1') as HTMLTextAreaElement, 'Texted them; they replied.');
    act(() => q('[data-testid="note-save"]')!.click());
    await flush();
    await flush();
    expect(edit).toHaveBeenNthCalledWith(1, 'c1', 'n1', 1, 'Texted them; they replied.');
    expect(q('[data-testid="note-conflict-newer"]')!.textContent).toBe('Texted them twice.');
    expect((q('#note-edit-n1') as HTMLTextAreaElement).value).toBe('Texted them; they replied.');
    // Saving again is a deliberate choice, made on the newer version.
    act(() => q('[data-testid="note-save"]')!.click());
    await flush();
    expect(edit).toHaveBeenNthCalledWith(2, 'c1', 'n1', 2, 'Texted them; they replied.');
    expect(q('[data-testid="note-body"]')!.textContent).toBe('Texted them; they replied.');
    expect(q('[data-testid="note-saved"]')!.textContent).toBe('Note saved.');
  });
});

describe('suggested case managers and linked family cases', () => {
  const sup: User = { ...me, id: 'sup', role: 'supervisor', name: 'Test Supervisor' };

  it('a supervisor sees suggestions, best first, with reasons; Assign uses the assign call with If-Match', async () => {
    vi.spyOn(cases, 'getCase').mockResolvedValue(detail());
    vi.spyOn(cases, 'listNotes').mockResolvedValue({ items: [], next_cursor: null });
    vi.spyOn(liveCalls, 'suggestions').mockResolvedValue({
      items: [
        { user_id: 'cm2', name: 'Test Manager Two', open_cases: 1, score: 90, reasons: ['speaks es', 'covers US-TN'] },
        { user_id: 'cm1', name: 'Test Manager One', open_cases: 4, score: 60, reasons: [] },
      ],
    });
    const assign = vi.spyOn(cases, 'assignCase').mockResolvedValue({ ...detail(), assigned_to: 'cm2', version: 2 });
    await mount(sup);
    const items = [...root!.querySelectorAll('[data-testid="suggestions"] li')];
    expect(items.map((li) => li.getAttribute('data-user-id'))).toEqual(['cm2', 'cm1']);
    expect(items[0]!.textContent).toContain('speaks es · covers US-TN');
    act(() => items[0]!.querySelector<HTMLButtonElement>('[data-testid="suggestion-assign"]')!.click());
    await flush();
    expect(assign).toHaveBeenCalledWith('c1', 1, 'cm2');
    expect(q('[data-testid="suggestion-done"]')!.textContent).toBe('Case SC-TEST-0001 is assigned to Test Manager Two.');
  });

  it('case managers do not get suggestions', async () => {
    vi.spyOn(cases, 'getCase').mockResolvedValue(detail());
    vi.spyOn(cases, 'listNotes').mockResolvedValue({ items: [], next_cursor: null });
    const sug = vi.spyOn(liveCalls, 'suggestions');
    await mount();
    expect(q('[data-testid="suggestions"]')).toBeNull();
    expect(sug).not.toHaveBeenCalled();
  });

  it('lists linked cases and links another by reference and relationship', async () => {
    const get = vi.spyOn(cases, 'getCase').mockResolvedValue(detail({ links: [{ case_id: 'c9', reference: 'SC-FAMI-LY01', relationship: 'child' }] }));
    vi.spyOn(cases, 'listNotes').mockResolvedValue({ items: [], next_cursor: null });
    const link = vi.spyOn(liveCalls, 'linkCase').mockResolvedValue({ case_id: 'c8', reference: 'SC-PART-NER1', relationship: 'partner' });
    await mount();
    expect(q('[data-testid="case-links"] a[href="/cases/c9"]')!.textContent).toBe('Case SC-FAMI-LY01');
    act(() => q('[data-testid="link-add"]')!.click());
    await flush();
    expect(q('#link-case_reference-error')!.textContent).toContain('SC-ABCD-EFGH');
    const ref = q('#link-case_reference') as HTMLInputElement;
    act(() => {
      ref.value = ' sc-part-ner1 ';
      ref.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const rel = q('#link-relationship') as HTMLSelectElement;
    act(() => {
      rel.value = 'partner';
      rel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    act(() => q('[data-testid="link-add"]')!.click());
    await flush();
    expect(link).toHaveBeenCalledWith('c1', 'SC-PART-NER1', 'partner');
    expect(q('[data-testid="link-done"]')!.textContent).toBe('Linked to case SC-PART-NER1.');
    expect(get).toHaveBeenCalledTimes(2);
  });
});

