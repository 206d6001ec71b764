import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../api';
import { toProblem } from '../problem';
import { crisisOf } from './api';
import { MemberApp } from './MemberApp';
import { parseOtherMemberPath } from './paths';
import { validateTalk, type TalkAnswers } from './Talk';

const US = { country: 'US', known: true, language: 'en', emergency: '911', lines: [{ name: '988 Suicide & Crisis Lifeline', how: 'Call or text 988.', phone: '988' }] };
const flush = () =>
  act(async () => {
    for (let i = 0; i < 6; i++) await new Promise((r) => setTimeout(r, 0));
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
function mount(url: string) {
  window.history.replaceState(null, '', url);
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(<MemberApp />, root!));
}
const $ = <T extends Element = HTMLElement>(sel: string) => root!.querySelector<T>(sel)!;
function type(sel: string, v: string) {
  const el = $<HTMLInputElement>(sel);
  act(() => {
    el.value = v;
    el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  });
}
const click = (sel: string) => act(() => $<HTMLElement>(sel).click());

describe('paths', () => {
  it('/talk, /status and their Spanish twins', () => {
    expect(parseOtherMemberPath('/talk')).toEqual({ page: 'talk', explicitLang: null });
    expect(parseOtherMemberPath('/es/status/')).toEqual({ page: 'status', explicitLang: 'es' });
    expect(parseOtherMemberPath('/talking')).toBeNull();
    expect(parseOtherMemberPath('/es/intake')).toBeNull();
  });
});

describe('crisis lines in either shape', () => {
  it('reads {resources: {…}} and {country, resources: [lines]}', () => {
    expect(crisisOf({ resources: US })!.lines[0]!.name).toBe('988 Suicide & Crisis Lifeline');
    const flat = crisisOf({ country: 'US', emergency: '911', resources: US.lines })!;
    expect(flat.emergency).toBe('911');
    expect(flat.lines[0]!.phone).toBe('988');
    expect(crisisOf(null)).toBeNull();
  });
});

describe('talk to someone now', () => {
  const base: TalkAnswers = { preferred_name: 'Test Member', phone: '+1 615 555 0142', voicemail_ok: 'no', time_zone: 'America/Chicago', case_reference: '', day: '', slot_start: '', email: '' };

  it('validates: name, phone, voicemail, a slot when booking, the reference and email formats', () => {
    expect(validateTalk(base, false)).toEqual({});
    expect(Object.keys(validateTalk({ ...base, preferred_name: ' ', phone: '12', voicemail_ok: '' }, false))).toEqual(['preferred_name', 'phone', 'voicemail_ok']);
    expect(validateTalk(base, true)).toEqual({ day: ['talk.err.day'] });
    expect(validateTalk({ ...base, day: '2026-11-26' }, true)).toEqual({ slot_start: ['talk.err.slot'] });
    expect(validateTalk({ ...base, case_reference: 'sc-abcd-efgh' }, false)).toEqual({});
    expect(validateTalk({ ...base, case_reference: 'ABC', email: 'nope' }, false)).toEqual({ case_reference: ['talk.err.ref'], email: ['contact.err.emailFormat'] });
  });

  it('someone on duty: asks for a call now (no slot), then "we will call you shortly"', async () => {
    const req = vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path.startsWith('/api/v1/support/availability')) return { open_now: true, on_duty_count: 2, slots: [] };
      if (path === '/api/v1/support-requests') return { id: 'r1', status: 'waiting', open_now: true, slot: null, calendar_ics: null, next_step: 'Someone will call you shortly.', crisis: { country: 'US', resources: US.lines } };
      throw new Error(`unexpected ${path}`);
    });
    mount('/talk');
    await flush();
    expect($('h1').textContent).toBe('Talk to someone now');
    expect($('[data-testid="talk-availability"]').textContent).toContain('People on our team on duty now: 2.');
    expect(root!.querySelector('#talk-day')).toBeNull();
    type('#talk-preferred_name', 'Test Member');
    type('#talk-phone', '+1 615 555 0142');
    click('#talk-voicemail_ok-1');
    click('[data-testid="talk-submit"]');
    await flush();
    const call = req.mock.calls.find((c) => c[0] === '/api/v1/support-requests')!;
    const opts = call[1] as { body: Record<string, unknown>; headers: Record<string, string> };
    expect(opts.body.slot_start).toBeUndefined();
    expect(opts.body.voicemail_ok).toBe(false);
    expect(opts.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect($('h1').textContent).toBe('We will call you shortly');
    expect($('[data-testid="talk-next"]').textContent).toContain('They will not leave a voicemail.');
    expect($('[data-testid="talk-next-step"]').textContent).toBe('Someone will call you shortly.');
  });

  it('nobody on duty (Spanish): choose a day and a time in your zone, book, and get the invite', async () => {
    vi.spyOn(api, 'request').mockImplementation(async (path: string, opts?: { body?: unknown }) => {
      if (path.startsWith('/api/v1/crisis-resources')) return { ...US, language: 'es' };
      if (path.startsWith('/api/v1/support/availability'))
        return { open_now: false, on_duty_count: 0, slots: [{ start: '2026-11-26T15:00:00Z', end: '2026-11-26T15:30:00Z' }, { start: '2026-11-26T15:30:00Z', end: '2026-11-26T16:00:00Z' }] };
      if (path === '/api/v1/support-requests') {
        const b = opts!.body as { slot_start: string };
        return { id: 'r2', status: 'booked', open_now: false, slot: { start: b.slot_start, end: '2026-11-26T16:00:00Z' }, calendar_ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', next_step: 'Te llamaremos.' };
      }
      throw new Error(`unexpected ${path}`);
    });
    const url = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:ics');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    mount('/es/talk');
    await flush();
    expect($('h1').textContent).toBe('Habla con alguien ahora');
    type('#talk-time_zone', 'America/Chicago');
    await flush();
    type('#talk-preferred_name', 'Test Member');
    type('#talk-phone', '+1 615 555 0142');
    click('#talk-voicemail_ok');
    expect([...$<HTMLSelectElement>('#talk-day').options].map((o) => o.textContent)).toEqual(['Elige una opción', 'jueves, 26 de noviembre']);
    type('#talk-day', '2026-11-26');
    const slots = [...root!.querySelectorAll('[data-testid="talk-slots"] label')].map((l) => l.textContent!.replace(/\s/g, ' '));
    expect(slots[0]).toMatch(/^9:00/);
    click('#talk-slot_start-1');
    type('#talk-email', 'test.member@example.org');
    click('[data-testid="talk-submit"]');
    await flush();
    expect($('h1').textContent).toBe('Tu llamada está reservada');
    const ics = $<HTMLAnchorElement>('[data-testid="talk-ics"]');
    expect(ics.getAttribute('download')).toBe('soundcheck-call.ics');
    expect(ics.getAttribute('href')).toBe('blob:ics');
    expect(url).toHaveBeenCalled();
    expect($('[data-testid="talk-next"]').textContent).toContain('test.member@example.org');
  });

  it('no times free: the link to the intake loads the intake page (another app), not a route of this one', async () => {
    vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path.startsWith('/api/v1/support/availability')) return { open_now: false, on_duty_count: 0, slots: [] };
      throw new Error(`unexpected ${path}`);
    });
    mount('/es/talk');
    await flush();
    const link = $<HTMLAnchorElement>('[data-testid="talk-intake-link"]');
    expect(link.getAttribute('href')).toBe('/es/intake');
    expect(link.textContent).toBe('Llenar el formulario para recibir apoyo');
    const push = vi.spyOn(window.history, 'pushState');
    // The browser's own navigation is what must happen: see whether the page's handler stopped
    // it, then stop it here (the test document has nowhere to go).
    let prevented: boolean | null = null;
    const watch = (e: Event) => {
      prevented = e.defaultPrevented;
      e.preventDefault();
    };
    document.addEventListener('click', watch);
    try {
      act(() => {
        link.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
      });
    } finally {
      document.removeEventListener('click', watch);
    }
    expect(prevented).toBe(false);
    expect(push).not.toHaveBeenCalled();
    expect(window.location.pathname).toBe('/es/talk');
  });
});

describe('the status page', () => {
  const STATUS = {
    reference: 'SC-ABCD-EFGH',
    status: 'contacted',
    updated_at: '2026-11-25T15:00:00Z',
    case_manager: { name: 'Test Case Manager' },
    language: 'en',
    contact: { email: 'care@example.org', phone: '+1 615 555 0100', hours: 'Monday to Friday' },
    crisis: { country: 'US', emergency: '911', resources: US.lines },
  };

  it('a link’s token (#t=…) is exchanged once and removed from the address; the page shows the case; sign out', async () => {
    const req = vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path === '/api/v1/member/sessions') return STATUS;
      if (path === '/api/v1/member/logout') return undefined;
      throw new Error(`unexpected ${path}`);
    });
    mount('/status#t=tok_abcdefghijklmnop');
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/status');
    await flush();
    expect(req).toHaveBeenCalledWith('/api/v1/member/sessions', expect.objectContaining({ method: 'POST', body: { token: 'tok_abcdefghijklmnop' } }));
    expect($('[data-testid="status-reference"]').textContent).toBe('SC-ABCD-EFGH');
    expect($('[data-testid="status-now"]').textContent).toBe('A case manager has been in touch with you.');
    expect($('[data-testid="status-cm"]').textContent).toBe('Your case manager is Test Case Manager.');
    expect(root!.querySelector('[data-testid="status-contact"] a[href="tel:+16155550100"]')).not.toBeNull();
    expect(root!.querySelector('.crisis-inline a[href="tel:911"]')).not.toBeNull();
    click('[data-testid="status-sign-out"]');
    await flush();
    expect(req).toHaveBeenCalledWith('/api/v1/member/logout', expect.objectContaining({ method: 'POST' }));
    expect($('[data-testid="status-signed-out"]')).not.toBeNull();
  });

  it('several cases (the server’s `cases` list): one section each', async () => {
    vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path === '/api/v1/member/status')
        return {
          language: 'en',
          cases: [
            { reference: 'SC-AAAA-BBBB', status: 'new', updated_at: '2026-11-25T15:00:00Z', case_manager: null },
            { reference: 'SC-CCCC-DDDD', status: 'active', updated_at: '2026-11-20T15:00:00Z', case_manager: { name: 'Test Case Manager' } },
          ],
          contact: { email: 'care@example.org' },
          crisis: US,
        };
      throw new Error(`unexpected ${path}`);
    });
    mount('/status');
    await flush();
    expect($('h1').textContent).toBe('Your requests');
    const sections = [...root!.querySelectorAll('[data-testid="status-case"]')];
    expect(sections.map((x) => x.querySelector('h2')!.textContent)).toEqual(['Request SC-AAAA-BBBB', 'Request SC-CCCC-DDDD']);
    expect(sections[1]!.textContent).toContain('Your plan is under way.');
    expect(sections[1]!.textContent).toContain('Your case manager is Test Case Manager.');
    expect(root!.querySelector('.crisis-inline a[href="tel:911"]')).not.toBeNull();
  });

  it('no plan yet: says plainly that it will appear here once the case manager has made it', async () => {
    vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path === '/api/v1/member/status') return { language: 'en', cases: [{ reference: 'SC-AAAA-BBBB', status: 'new', updated_at: '2026-11-25T15:00:00Z', case_manager: null, plan: null }], contact: {}, crisis: US };
      throw new Error(`unexpected ${path}`);
    });
    mount('/status');
    await flush();
    expect($('[data-testid="member-plan"] h2').textContent).toBe('Your plan');
    expect($('[data-testid="member-plan-none"]').textContent).toBe('Your plan will appear here once your case manager has made it with you.');
    expect(root!.querySelector('[data-testid="member-plan-print"]')).toBeNull();
  });

  it('the plan in the member’s language: goals, steps with what they are, status, start, sessions and cost; "Print my plan"', async () => {
    vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return { ...US, language: 'es' };
      if (path === '/api/v1/member/status')
        return {
          language: 'es',
          cases: [
            {
              reference: 'SC-AAAA-BBBB',
              status: 'planning',
              updated_at: '2026-11-25T15:00:00Z',
              case_manager: { name: 'Test Case Manager' },
              plan: {
                version: 1,
                updated_at: '2026-11-26T10:00:00Z',
                goals: [{ id: 'g1', text: 'Dormir bien en la gira' }],
                items: [
                  { id: 'i1', kind: 'provider', status: 'proposed', title: 'Terapia semanal', service_id: 's1', goal_id: 'g1', starts_on: '2026-12-01', sessions: 8, cost: { low_cents: 0, high_cents: 15000, basis: 'in_network', per: 'session' }, fund_reference: '', for_member: 'Tu primera sesión es el 1 de diciembre.' },
                  { id: 'i2', kind: 'financial_aid', status: 'agreed', title: 'Ayuda del fondo', service_id: '', goal_id: '', starts_on: '', sessions: 0, cost: null, fund_reference: '', for_member: '' },
                ],
              },
            },
          ],
          contact: {},
          crisis: US,
        };
      throw new Error(`unexpected ${path}`);
    });
    const print = vi.fn();
    const had = Object.getOwnPropertyDescriptor(window, 'print');
    Object.defineProperty(window, 'print', { value: print, configurable: true, writable: true });
    mount('/es/status');
    await flush();
    const plan = $('[data-testid="member-plan"]');
    expect(plan.querySelector('h2')!.textContent).toBe('Tu plan');
    expect([...plan.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['Meta 1: Dormir bien en la gira', 'Otros pasos']);
    const [first, second] = [...plan.querySelectorAll<HTMLElement>('[data-testid="member-plan-item"]')];
    expect(first!.querySelector('h4')!.textContent).toBe('Terapia semanal');
    expect(first!.querySelector('[data-testid="member-plan-kind"]')!.textContent).toBe('Atención de un profesional');
    expect(first!.querySelector('[data-testid="member-plan-status"]')!.textContent).toBe('Sugerido');
    expect(first!.querySelector('[data-testid="member-plan-cost"]')!.textContent!.replace(/\u00a0/g, ' ')).toBe('de $0 a $150 por sesión');
    expect(first!.querySelector('[data-testid="member-plan-basis"]')!.textContent).toBe('Dentro de la red de tu seguro');
    expect(first!.textContent).toContain('1 de diciembre de 2026');
    expect(first!.textContent).toContain('8 sesiones');
    expect(first!.querySelector('[data-testid="member-plan-for-member"]')!.textContent).toBe('Tu primera sesión es el 1 de diciembre.');
    expect(second!.querySelector('[data-testid="member-plan-status"]')!.textContent).toBe('Acordado');
    expect(second!.querySelector('[data-testid="member-plan-cost"]')).toBeNull();
    click('[data-testid="member-plan-print"]');
    expect(print).toHaveBeenCalled();
    expect($('[data-testid="member-plan-print"]').textContent).toBe('Imprimir mi plan');
    if (had) Object.defineProperty(window, 'print', had);
    else delete (window as { print?: unknown }).print;
  });

  it('a used or expired link (410) says so and offers the form', async () => {
    vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return US;
      if (path === '/api/v1/member/sessions') throw new ApiError(toProblem({ title: 'Gone' }, 410));
      throw new Error(`unexpected ${path}`);
    });
    mount('/status#t=tok_abcdefghijklmnop');
    await flush();
    expect($('[data-testid="status-expired"]').textContent).toContain('expired or has already been used');
    expect(root!.querySelector('#status-email')).not.toBeNull();
  });

  it('without a link or session: "email me a link" always gives the same answer (Spanish)', async () => {
    const req = vi.spyOn(api, 'request').mockImplementation(async (path: string) => {
      if (path.startsWith('/api/v1/crisis-resources')) return { ...US, language: 'es' };
      if (path === '/api/v1/member/status') throw new ApiError(toProblem({ title: 'Unauthorized' }, 401));
      if (path === '/api/v1/member/links') return { message: 'ok' };
      throw new Error(`unexpected ${path}`);
    });
    mount('/es/status');
    await flush();
    expect($('h1').textContent).toBe('Consulta cómo va tu solicitud');
    click('[data-testid="status-send"]');
    await flush();
    expect($('#status-email-error').textContent).toContain('Escribe tu correo electrónico');
    type('#status-email', 'test.member@example.org');
    click('[data-testid="status-send"]');
    await flush();
    expect(req).toHaveBeenCalledWith('/api/v1/member/links', expect.objectContaining({ body: { email: 'test.member@example.org' } }));
    expect($('[data-testid="status-sent"]').textContent).toContain('Si tenemos este correo electrónico');
  });
});
