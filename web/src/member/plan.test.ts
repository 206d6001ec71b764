import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { dayText, memberBasis, memberCostText, memberKind, memberStatus, parseMemberPlan, sessionsText } from './plan';

const en = translator('en');
const es = translator('es');
const norm = (s: string | null) => (s ?? '').replace(/\u00a0/g, ' ');

describe('the member’s plan in words', () => {
  it('kinds, statuses and bases in the member’s language (unknown codes as they are)', () => {
    expect(memberKind('provider', en)).toBe('Care from a provider');
    expect(memberKind('financial_aid', es)).toBe('Ayuda con los costos');
    expect(memberStatus('in_progress', en)).toBe('Under way');
    expect(memberStatus('declined', es)).toBe('No se hará');
    expect(memberBasis('in_network', es)).toBe('Dentro de la red de tu seguro');
    expect(memberKind('spa_day', en)).toBe('spa_day');
  });

  it('costs per session, month or once; a range; free; none', () => {
    expect(memberCostText({ low_cents: 3000, high_cents: 3000, basis: 'in_network', per: 'session' }, en, 'en')).toBe('$30 per session');
    expect(memberCostText({ low_cents: 0, high_cents: 15000, basis: 'in_network', per: 'session' }, en, 'en')).toBe('$0 to $150 per session');
    expect(norm(memberCostText({ low_cents: 0, high_cents: 15000, basis: 'in_network', per: 'session' }, es, 'es'))).toBe('de $0 a $150 por sesión');
    expect(memberCostText({ low_cents: 12050, high_cents: 12050, basis: 'self_pay', per: 'month' }, en, 'en')).toBe('$120.50 a month');
    expect(norm(memberCostText({ low_cents: 50000, high_cents: 50000, basis: 'other', per: 'once' }, es, 'es'))).toBe('$500 una sola vez');
    expect(memberCostText({ low_cents: 0, high_cents: 0, basis: 'free', per: 'session' }, es, 'es')).toBe('Gratis');
    expect(memberCostText(null, en, 'en')).toBeNull();
    // Recorded with no upper limit known (`high_cents: null`): from the low end.
    expect(memberCostText({ low_cents: 4000, high_cents: null, basis: 'out_of_network', per: 'session' }, en, 'en')).toBe(
      'from $40 per session (the highest it could cost is not known yet)',
    );
    expect(norm(memberCostText({ low_cents: 4000, high_cents: null, basis: 'out_of_network', per: 'session' }, es, 'es'))).toBe(
      'desde $40 por sesión (todavía no sabemos cuánto podría costar como máximo)',
    );
  });

  it('sessions and dates', () => {
    expect(sessionsText(1, en, 'en')).toBe('1 session');
    expect(sessionsText(8, es, 'es')).toBe('8 sesiones');
    expect(dayText('2026-12-01', 'en')).toBe('1 December 2026');
    expect(dayText('2026-12-01', 'es')).toBe('1 de diciembre de 2026');
    expect(dayText('soon', 'en')).toBe('soon');
  });

  it('reads the plan off the wire (null when there is none or it is not one)', () => {
    expect(parseMemberPlan(null)).toBeNull();
    expect(parseMemberPlan({ version: 1 })).toBeNull();
    const p = parseMemberPlan({
      version: 1,
      updated_at: '2026-11-26T10:00:00Z',
      goals: [{ id: 'g1', text: 'Sleep' }],
      items: [{ id: 'i1', kind: 'provider', status: 'agreed', title: 'Therapy', service_id: 's', goal_id: 'g1', starts_on: '2026-12-01', sessions: 8, cost: { low_cents: 3000, high_cents: 3000, basis: 'in_network', per: 'session' }, fund_reference: '', for_member: 'Hi' }, { id: 'i2', kind: 'event', status: 'proposed', title: 'Meet-up', cost: null }],
    })!;
    expect(p.items[0]!.cost).toEqual({ low_cents: 3000, high_cents: 3000, basis: 'in_network', per: 'session' });
    expect(p.items[1]).toMatchObject({ cost: null, sessions: 0, starts_on: '', for_member: '' });
    expect('notes' in p.items[0]!).toBe(false);
  });

  it('reads a cost with no upper limit known (a null high end) and says it so', () => {
    const p = parseMemberPlan({
      version: 2,
      goals: [],
      items: [{ id: 'i1', kind: 'provider', status: 'proposed', title: 'Therapy', cost: { low_cents: 4000, high_cents: null, basis: 'out_of_network', per: 'session' } }],
    })!;
    expect(p.items[0]!.cost).toEqual({ low_cents: 4000, high_cents: null, basis: 'out_of_network', per: 'session' });
    expect(memberCostText(p.items[0]!.cost, en, 'en')).toBe('from $40 per session (the highest it could cost is not known yet)');
    expect(norm(memberCostText({ low_cents: 2500, high_cents: null, basis: 'self_pay', per: 'month' }, es, 'es'))).toBe(
      'desde $25 al mes (todavía no sabemos cuánto podría costar como máximo)',
    );
    // A high end that is neither a number nor null is not a cost.
    expect(parseMemberPlan({ goals: [], items: [{ id: 'i1', cost: { low_cents: 4000, basis: 'self_pay' } }] })!.items[0]!.cost).toBeNull();
  });
});
