import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { DRAFT_KEY } from './draft';
import { completeDraft, score } from './fixtures';
import { IntakeApp } from './IntakeApp';

const US = {
  country: 'US',
  known: true,
  language: 'en',
  emergency: '911',
  lines: [{ name: '988 Suicide & Crisis Lifeline', how: 'Call or text 988.', phone: '988', text: '988' }],
};

const flush = () =>
  act(async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  });

let root: HTMLElement | null = null;
beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => {
  vi.restoreAllMocks();
  if (root) {
    render(null, root);
    root.remove();
    root = null;
  }
});

function mount(path: string) {
  window.history.replaceState(null, '', path);
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(<IntakeApp />, root!));
}

function choose(testId: string, label: string) {
  const group = root!.querySelector(`[data-testid="${testId}"]`)!;
  const l = [...group.querySelectorAll('label')].find((x) => x.textContent === label)!;
  const input = root!.querySelector<HTMLInputElement>(`#${l.getAttribute('for')}`)!;
  act(() => input.click());
}

describe('the PHQ-9 page', () => {
  it('a risk answer shows the full crisis panel on the same page; "Continue with the form" moves on', async () => {
    const d = completeDraft({ phq: [2, 1, null, null, null, null, null, null, null] });
    d.scores.phq2 = score([2, 1], 'phq9');
    localStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    const req = vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path === '/api/v1/screenings/score') return { instrument: 'phq9', score: 9, risk: 'low', next_instrument: 'cssrs', crisis: { resources: US } };
      throw new Error(`unexpected ${path}`);
    });
    mount('/intake/phq9');
    await flush();
    expect(root!.querySelector('h1')!.textContent).toBe('A few more questions about how you have been feeling');
    expect(root!.querySelector('[data-testid="crisis-panel"]')).toBeNull();

    for (const i of [3, 4, 5, 6, 7, 8]) choose(`item-phq-${i}`, 'Several days');
    choose('item-phq-9', 'Several days');
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="continue"]')!.click());
    await flush();

    expect(req).toHaveBeenCalledWith('/api/v1/screenings/score', expect.objectContaining({ body: expect.objectContaining({ instrument: 'phq9', answers: [2, 1, 1, 1, 1, 1, 1, 1, 1] }) }));
    const panel = root!.querySelector('[data-testid="crisis-panel"]')!;
    expect(panel).not.toBeNull();
    expect(window.location.pathname).toBe('/intake/phq9');
    expect(panel.textContent).toContain('988 Suicide & Crisis Lifeline');
    expect(panel.textContent).toContain('not watched around the clock');
    expect(panel.querySelector('a[href="tel:911"]')).not.toBeNull();
    expect(document.activeElement).toBe(panel);

    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="crisis-continue"]')!.click());
    await flush();
    // Item 9 answered: the C-SSRS screener comes next (the server's next_instrument).
    expect(window.location.pathname).toBe('/intake/cssrs');
    const saved = JSON.parse(localStorage.getItem(DRAFT_KEY)!);
    expect(saved.done).toContain('phq9');
    expect(saved.scores.phq9.risk).toBe('low');
  });

  it('the tenth "how difficult" item is optional, recorded and sent with the PHQ-9 score request', async () => {
    const d = completeDraft({ phq: [2, 1, null, null, null, null, null, null, null] });
    d.scores.phq2 = score([2, 1], 'phq9');
    localStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    const req = vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path === '/api/v1/screenings/score') return { instrument: 'phq9', score: 8, risk: 'none' };
      throw new Error(`unexpected ${path}`);
    });
    mount('/intake/phq9');
    await flush();
    const legend = root!.querySelector('[data-testid="item-phq-difficulty"] legend')!;
    expect(legend.textContent).toContain('how difficult have these problems made it for you');
    expect(legend.textContent).toContain('(optional)');
    for (const i of [3, 4, 5, 6, 7, 8, 9]) choose(`item-phq-${i}`, i === 9 ? 'Not at all' : 'Several days');
    choose('item-phq-difficulty', 'Very difficult');
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="continue"]')!.click());
    await flush();
    expect(req).toHaveBeenCalledWith(
      '/api/v1/screenings/score',
      expect.objectContaining({ body: expect.objectContaining({ instrument: 'phq9', options: expect.objectContaining({ phq9_difficulty: 2 }) }) }),
    );
    expect(window.location.pathname).toBe('/intake/gad2');
    expect(JSON.parse(localStorage.getItem(DRAFT_KEY)!).answers.phq_difficulty).toBe(2);
  });
});

describe('the C-SSRS page', () => {
  function atCssrs(lang = '') {
    const d = completeDraft({ phq: [2, 1, 1, 1, 1, 1, 1, 1, 1] });
    d.scores.phq2 = score([2, 1], 'phq9');
    d.scores.phq9 = score([2, 1, 1, 1, 1, 1, 1, 1, 1], 'cssrs', { risk: 'low', crisis: US });
    d.done = [...d.done, 'phq9'];
    localStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    return `${lang}/intake/cssrs`;
  }

  it('asks Q1, Q2 and Q6; a yes to Q2 reveals Q3–Q5; any yes shows the full crisis panel at once', async () => {
    const req = vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path === '/api/v1/screenings/score') return { instrument: 'cssrs', score: null, risk: 'high', crisis: { resources: US } };
      throw new Error(`unexpected ${path}`);
    });
    mount(atCssrs());
    await flush();
    expect(root!.querySelector('h1')!.textContent).toBe('Some questions about thoughts of suicide');
    const asked = () => [...root!.querySelectorAll('[data-testid^="item-cssrs-"]')].map((e) => e.getAttribute('data-testid'));
    expect(asked()).toEqual(['item-cssrs-q1', 'item-cssrs-q2', 'item-cssrs-q6']);
    expect(root!.querySelector('[data-testid="crisis-panel"]')).toBeNull();
    expect(root!.querySelector('[data-testid="instrument-note"]')).toBeNull(); // English page: no note

    choose('item-cssrs-q1', 'No');
    choose('item-cssrs-q2', 'Yes');
    expect(asked()).toEqual(['item-cssrs-q1', 'item-cssrs-q2', 'item-cssrs-q3', 'item-cssrs-q4', 'item-cssrs-q5', 'item-cssrs-q6']);
    // At once, before Continue, without taking focus away from the question.
    const panel = root!.querySelector('[data-testid="crisis-panel"]')!;
    expect(panel).not.toBeNull();
    expect(panel.textContent).toContain('not watched around the clock');
    expect(document.activeElement).not.toBe(panel);
    expect(root!.querySelector('[data-testid="cssrs-help-shown"]')!.textContent).toContain('Help is available right now');

    for (const q of ['q3', 'q4', 'q5', 'q6']) choose(`item-cssrs-${q}`, q === 'q4' ? 'Yes' : 'No');
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="continue"]')!.click());
    await flush();
    expect(req).toHaveBeenCalledWith(
      '/api/v1/screenings/score',
      expect.objectContaining({ body: expect.objectContaining({ instrument: 'cssrs', answers: { q1: false, q2: true, q3: false, q4: true, q5: false, q6: false } }) }),
    );
    // The first Continue stays and puts focus on the panel; its own button moves on.
    expect(window.location.pathname).toBe('/intake/cssrs');
    expect(document.activeElement?.getAttribute('data-testid')).toBe('crisis-panel');
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="crisis-continue"]')!.click());
    await flush();
    expect(window.location.pathname).toBe('/intake/gad2');
    const saved = JSON.parse(localStorage.getItem(DRAFT_KEY)!);
    expect(saved.scores.cssrs.risk).toBe('high');
    expect(saved.answers.cssrs).toEqual({ q1: false, q2: true, q3: false, q4: true, q5: false, q6: false, q6_past_3_months: null });
  });

  it('changing Q2 back to no drops Q3–Q5; a yes to Q6 asks "in the past 3 months?"; an empty Continue names each question', async () => {
    vi.spyOn(api, 'request').mockResolvedValue(US);
    mount(atCssrs());
    await flush();
    choose('item-cssrs-q2', 'Yes');
    choose('item-cssrs-q3', 'Yes');
    choose('item-cssrs-q2', 'No');
    expect(root!.querySelector('[data-testid="item-cssrs-q3"]')).toBeNull();
    expect(JSON.parse(localStorage.getItem(DRAFT_KEY)!).answers.cssrs.q3).toBeNull();
    choose('item-cssrs-q6', 'Yes');
    expect(root!.querySelector('[data-testid="item-cssrs-q6_past_3_months"]')).not.toBeNull();
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="continue"]')!.click());
    await flush();
    const summary = root!.querySelector('[data-testid="error-summary"]')!.textContent!;
    expect(summary).toContain('Choose yes or no for question 1');
    expect(summary).toContain('was this within the past 3 months?');
    expect(window.location.pathname).toBe('/intake/cssrs');
  });

  it('in Spanish: the published English questions, marked lang="en", with the note', async () => {
    vi.spyOn(api, 'request').mockResolvedValue({ ...US, language: 'es' });
    mount(atCssrs('/es'));
    await flush();
    expect(root!.querySelector('h1')!.textContent).toBe('Algunas preguntas sobre pensamientos de suicidio');
    expect(root!.querySelector('[data-testid="instrument-note"]')).not.toBeNull();
    const q1 = root!.querySelector('[data-testid="item-cssrs-q1"]')!;
    expect(q1.querySelector('legend')!.getAttribute('lang')).toBe('en');
    expect(q1.querySelector('legend')!.textContent).toContain('Have you wished you were dead');
    expect([...q1.querySelectorAll('label')].map((l) => [l.textContent, l.getAttribute('lang')])).toEqual([
      ['Yes', 'en'],
      ['No', 'en'],
    ]);
  });
});

describe('choosing the C-SSRS', () => {
  it('the PHQ-2 page offers it (optional); chosen, it comes after the PHQ-2', async () => {
    const d = completeDraft();
    d.done = d.done.filter((p) => p !== 'phq2' && p !== 'gad2');
    d.scores = {};
    localStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path === '/api/v1/screenings/score') return { instrument: 'phq2', score: 2, risk: 'none' };
      throw new Error(`unexpected ${path}`);
    });
    mount('/intake/phq2');
    await flush();
    const offer = root!.querySelector('[data-testid="cssrs-offer"]')!;
    expect(offer.querySelector('legend')!.textContent).toContain('(optional)');
    choose('cssrs-offer', 'Yes, add these questions');
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="continue"]')!.click());
    await flush();
    expect(window.location.pathname).toBe('/intake/cssrs');
  });

  it('a reload of a page further than the answers go lands on the first unanswered page', async () => {
    const d = completeDraft();
    d.done = ['who'];
    localStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    vi.spyOn(api, 'request').mockResolvedValue(US);
    mount('/intake/review');
    await flush();
    expect(window.location.pathname).toBe('/intake/name');
    expect((root!.querySelector('#intake-preferred_name') as HTMLInputElement).value).toBe('Sam');
  });
});

describe('language', () => {
  it('a Spanish URL is all Spanish, with <html lang="es">', async () => {
    vi.spyOn(api, 'request').mockResolvedValue({ ...US, language: 'es' });
    mount('/es/intake');
    await flush();
    expect(root!.querySelector('h1')!.textContent).toBe('Recibe apoyo de Soundcheck');
    expect(document.documentElement.lang).toBe('es');
    expect(root!.querySelector('[data-testid="lang-switch"]')!.getAttribute('href')).toBe('/intake');
  });
});

describe('sending', () => {
  function ready() {
    const d = completeDraft();
    d.done = [...d.done, 'review'];
    localStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    return d;
  }

  it('a field error from the server is listed on the review page and shown at its field', async () => {
    const d = ready();
    vi.spyOn(api, 'request').mockImplementation(async (path: string, opts?: { headers?: Record<string, string> }) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path === '/api/v1/intakes') {
        expect(opts?.headers?.['Idempotency-Key']).toBe(d.key);
        const { ApiError } = await import('../api');
        const { toProblem } = await import('../problem');
        throw new ApiError(
          toProblem(
            { type: 'https://soundcheck.dev/problems/validation-failed', title: 'Validation failed', status: 422, errors: [{ field: '/contact/phone', code: 'invalid_format', message: 'Enter a phone number with its country code, like +1 615 555 0100.' }] },
            422,
          ),
        );
      }
      throw new Error(path);
    });
    mount('/intake/review');
    await flush();
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="continue"]')!.click());
    await flush();
    const summary = root!.querySelector('[data-testid="error-summary"]')!;
    const link = summary.querySelector<HTMLAnchorElement>('a[href="/intake/contact?from=review"]')!;
    expect(link.textContent).toBe('Enter a phone number with its country code, like +1 615 555 0100.');
    expect(JSON.parse(localStorage.getItem(DRAFT_KEY)!).key).toBe(d.key); // kept for the retry
    act(() => link.click());
    await flush();
    expect(window.location.pathname).toBe('/intake/contact');
    expect(root!.querySelector('#intake-contact-phone-error')!.textContent).toContain('country code');
  });

  it('a dropped connection keeps the draft and says so; success clears it and shows what happens next', async () => {
    ready();
    const { ApiError } = await import('../api');
    const { toProblem } = await import('../problem');
    let calls = 0;
    vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path === '/api/v1/intakes') {
        calls += 1;
        if (calls === 1) throw new ApiError(toProblem(null, 0));
        return { reference: 'SC-7KQ2-M9XD', status: 'received', urgent: false, next_steps: { message: 'A case manager will contact you within 24 hours.', contact_within_hours: 24 } };
      }
      throw new Error(path);
    });
    mount('/intake/review');
    await flush();
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="continue"]')!.click());
    await flush();
    expect(root!.querySelector('[data-testid="error-summary"]')!.textContent).toContain('Sending again will not send them twice');
    expect(localStorage.getItem(DRAFT_KEY)).not.toBeNull();
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="continue"]')!.click());
    await flush();
    expect(window.location.pathname).toBe('/intake/sent');
    expect(root!.querySelector('[data-testid="reference"]')!.textContent).toBe('SC-7KQ2-M9XD');
    expect(root!.querySelector('[data-testid="next-steps"]')!.textContent).toContain('within 24 hours');
    expect(localStorage.getItem(DRAFT_KEY)).toBeNull();
  });
});
