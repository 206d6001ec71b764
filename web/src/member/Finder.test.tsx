import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { I18nContext, translator } from '../i18n';
import { matches } from '../matchApi';
import type { FinderAnswer, Match } from '../matching';
import { toProblem } from '../problem';
import { FinderPage, finderErrors } from './Finder';
import { matchTranslator } from '../i18n/matching';
import { memberPagePath, parseOtherMemberPath } from './paths';
import { flush, renderRoot, unmountRoot } from '../testing/dom';

const item = (id: string, name: string, over: Partial<Match> = {}): Match => ({
  service_id: id,
  name,
  organization_id: 'o',
  score: 100,
  telehealth: true,
  distance_km: null,
  met: [{ code: 'telehealth', value: 'US-NY' }],
  preferences: [],
  cost_basis: 'self_pay',
  cost: { low_cents: 10500, high_cents: 10500, after_aid_low_cents: 10500, after_aid_high_cents: 10500, currency: 'USD', complete: true, fee_unknown: false, steps: [], used: ['fee'], unknown: [], assumed: [] },
  dates: [],
  ...over,
});

const answer: FinderAnswer = {
  providers: { items: [item('p1', 'Therapy DEMO')], eligible: 1, eligible_at_least: false, relaxations: [{ constraint: 'language', change: 'any', results: 6, at_least: false }], snapshot_version: 1 },
  resources: {
    items: [item('r1', 'Peer support DEMO', { cost_basis: 'free', cost: { ...item('x', '').cost, low_cents: 0, high_cents: 0, after_aid_low_cents: 0, after_aid_high_cents: 0 } })],
    eligible: 1,
    eligible_at_least: false,
    relaxations: [],
    snapshot_version: 1,
  },
};


let root: HTMLElement | null = null;
async function mount(search: string, lang: 'en' | 'es' = 'en') {
  const path = lang === 'es' ? '/es/finder' : '/finder';
  root = renderRoot(
    <I18nContext.Provider value={{ lang, t: translator(lang) }}>
      <FinderPage path={path} search={search} />
    </I18nContext.Provider>,
  );
  await flush();
  await flush();
  return root;
}
const q = <T extends HTMLElement = HTMLElement>(sel: string) => root!.querySelector<T>(sel);

afterEach(() => {
  vi.restoreAllMocks();
  root = unmountRoot(root);
});

describe('the public finder', () => {
  it('is a member page at /finder and /es/finder (no sign-in)', () => {
    expect(parseOtherMemberPath('/finder')).toEqual({ page: 'finder', explicitLang: null });
    expect(parseOtherMemberPath('/es/finder/')).toEqual({ page: 'finder', explicitLang: 'es' });
    expect(parseOtherMemberPath('/finder/x')).toBeNull();
    expect(memberPagePath('finder', 'es')).toBe('/es/finder');
  });

  it('runs the search in the address and shows providers and community resources', async () => {
    const call = vi.spyOn(matches, 'finder').mockResolvedValue(answer);
    await mount('?jurisdiction=US-NY&care_type=individual-therapy');
    expect(call.mock.calls[0]![0].toString()).toBe('jurisdiction=US-NY&care_type=individual-therapy');
    expect(q<HTMLSelectElement>('#finder-jurisdiction')!.value).toBe('US');
    expect(q<HTMLSelectElement>('#finder-region')!.value).toBe('US-NY');
    expect(q<HTMLSelectElement>('#finder-care_type')!.value).toBe('care_type:individual-therapy');
    expect(q('[data-testid="finder-providers"]')!.textContent).toContain('Therapy DEMO');
    expect(q('[data-testid="finder-providers"]')!.textContent).toContain('$105 per session');
    expect(q('[data-testid="finder-resources"]')!.textContent).toContain('Peer support DEMO');
    expect(q('[data-testid="finder-resources"]')!.textContent).toContain('Free');
    // A relaxation is a link to the same search with that one change.
    const relax = q<HTMLAnchorElement>('[data-testid="finder-relaxations"] a')!;
    expect(relax.textContent).toBe('Any language — 6 results');
    expect(relax.getAttribute('href')).toBe('/finder?jurisdiction=US-NY&care_type=individual-therapy');
    // No link to a staff page from the public page.
    expect(q('[data-testid="match"] h3 a')).toBeNull();
  });

  it('asks for nothing before there is a place, and a submit puts the search in the address', async () => {
    const call = vi.spyOn(matches, 'finder').mockResolvedValue(answer);
    history.replaceState(null, '', '/finder');
    await mount('');
    expect(call).not.toHaveBeenCalled();
    expect(q('[data-testid="finder-start"]')).not.toBeNull();
    act(() => {
      const s = q<HTMLSelectElement>('#finder-region')!;
      s.value = 'US-TN';
      s.dispatchEvent(new Event('change', { bubbles: true }));
    });
    act(() => {
      const s = q<HTMLSelectElement>('#finder-language')!;
      s.value = 'es';
      s.dispatchEvent(new Event('change', { bubbles: true }));
    });
    act(() => {
      q<HTMLFormElement>('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await flush();
    expect(window.location.pathname + window.location.search).toBe('/finder?jurisdiction=US-TN&language=es');
  });

  it('says what went wrong, in the page language', () => {
    const t = matchTranslator('es');
    const tw = translator('es');
    const rate = finderErrors(new ApiError(toProblem({}, 429)), 'es', t, tw);
    expect(rate.detail).toBe('Demasiadas búsquedas en poco tiempo. Espera un minuto y vuelve a intentarlo.');
    const bad = finderErrors(
      new ApiError(toProblem({ errors: [{ field: '/location/jurisdiction', code: 'required', message: 'Say where the member is (e.g. US-NY).' }, { field: '/latitude', code: 'invalid_value', message: 'x' }] }, 422)),
      'es',
      t,
      tw,
    );
    expect(Object.keys(bad.fields).sort()).toEqual(['city', 'jurisdiction']);
    expect(bad.fields.jurisdiction![0]).toBe(tw('code.required'));
  });

  it('says "or more" when the server stopped counting, in English and Spanish', async () => {
    const stopped: FinderAnswer = {
      providers: {
        ...answer.providers,
        items: [item('p1', 'Therapy DEMO'), item('p2', 'More therapy DEMO')],
        eligible: 1000,
        eligible_at_least: true,
        relaxations: [
          { constraint: 'language', change: 'any', results: 100, at_least: true },
          { constraint: 'mode', change: 'telehealth', results: 1500, at_least: true },
        ],
      },
      resources: { ...answer.resources, items: [...answer.resources.items, item('r2', 'Meet-up DEMO')], eligible: 1000, eligible_at_least: true },
    };
    vi.spyOn(matches, 'finder').mockResolvedValue(stopped);
    await mount('?jurisdiction=US-NY&language=ko&mode=in_person');
    expect(q('[data-testid="finder-providers-count"]')!.textContent).toBe('1,000 or more providers fit; showing the 2 best.');
    expect(q('[data-testid="finder-resources-count"]')!.textContent).toBe('1,000 or more community resources; showing 2.');
    // Only what finds more than "1,000 or more": not "100 or more".
    const links = [...root!.querySelectorAll<HTMLAnchorElement>('[data-testid="finder-relaxations"] a')];
    expect(links.map((a) => a.textContent)).toEqual(['Telehealth too — 1,500 or more results']);
    expect(links[0]!.getAttribute('href')).toBe('/finder?jurisdiction=US-NY&language=ko');
    root = unmountRoot(root);

    await mount('?jurisdiction=US-NY&language=ko&mode=in_person', 'es');
    expect(q('[data-testid="finder-providers-count"]')!.textContent).toBe('1,000 o más proveedores cumplen; se muestran los 2 mejores.');
    expect(q('[data-testid="finder-resources-count"]')!.textContent).toBe('1,000 o más recursos comunitarios; se muestran 2.');
    expect(q('[data-testid="finder-relaxations"] a')!.textContent).toBe('También telesalud — 1,500 o más resultados');
  });

  it('offers "100 or more results" when the search finds fewer', async () => {
    const few: FinderAnswer = { ...answer, providers: { ...answer.providers, relaxations: [{ constraint: 'language', change: 'any', results: 100, at_least: true }] } };
    vi.spyOn(matches, 'finder').mockResolvedValue(few);
    await mount('?jurisdiction=US-NY&language=ko', 'es');
    expect(q('[data-testid="finder-providers-count"]')!.textContent).toBe('1 proveedor cumple.');
    expect(q('[data-testid="finder-relaxations"] a')!.textContent).toBe('Cualquier idioma — 100 o más resultados');
  });

  it('is in Spanish under /es/finder', async () => {
    vi.spyOn(matches, 'finder').mockResolvedValue(answer);
    await mount('?jurisdiction=US-NY', 'es');
    expect(q('h1')!.textContent).toBe('Buscar atención');
    expect(q('[data-testid="finder-providers"]')!.textContent).toContain('Proveedores');
    expect(q('[data-testid="finder-providers"]')!.textContent).toContain('por sesión');
    expect(q<HTMLAnchorElement>('[data-testid="finder-relaxations"] a')!.getAttribute('href')).toBe('/es/finder?jurisdiction=US-NY');
  });
  it("reads a result's contact details when they are opened, and offers a retry when that fails", async () => {
    vi.spyOn(matches, 'finder').mockResolvedValue(answer);
    const record = {
      id: 'p1',
      email: 'intake@example.org',
      phones: [{ id: 'ph', number: '+1-523-555-0173', type: 'voice', description: 'Fictional intake line' }],
      organization: { id: 'o', name: 'Fictional Practice DEMO', website: 'https://example.org/demo' },
      service_at_locations: [{ id: 's', location: { id: 'l', addresses: [{ id: 'a', address_1: '34 Demo Street', city: 'Springfield', state_province: 'NY', postal_code: '10000', country: 'US', address_type: 'physical' }] } }],
    };
    const service = vi.spyOn(matches, 'service').mockRejectedValueOnce(new ApiError(toProblem(null, 429))).mockResolvedValue(record);
    await mount('?jurisdiction=US-NY&care_type=individual-therapy');
    const card = q('[data-testid="finder-providers"] [data-testid="match"]')!;
    const details = card.querySelector<HTMLDetailsElement>('[data-testid="match-contact"]')!;
    expect(details.querySelector('summary')!.textContent).toBe('How to reach them');
    // Nothing is read for a result nobody opens.
    expect(service).not.toHaveBeenCalled();
    const open = async () => {
      // Opening fires its own toggle event; a second one must not read the record again.
      act(() => {
        details.open = true;
        details.dispatchEvent(new Event('toggle'));
      });
      await flush();
      await flush();
    };
    await open();
    expect(service).toHaveBeenCalledTimes(1);
    expect(service.mock.calls[0]![0]).toBe('p1');
    expect(details.querySelector('[role="alert"]')!.textContent).toContain('The contact details could not be loaded.');
    act(() => details.querySelector<HTMLButtonElement>('[data-testid="match-contact-error"] button')!.click());
    await flush();
    await flush();
    expect(service).toHaveBeenCalledTimes(2);
    const list = details.querySelector('[data-testid="match-contact-list"]')!;
    expect(list.textContent).toContain('Fictional Practice DEMO');
    const phone = list.querySelector<HTMLAnchorElement>('[data-testid="contact-phone"] a')!;
    expect(phone.getAttribute('href')).toBe('tel:+15235550173');
    expect(phone.textContent).toBe('+1-523-555-0173');
    expect(list.querySelector('a[href="mailto:intake@example.org"]')).not.toBeNull();
    expect(list.querySelector('a[href="https://example.org/demo"]')).not.toBeNull();
    expect(list.textContent).toContain('34 Demo Street, Springfield, NY 10000, US');
    // Closed and opened again: what was read is kept, not read again.
    act(() => {
      details.open = false;
      details.dispatchEvent(new Event('toggle'));
    });
    await open();
    expect(service).toHaveBeenCalledTimes(2);
  });

  it('says so when a listing gives no contact details, in Spanish under /es/finder', async () => {
    vi.spyOn(matches, 'finder').mockResolvedValue(answer);
    vi.spyOn(matches, 'service').mockResolvedValue({ id: 'p1' });
    await mount('?jurisdiction=US-NY&care_type=individual-therapy', 'es');
    const details = q<HTMLDetailsElement>('[data-testid="finder-providers"] [data-testid="match-contact"]')!;
    expect(details.querySelector('summary')!.textContent).toBe('Cómo contactar');
    act(() => {
      details.open = true;
      details.dispatchEvent(new Event('toggle'));
    });
    await flush();
    await flush();
    expect(details.textContent).toContain('Este anuncio no da datos de contacto.');
  });
});
