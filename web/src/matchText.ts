// Matching answers in words: reasons (code + value + detail) as short phrases, costs as amounts
// and ranges, the cost's steps and inputs by name, tour dates, counts and relaxations — all
// through the catalogs (i18n/<lang>/matching.json), with dates, amounts and distances formatted
// in the page language. Pure: the tests call these with a translator.
import { plural, isMatchKey, type MT, type MatchKey } from './i18n/matching';
import type { Lang } from './i18n';
import type { Cost, CostBasis, Match, MatchAnswer, Reason, Relaxation, SessionDate } from './matching';
import type { ItemCost } from './carePlan';
import { formatMoney } from './money';

export interface TextCtx {
  t: MT;
  lang: Lang;
  /** Today, YYYY-MM-DD: dates this year are shown without the year. */
  today: string;
  /** 'public': the finder speaks to the person ("you"); 'staff': about "the member". */
  audience: 'staff' | 'public';
}

export function todayIso(now = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

// --- numbers, money, dates, places -------------------------------------------------------------

// Dates as the console writes them elsewhere ("30 Jun 2027"); Spanish "30 jun 2027".
const DATE_LOCALE: Record<Lang, string> = { en: 'en-GB', es: 'es' };

export { formatMoney };

/** "3.2 km" (one decimal at most), in the page language. */
export function formatKm(km: number, lang: Lang): string {
  return new Intl.NumberFormat(lang, { style: 'unit', unit: 'kilometer', unitDisplay: 'short', maximumFractionDigits: 1 }).format(km);
}

/** A calendar day (YYYY-MM-DD): "20 Nov" this year, "30 Jun 2027" otherwise (or always with `year`). */
export function formatDay(iso: string, ctx: Pick<TextCtx, 'lang' | 'today'>, year: boolean | 'auto' = 'auto'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  const withYear = year === true || (year === 'auto' && iso.slice(0, 4) !== ctx.today.slice(0, 4));
  return new Intl.DateTimeFormat(DATE_LOCALE[ctx.lang] ?? 'en-GB', {
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(d);
}

/** Codes of places stay codes ("US-NY", "GB"): precise for licences, and what the data says. */
export function placeText(code: string): string {
  return code;
}

/** A language's name inside a sentence, as the language writes it ("English", "inglés"). */
export function languageText(code: string, lang: Lang): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A vocabulary term in words (care types, ages, formats, tags), or the code when we have none. */
export function termText(code: string, t: MT): string {
  const key = `term.${code}`;
  return isMatchKey(key) ? t(key) : code;
}

/** A name inside a sentence: "Individual therapy" → "individual therapy" ("ADHD", "EMDR" stay). */
export function inSentence(name: string, lang: Lang): string {
  if (name.length > 1 && name[1] === name[1]!.toLocaleLowerCase(lang) && name[1] !== name[1]!.toLocaleUpperCase(lang)) {
    return name[0]!.toLocaleLowerCase(lang) + name.slice(1);
  }
  return name;
}

/** A plan key ("sustain health (demo)|silver ppo") as the plan's name. */
export function planText(key: string, known?: { carrier: string; plan: string }): string {
  const [carrier = '', plan = ''] = key.split('|');
  if (known && known.carrier.trim().toLowerCase() === carrier && known.plan.trim().toLowerCase() === plan) {
    return [known.carrier.trim(), known.plan.trim()].filter(Boolean).join(' · ');
  }
  return [carrier, plan].filter(Boolean).join(' · ');
}

// --- reasons ---------------------------------------------------------------------------------------

export interface ReasonExtra {
  /** The plan as typed, to name it with its capitals. */
  plan?: { carrier: string; plan: string };
}

const you = (ctx: TextCtx, staff: MatchKey, pub: MatchKey): MatchKey => (ctx.audience === 'public' ? pub : staff);

/** A constraint met, as a short phrase: `licence` US-NY 2027-06-30 → "Licensed in US-NY until 30 Jun 2027". */
export function reasonText(r: Reason, ctx: TextCtx, extra: ReasonExtra = {}): string {
  const { t, lang } = ctx;
  const money = (v: string) => formatMoney(Number(v) || 0, lang);
  switch (r.code) {
    case 'care_type':
      return t('reason.care_type', { care: inSentence(termText(r.value, t), lang) });
    case 'telehealth':
      return t('reason.telehealth', { where: placeText(r.value) });
    case 'in_person':
      return t('reason.in_person', { km: formatKm(Number(r.value) || 0, lang) });
    case 'licence':
      return r.detail
        ? t('reason.licence', { where: placeText(r.value), date: formatDay(r.detail, ctx, true) })
        : t('reason.licence.noDate', { where: placeText(r.value) });
    case 'licence_psypact':
      return t(you(ctx, 'reason.licence_psypact', 'reason.licence_psypact.you'), { where: placeText(r.value), home: placeText(r.detail ?? '') });
    case 'no_licence_needed':
      return t('reason.no_licence_needed');
    case 'language':
      return t('reason.language', { language: languageText(r.value, lang) });
    case 'age':
      return t('reason.age', { age: termText(r.value, t) });
    case 'format':
      return t('reason.format', { format: termText(r.value, t) });
    case 'opening': {
      const n = Number(r.value) || 0;
      return r.detail ? plural(t, lang, 'reason.opening', n, { date: formatDay(r.detail, ctx) }) : plural(t, lang, 'reason.opening.noDate', n);
    }
    case 'in_network':
      return t('reason.in_network', { plan: planText(r.value, extra.plan) });
    case 'out_of_network':
      return t('reason.out_of_network', { amount: money(r.value) });
    case 'self_pay':
      return t(you(ctx, 'reason.self_pay', 'reason.self_pay.you'), { amount: money(r.value) });
    case 'sliding_scale':
      return t('reason.sliding_scale', { amount: money(r.value) });
    case 'free':
      return t('reason.free');
    case 'within_budget':
      return t('reason.within_budget', { amount: money(r.value) });
    default:
      return [r.code, r.value, r.detail].filter(Boolean).join(': ');
  }
}

const MUSIC_BITS: Array<[number, MatchKey]> = [
  [4, 'pref.music.treated'],
  [2, 'pref.music.worked'],
  [1, 'pref.music.workshop'],
];

function listText(items: string[], lang: Lang): string {
  try {
    return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}

/** A preference that raised the score, as a phrase (its points are shown beside it). */
export function preferenceText(r: Reason, ctx: TextCtx): string {
  const { t, lang } = ctx;
  switch (r.code) {
    case 'tag': {
      const facet = r.value.split(':')[0];
      const key: MatchKey = facet === 'issue' ? 'pref.tag.issue' : facet === 'approach' ? 'pref.tag.approach' : 'pref.tag';
      return t(key, { tag: key === 'pref.tag' ? termText(r.value, t) : inSentence(termText(r.value, t), lang) });
    }
    case 'music_industry': {
      const level = Number(r.value) || 0;
      const what = MUSIC_BITS.filter(([bit]) => (level & bit) !== 0).map(([, key]) => t(key));
      return what.length ? t('pref.music', { what: listText(what, lang) }) : t('pref.music.some');
    }
    case 'gender':
      return t('pref.gender', { gender: r.value });
    case 'earliest_opening':
      return t('pref.earliest_opening', { date: formatDay(r.value, ctx) });
    case 'distance':
      return t('pref.distance', { km: formatKm(Number(r.value) || 0, lang) });
    case 'cost':
      return t(you(ctx, 'pref.cost', 'pref.cost.you'), { amount: formatMoney(Number(r.value) || 0, lang) });
    case 'coverage': {
      const [covered = '0', sessions = '0'] = r.value.split('/');
      return t(you(ctx, 'pref.coverage', 'pref.coverage.you'), { covered: Number(covered), sessions: Number(sessions) });
    }
    default:
      return [r.code, r.value].filter(Boolean).join(': ');
  }
}

export function pointsText(points: number, ctx: TextCtx): string {
  return plural(ctx.t, ctx.lang, 'pref.points', points);
}

// --- cost ------------------------------------------------------------------------------------------

const BASES: Record<CostBasis, MatchKey> = {
  in_network: 'basis.in_network',
  out_of_network: 'basis.out_of_network',
  self_pay: 'basis.self_pay',
  sliding_scale: 'basis.sliding_scale',
  free: 'basis.free',
};

export function basisText(basis: string, t: MT): string {
  return basis in BASES ? t(BASES[basis as CostBasis]) : basis;
}

/** An amount or a range: "$30", "$0–$150", "from $40" (no upper bound). */
export function amountText(low: number, high: number | null, ctx: Pick<TextCtx, 't' | 'lang'>, currency = 'USD'): string {
  const { t, lang } = ctx;
  if (high === null) return t('cost.from', { low: formatMoney(low, lang, currency) });
  if (low === high) return formatMoney(low, lang, currency);
  return t('cost.range', { low: formatMoney(low, lang, currency), high: formatMoney(high, lang, currency) });
}

/**
 * The member's cost per session: "$30 per session", "$0–$150 per session", "From $40 per session"
 * (no upper bound), "Free", or "Cost unknown" when the provider's fee is not known.
 */
export function costText(cost: Cost, basis: string, ctx: Pick<TextCtx, 't' | 'lang'>): string {
  const { t } = ctx;
  if (cost.fee_unknown) return t('cost.unknown');
  if (basis === 'free' && cost.low_cents === 0 && cost.high_cents === 0) return t('cost.free');
  return t('cost.perSession', { amount: amountText(cost.low_cents, cost.high_cents, ctx, cost.currency) });
}

/**
 * A care plan item's recorded estimate (carePlan.ts), in the same words as a match's cost:
 * "$30 per session", "$0–$150 per session", "$120 per month", "$500 once", "Free" (basis free,
 * nothing to pay), "from $40 per session (no upper limit known)", "No estimate" (none recorded).
 */
export function planCostText(cost: ItemCost | null, ctx: Pick<TextCtx, 't' | 'lang'>): string {
  const { t } = ctx;
  if (!cost) return t('plan.noEstimate');
  if (cost.basis === 'free' && cost.low_cents === 0 && cost.high_cents === 0) return t('cost.free');
  const amount = amountText(cost.low_cents, cost.high_cents, ctx);
  const per = cost.per === 'month' ? t('cost.perMonth', { amount }) : cost.per === 'once' ? t('cost.once', { amount }) : t('cost.perSession', { amount });
  return cost.high_cents === null ? t('plan.cost.openEnded', { amount: per }) : per;
}

/** After an award or sponsor's aid, when there is any: "After aid: $0–$20 per session". */
export function afterAidText(cost: Cost, ctx: Pick<TextCtx, 't' | 'lang'>): string | null {
  if (cost.fee_unknown) return null;
  if (cost.after_aid_low_cents === cost.low_cents && cost.after_aid_high_cents === cost.high_cents) return null;
  return ctx.t('cost.afterAid', { amount: amountText(cost.after_aid_low_cents, cost.after_aid_high_cents, ctx, cost.currency) });
}

/** A step of the estimate by name (fee, allowed, deductible, …); unknown names as they are. */
export function stepName(name: string, t: MT): string {
  const key = `cost.step.${name}`;
  return isMatchKey(key) ? t(key) : name;
}

/** An input of the estimate (used / unknown / assumed) by name; unknown names as they are. */
export function inputName(name: string, t: MT): string {
  const key = `cost.input.${name}`;
  return isMatchKey(key) ? t(key) : name;
}

// --- tour dates, counts, relaxations --------------------------------------------------------------

export function dateText(d: SessionDate, ctx: TextCtx): string {
  const vars = { date: formatDay(d.date, ctx), where: placeText(d.jurisdiction) };
  return d.covered ? ctx.t('date.covered', vars) : ctx.t('date.uncovered', vars);
}

// Counts as the money is written (money.ts): "1,000" in English and in US Spanish.
const COUNT_LOCALE: Record<Lang, string> = { en: 'en-US', es: 'es-US' };

/** A count in the page language: "1,000". */
export function formatCount(n: number, lang: Lang): string {
  return new Intl.NumberFormat(COUNT_LOCALE[lang] ?? 'en-US', { maximumFractionDigits: 0 }).format(n);
}

/**
 * "No providers fit every need." / "4 providers fit." / "12 providers fit; showing the 5 best." /
 * "1,000 or more providers fit; showing the 20 best." (`eligible_at_least`: the server stopped
 * counting at 1,000).
 */
export function eligibleText(
  answer: Pick<MatchAnswer, 'eligible' | 'eligible_at_least' | 'items'>,
  ctx: Pick<TextCtx, 't' | 'lang'>,
  kind: 'providers' | 'resources' = 'providers',
): string {
  const { t, lang } = ctx;
  const n = answer.eligible;
  const shown = answer.items.length;
  const base = kind === 'resources' ? 'count.resources' : 'count.providers';
  const vars = { n: formatCount(n, lang), shown: formatCount(shown, lang) };
  if (answer.eligible_at_least) return plural(t, lang, shown > 0 ? `${base}.atLeast.some` : `${base}.atLeast`, n, vars);
  if (n === 0) return t(kind === 'resources' ? 'count.resources.none' : 'count.providers.none');
  if (shown >= n) return plural(t, lang, base, n, vars);
  return plural(t, lang, `${base}.some`, n, vars);
}

/**
 * A relaxation as a button label: "Any language — 14 results", "Any language — 100 or more
 * results" (`at_least`: the server stopped counting at 100). null when we cannot offer it.
 */
export function relaxationText(r: Relaxation, ctx: Pick<TextCtx, 't' | 'lang'>, maxKm?: number): string | null {
  const { t, lang } = ctx;
  const results = plural(t, lang, r.at_least ? 'relax.results.atLeast' : 'relax.results', r.results, { n: formatCount(r.results, lang) });
  switch (r.constraint) {
    case 'language':
      return t('relax.language', { results });
    case 'payment':
      return t('relax.payment', { results });
    case 'distance':
      return maxKm !== undefined ? t('relax.distance.km', { km: formatKm(Math.min(500, maxKm * 2), lang), results }) : t('relax.distance', { results });
    case 'mode':
      return t(r.change === 'in_person' ? 'relax.mode.in_person' : 'relax.mode.telehealth', { results });
    case 'opening':
      return t('relax.opening', { results });
    case 'age':
      return t('relax.age', { results });
    case 'format':
      return t('relax.format', { results });
    case 'care_type':
      return t('relax.care_type', { results });
    default:
      return null;
  }
}

/** The reach of a result: "Telehealth" or "In person · 3.2 km". */
export function reachText(m: Pick<Match, 'telehealth' | 'distance_km'>, ctx: Pick<TextCtx, 't' | 'lang'>): string {
  if (m.telehealth) return ctx.t('reach.telehealth');
  return m.distance_km !== null && m.distance_km !== undefined ? ctx.t('reach.in_person.km', { km: formatKm(m.distance_km, ctx.lang) }) : ctx.t('reach.in_person');
}
