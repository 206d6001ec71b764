// The public finder (/finder, /es/finder; no sign-in): where you are, what care, language,
// online or in person, and your insurance or budget → GET /api/v1/finder → the providers you
// could use and the community resources near you, with the same explained reasons and costs as
// the console's matches.
//
// The search lives in the page address (?jurisdiction=US-NY&care_type=individual-therapy…) so it
// can be bookmarked, shared, and taken back and forth with the browser's buttons. That is
// acceptable here because the finder is anonymous: it asks for no name, no contact and nothing
// about the person's health, the server stores nothing (its answer is a cacheable public GET), and
// the pages are served with `Referrer-Policy: no-referrer`, so the address does not leak onward.
// The page says so, and asks people not to type their name or contact details.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Button, ErrorSummary, NumberField, SelectField, TextField, useFormErrors, type FormErrors } from '../components/forms';
import { MatchList } from '../components/MatchCard';
import { Link, Loading } from '../components/ui';
import { useMatchI18n, type MatchKey, type MT } from '../i18n/matching';
import type { Lang } from '../i18n';
import { problemText } from '../intake/context';
import { CARE_LANGUAGES } from '../intake/model';
import { screenPath } from '../intake/paths';
import { countryOptions, languageName, SUBDIVISIONS } from '../intake/regions';
import { matches as matchCalls } from '../matchApi';
import {
  CARE_TYPES,
  CITIES,
  MODES,
  findsMore,
  finderFormFromSearch,
  finderParams,
  relaxFinderParams,
  type FinderAnswer,
  type FinderForm,
  type MatchAnswer,
} from '../matching';
import { eligibleText, formatKm, relaxationText, termText } from '../matchText';
import { pointerToKey } from '../problem';
import { navigate } from '../router';
import '../components/matching.css';

const P = 'finder-';
export const FINDER_FIELDS = ['jurisdiction', 'region', 'city', 'care_type', 'language', 'mode', 'max_km', 'carrier', 'plan', 'budget_cents'] as const;
const DISTANCES = [10, 25, 40, 80, 160, 320];

export function finderPath(lang: Lang, params?: URLSearchParams): string {
  const base = lang === 'es' ? '/es/finder' : '/finder';
  const q = params?.toString();
  return q ? `${base}?${q}` : base;
}

/** A failed search in words, and the server's field messages at our fields (by code in Spanish). */
export function finderErrors(e: unknown, lang: Lang, t: MT, tw: Parameters<typeof problemText>[2]): FormErrors {
  if (!(e instanceof ApiError)) return { detail: t('finder.err.other'), fields: {}, general: [] };
  const s = e.status;
  const detail =
    s === 0 ? t('finder.err.network') : s === 429 ? t('finder.err.rate') : s >= 500 ? t('finder.err.server') : s === 400 || s === 422 ? t('finder.err.fix') : t('finder.err.other');
  const fields: Record<string, string[]> = {};
  const general: string[] = [];
  for (const fe of e.problem.errors ?? []) {
    const raw = pointerToKey(fe.field);
    // The finder's 422 for a missing place names the body's field, /location/jurisdiction.
    const key = raw === 'location.jurisdiction' ? 'jurisdiction' : raw === 'latitude' || raw === 'longitude' || raw.startsWith('location.') ? 'city' : raw;
    const msg = problemText(fe, lang, tw);
    if ((FINDER_FIELDS as readonly string[]).includes(key)) (fields[key] ??= []).push(msg);
    else general.push(msg);
  }
  return { detail, fields, general };
}

export function FinderPage({ path, search }: { path: string; search: string }) {
  const { lang, t, tw } = useMatchI18n();
  const [form, setForm] = useState<FinderForm>(() => finderFormFromSearch(search));
  const [answer, setAnswer] = useState<FinderAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const submitted = useRef(false);
  const seq = useRef(0);
  const asked = new URLSearchParams(search).has('jurisdiction');

  useEffect(() => {
    document.title = tw('title.page', { title: t('finder.title') });
  }, [lang]);

  // The address is the search: every change of it (a submit, a relaxation, Back) runs it again.
  useEffect(() => {
    const f = finderFormFromSearch(search);
    setForm(f);
    if (!asked) {
      setAnswer(null);
      return;
    }
    const built = finderParams(f);
    if (built.errors) {
      setErrors(translate(built.errors, t));
      return;
    }
    const id = ++seq.current;
    const ac = new AbortController();
    setBusy(true);
    matchCalls
      .finder(built.params, ac.signal)
      .then((a) => {
        if (id !== seq.current) return;
        setAnswer(a);
        clear();
        if (submitted.current) {
          submitted.current = false;
          requestAnimationFrame(() => resultsRef.current?.focus());
        }
      })
      .catch((e) => {
        if (id !== seq.current || (e instanceof DOMException && e.name === 'AbortError')) return;
        setAnswer(null);
        setErrors(finderErrors(e, lang, t, tw));
      })
      .finally(() => {
        if (id === seq.current) setBusy(false);
      });
    return () => ac.abort();
  }, [search]);

  const set = (patch: Partial<FinderForm>) => setForm((f) => ({ ...f, ...patch }));

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const built = finderParams(form);
    if (built.errors) {
      setErrors(translate(built.errors, t));
      return;
    }
    submitted.current = true;
    navigate(finderPath(lang, built.params));
  };

  const regions = SUBDIVISIONS[form.country];
  const cities = CITIES.filter((c) => c.jurisdiction.startsWith(form.country) && (!form.region || c.jurisdiction === form.region));
  const err = (k: string) => errors.fields[k];
  const km = form.max_km ? Number(form.max_km) : 40;
  const distances = DISTANCES.includes(km) ? DISTANCES : [...DISTANCES, km].sort((a, b) => a - b);

  return (
    <div class="narrow finder" data-testid="finder">
      <h1>{t('finder.title')}</h1>
      <p class="lede">{t('finder.lede')}</p>
      <p data-testid="finder-privacy">{t('finder.privacy')}</p>
      <form class="form" method="get" action={path} noValidate onSubmit={onSubmit} role="search" aria-label={t('finder.title')}>
        <ErrorSummary
          errors={errors}
          order={FINDER_FIELDS}
          idPrefix={P}
          focusKey={focusKey}
          title={tw('error.title')}
        />
        <fieldset class="match-form__section">
          <legend class="match-form__legend">{t('finder.where')}</legend>
          <SelectField
            id={`${P}jurisdiction`}
            name="country"
            label={t('finder.country')}
            value={form.country}
            autoComplete="country"
            options={[{ value: '', label: t('finder.region.choose') }, ...countryOptions(lang)]}
            onValue={(v) => set({ country: v, region: '', city: '' })}
            errors={err('jurisdiction')}
          />
          {regions && (
            <SelectField
              id={`${P}region`}
              name="region"
              label={t('finder.region')}
              value={form.region}
              options={[{ value: '', label: t('finder.region.choose') }, ...regions.map(([code, name]) => ({ value: code, label: name }))]}
              onValue={(v) => set({ region: v, city: '' })}
              errors={err('region')}
            />
          )}
          {cities.length > 0 && (
            <SelectField
              id={`${P}city`}
              name="city"
              label={t('finder.city')}
              hint={t('finder.city.hint')}
              value={form.city}
              options={[{ value: '', label: t('finder.city.none') }, ...cities.map((c) => ({ value: c.id, label: c.name }))]}
              onValue={(v) => set({ city: v })}
              errors={err('city')}
            />
          )}
        </fieldset>
        <SelectField
          id={`${P}care_type`}
          name="care_type"
          label={t('finder.care')}
          value={form.care_type}
          options={[{ value: '', label: t('finder.care.any') }, ...careOptions(form.care_type, t)]}
          onValue={(v) => set({ care_type: v })}
          errors={err('care_type')}
        />
        <SelectField
          id={`${P}language`}
          name="language"
          label={t('finder.language')}
          value={form.language}
          options={[
            { value: '', label: t('finder.language.any') },
            ...[...CARE_LANGUAGES, ...(form.language && !(CARE_LANGUAGES as readonly string[]).includes(form.language) ? [form.language] : [])].map((l) => ({
              value: l,
              label: languageName(l, lang),
            })),
          ]}
          onValue={(v) => set({ language: v })}
          errors={err('language')}
        />
        <SelectField
          id={`${P}mode`}
          name="mode"
          label={t('finder.mode')}
          value={form.mode}
          options={MODES.map((m) => ({ value: m, label: t(`finder.mode.${m}` as MatchKey) }))}
          onValue={(v) => set({ mode: v as FinderForm['mode'] })}
          errors={err('mode')}
        />
        {form.mode !== 'telehealth' && (
          <SelectField
            id={`${P}max_km`}
            name="max_km"
            label={t('finder.distance')}
            value={String(km)}
            options={distances.map((d) => ({ value: String(d), label: t('finder.distance.upTo', { km: formatKm(d, lang) }) }))}
            onValue={(v) => set({ max_km: v === '40' ? '' : v })}
            errors={err('max_km')}
          />
        )}
        <fieldset class="match-form__section" aria-describedby={`${P}pay-hint`}>
          <legend class="match-form__legend">{t('finder.pay')}</legend>
          <p class="field__hint" id={`${P}pay-hint`}>
            {t('finder.pay.hint')}
          </p>
          <TextField id={`${P}carrier`} name="carrier" label={t('finder.carrier')} autoComplete="off" maxLength={200} value={form.carrier} onValue={(v) => set({ carrier: v })} errors={err('carrier')} />
          <TextField id={`${P}plan`} name="plan" label={t('finder.plan')} autoComplete="off" maxLength={200} value={form.plan} onValue={(v) => set({ plan: v })} errors={err('plan')} />
          <NumberField id={`${P}budget_cents`} name="budget" label={t('finder.budget')} value={form.budget} onValue={(v) => set({ budget: v })} errors={err('budget_cents')} />
        </fieldset>
        <Button type="submit" busy={busy} data-testid="finder-submit">
          {busy ? t('finder.submitBusy') : t('finder.submit')}
        </Button>
      </form>
      <p class="visually-hidden" role="status">
        {busy ? t('finder.loading') : ''}
      </p>

      {!asked ? (
        <p class="finder__section" data-testid="finder-start">
          {t('finder.start')}
        </p>
      ) : answer ? (
        <>
          <section class="finder__section" aria-labelledby="finder-providers" data-testid="finder-providers">
            <h2 id="finder-providers" tabIndex={-1} ref={resultsRef}>
              {t('finder.providers')}
            </h2>
            <p data-testid="finder-providers-count">{eligibleText(answer.providers, { t, lang })}</p>
            <RelaxLinks answer={answer.providers} search={search} lang={lang} />
            <MatchList items={answer.providers.items} level={3} audience="public" testId="finder-provider-list" />
          </section>
          <section class="finder__section" aria-labelledby="finder-resources" data-testid="finder-resources">
            <h2 id="finder-resources">{t('finder.resources')}</h2>
            <p class="hint">{t('finder.resources.hint')}</p>
            <p data-testid="finder-resources-count">{eligibleText(answer.resources, { t, lang }, 'resources')}</p>
            <MatchList items={answer.resources.items} level={3} audience="public" testId="finder-resource-list" />
          </section>
        </>
      ) : (
        busy && <Loading label={t('finder.loading')} />
      )}

      <p class="finder__help">
        {/* A full page load: the intake is another app than this page's (see main.tsx). */}
        {t('finder.help')} <a href={screenPath(lang, 'start')}>{t('finder.helpLink')}</a>
      </p>
    </div>
  );
}

function careOptions(current: string, t: MT) {
  const list: string[] = [...CARE_TYPES];
  if (current && !list.includes(current)) list.push(current);
  return list.map((c) => ({ value: c, label: termText(c, t) }));
}

function translate(errs: Record<string, MatchKey[]>, t: MT): FormErrors {
  const fields: Record<string, string[]> = {};
  for (const [k, keys] of Object.entries(errs)) fields[k] = keys.map((key) => t(key));
  return { detail: null, fields, general: [] };
}

/** The providers' relaxations as links to the same search with that one change. */
function RelaxLinks({ answer, search, lang }: { answer: MatchAnswer; search: string; lang: Lang }) {
  const { t } = useMatchI18n();
  const base = finderParams(finderFormFromSearch(search)).params;
  const km = Number(new URLSearchParams(search).get('max_km') ?? 40) || 40;
  const links = answer.relaxations
    .filter((r) => findsMore(r, answer)) // only what would find more (also past the server's cap)
    .map((r) => {
      const params = relaxFinderParams(base, r);
      const label = relaxationText(r, { t, lang }, km);
      return params && label ? { key: `${r.constraint}-${r.change}`, href: finderPath(lang, params), label } : null;
    })
    .filter((x): x is { key: string; href: string; label: string } => x !== null);
  if (links.length === 0) return null;
  return (
    <div class="relax" data-testid="finder-relaxations">
      <h3 class="relax__title">{t('relax.title')}</h3>
      <p class="hint">{t('relax.hint.public')}</p>
      <ul class="relax__links">
        {links.map((l) => (
          <li key={l.key}>
            <Link href={l.href}>{l.label}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
