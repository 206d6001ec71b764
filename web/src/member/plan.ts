// The care plan on the member's status page, in words: what an item is, where it stands, its
// estimated cost and sessions — all from i18n/<lang>/web.json (plan.*), in the member's
// language. Pure: the tests call these with a translator. The plan never carries staff notes
// (the server leaves them out of GET /api/v1/member/status).
import type { Lang, MessageKey, T } from '../i18n';
import type { ItemCost, PlanGoal, PlanItem } from '../carePlan';
import { formatMoney } from '../money';

/** A case's plan as the member may see it: the newest version, or an urgent case's newest signed off. */
export interface MemberPlan {
  version: number;
  updated_at: string;
  goals: PlanGoal[];
  items: Array<Omit<PlanItem, 'notes'>>;
}

function known(t: T, key: string, fallback: string): string {
  const text = t(key as MessageKey);
  return text === key ? fallback : text;
}

export const memberKind = (kind: string, t: T) => known(t, `plan.kind.${kind}`, kind);
export const memberStatus = (status: string, t: T) => known(t, `plan.status.${status}`, status);
export const memberBasis = (basis: string, t: T) => known(t, `plan.basis.${basis}`, basis);

/**
 * "$30 per session", "$0 to $150 per session", "$120 a month", "$500 one time", "Free", "from $40
 * per session (the highest it could cost is not known yet)"; null: no estimate.
 */
export function memberCostText(cost: ItemCost | null, t: T, lang: Lang): string | null {
  if (!cost) return null;
  if (cost.basis === 'free' && cost.low_cents === 0 && cost.high_cents === 0) return t('plan.cost.free');
  // A null high end: no upper limit is known, so the estimate is "from" the low end.
  const high = cost.high_cents;
  const amount =
    high === null
      ? t('plan.cost.from', { low: formatMoney(cost.low_cents, lang) })
      : cost.low_cents === high
        ? formatMoney(cost.low_cents, lang)
        : t('plan.cost.range', { low: formatMoney(cost.low_cents, lang), high: formatMoney(high, lang) });
  const per = cost.per === 'month' ? t('plan.cost.perMonth', { amount }) : cost.per === 'once' ? t('plan.cost.once', { amount }) : t('plan.cost.perSession', { amount });
  return high === null ? t('plan.cost.openEnded', { amount: per }) : per;
}

export function sessionsText(n: number, t: T, lang: Lang): string {
  return t(new Intl.PluralRules(lang).select(n) === 'one' ? 'plan.sessions.one' : 'plan.sessions.other', { n });
}

/** A calendar day (YYYY-MM-DD) in words: "1 December 2026" / "1 de diciembre de 2026". */
export function dayText(iso: string, lang: Lang): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'es' ? 'es' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

/** A plan from the wire, or null when it is not one (the page then says the plan is not ready). */
export function parseMemberPlan(v: unknown): MemberPlan | null {
  if (!v || typeof v !== 'object') return null;
  const p = v as Record<string, unknown>;
  if (!Array.isArray(p.items) || !Array.isArray(p.goals)) return null;
  const str = (x: unknown) => (typeof x === 'string' ? x : '');
  return {
    version: typeof p.version === 'number' ? p.version : 0,
    updated_at: str(p.updated_at),
    goals: (p.goals as unknown[]).filter((g): g is Record<string, unknown> => !!g && typeof g === 'object').map((g) => ({ id: str(g.id), text: str(g.text) })),
    items: (p.items as unknown[])
      .filter((i): i is Record<string, unknown> => !!i && typeof i === 'object')
      .map((i) => {
        const c = i.cost as Record<string, unknown> | null | undefined;
        const cost: ItemCost | null =
          // A null high end: no upper limit is known ("from $40 per session").
          c && typeof c === 'object' && typeof c.low_cents === 'number' && (typeof c.high_cents === 'number' || c.high_cents === null)
            ? { low_cents: c.low_cents, high_cents: c.high_cents, basis: str(c.basis), per: str(c.per) || 'session' }
            : null;
        return {
          id: str(i.id),
          kind: str(i.kind),
          status: str(i.status),
          title: str(i.title),
          service_id: str(i.service_id),
          goal_id: str(i.goal_id),
          starts_on: str(i.starts_on),
          sessions: typeof i.sessions === 'number' ? i.sessions : 0,
          cost,
          fund_reference: str(i.fund_reference),
          for_member: str(i.for_member),
        };
      }),
  };
}
