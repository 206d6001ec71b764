// "Find care" on the case page (case managers and supervisors): on open it asks the server for
// the case's matches with an empty body (the intake gives the query), then shows the query it
// actually ran as an editable form and the results, ranked and explained. Submitting sends the
// form (only what it holds, in the MatchQuery shape); a relaxation button sends it with one
// constraint loosened. A 400/422 shows each message at its field and keeps the form as typed.
// "Save as the case's care profile" keeps the form's facts about the person (not what is chosen
// per search) on the case, with If-Match, so every later search starts from them.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { careProfiles } from '../careProfileApi';
import { Button, CheckboxField, ErrorSummary, NumberField, SelectField, TextField, errorsFromException, errorsFromProblem, idFor, useFormErrors, type FormErrors, type TextKeys } from './forms';
import { Loading, Notice } from './ui';
import { MatchList } from './MatchCard';
import { CARE_LANGUAGES } from '../intake/model';
import { languageName } from '../intake/regions';
import { useMatchI18n, type MatchKey, type MT } from '../i18n/matching';
import type { Lang } from '../i18n';
import { matches as matchCalls } from '../matchApi';
import {
  AGES,
  CARE_TYPES,
  CITIES,
  FORMATS,
  MODES,
  NETWORKS,
  PLAN_TYPES,
  TAG_GROUPS,
  buildBody,
  cityAt,
  findsMore,
  formFieldOrder,
  formFromQuery,
  newStop,
  profileOf,
  profileProblem,
  relaxBody,
  stopField,
  type CaseMatches,
  type FieldKeys,
  type Match,
  type MatchAnswer,
  type MatchForm,
  type MatchQuery,
  type MatchQueryBody,
  type Relaxation,
  type StopForm,
  type TagGroup,
} from '../matching';
import { eligibleText, placeText, relaxationText, termText } from '../matchText';
import './matching.css';

const P = 'mf-'; // field ids: idFor(P, "insurance.copay_cents") → "mf-insurance-copay_cents"
const fid = (key: string) => idFor(P, key);

type Busy = 'run' | 'relax' | 'reset' | 'profile' | null;

export interface MatchesProps {
  caseId: string;
  /**
   * The care plan's "Add to plan" for one result: a later piece of work passes its button here.
   * Nothing is rendered for a result while this is not given.
   */
  renderPlanAction?: (m: Match) => ComponentChildren;
  /** The plan as the intake typed it: the server answers carrier and plan lower-cased. */
  planNames?: { carrier: string; plan: string };
  /** Today (YYYY-MM-DD), for tests; the browser's otherwise. */
  today?: string;
}

/** Client-side problems (catalog keys) as the form's errors. */
export function translateFieldKeys(errs: FieldKeys, t: MT): FormErrors {
  const fields: Record<string, string[]> = {};
  for (const [k, keys] of Object.entries(errs)) fields[k] = keys.map((key) => t(key));
  return { detail: null, fields, general: [] };
}

export function Matches({ caseId, renderPlanAction, planNames, today }: MatchesProps) {
  const { t, lang } = useMatchI18n();
  const [answer, setAnswer] = useState<CaseMatches | null>(null);
  const [form, setForm] = useState<MatchForm | null>(null);
  /** The form as the last answer gave it: what its relaxation counts are about. */
  const [ran, setRan] = useState<MatchForm | null>(null);
  const [casePlan, setCasePlan] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [open, setOpen] = useState(false);
  const [relaxed, setRelaxed] = useState(false);
  /** The care profile version the form's facts started from (0: none), for If-Match. */
  const [profileVersion, setProfileVersion] = useState(0);
  const [profileNote, setProfileNote] = useState<{ kind: 'saved'; version: number } | { kind: 'conflict' } | null>(null);
  const [focusResults, setFocusResults] = useState(0);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const seq = useRef(0);

  useEffect(() => {
    if (focusResults > 0) resultsRef.current?.focus();
  }, [focusResults]);

  /** Runs the match; `sent` is the form the body came from (its carrier's capitals are kept). */
  const run = async (body: MatchQueryBody, kind: Exclude<Busy, null>, sent: MatchForm | null, first = false) => {
    const id = ++seq.current;
    setBusy(kind);
    if (first) setLoadError(null);
    try {
      const a = await matchCalls.caseMatches(caseId, body);
      if (id !== seq.current) return;
      setAnswer(a);
      setProfileVersion(a.profile_version ?? 0);
      const shown = formFromQuery(a.query, sent ?? (planNames ? ({ carrier: planNames.carrier, plan: planNames.plan } as MatchForm) : null));
      setForm(shown);
      setRan(shown);
      if (first) setCasePlan(hasPlan(a.query));
      setRelaxed(kind === 'relax');
      clear();
      if (!first) setFocusResults((n) => n + 1);
    } catch (e) {
      if (id !== seq.current) return;
      if (first) setLoadError(errorsFromException(e, []).detail);
      else {
        // The form stays as it was typed; each message goes next to its field.
        setErrors(errorsFromException(e, sent ? formFieldOrder(sent) : []));
        setOpen(true);
      }
    } finally {
      if (id === seq.current) setBusy(null);
    }
  };

  useEffect(() => {
    setAnswer(null);
    setForm(null);
    setRan(null);
    void run({}, 'run', null, true);
    return () => {
      seq.current += 1; // an answer arriving after we left is dropped
    };
  }, [caseId]);

  const bodyOrErrors = (f: MatchForm): MatchQueryBody | null => {
    const built = buildBody(f, { casePlan });
    if (built.errors) {
      setErrors(translateFieldKeys(built.errors, t));
      setOpen(true);
      return null;
    }
    return built.body;
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    if (!form || busy) return;
    const body = bodyOrErrors(form);
    if (body) void run(body, 'run', form);
  };

  // The search the counts were made for, with that one change (edits not yet run are not in it).
  const onRelax = (r: Relaxation) => {
    if (!ran || busy) return;
    const body = bodyOrErrors(ran);
    if (!body) return;
    const relaxedBody = relaxBody(body, r, { casePlan }, answer?.query.max_km ?? 40);
    if (relaxedBody) void run(relaxedBody, 'relax', ran);
  };

  const onReset = () => {
    if (busy) return;
    setProfileNote(null);
    void run({}, 'reset', null);
  };

  const onSaveProfile = async () => {
    if (!form || busy) return;
    const body = bodyOrErrors(form);
    if (!body) return;
    setBusy('profile');
    setProfileNote(null);
    try {
      const saved = await careProfiles.save(caseId, profileVersion, profileOf(body));
      setProfileVersion(saved.version);
      setProfileNote({ kind: 'saved', version: saved.version });
      clear();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        setProfileNote({ kind: 'conflict' });
      } else if (e instanceof ApiError) {
        setErrors(errorsFromProblem(profileProblem(e.problem), formFieldOrder(form)));
        setOpen(true);
      } else {
        setErrors(errorsFromException(e, []));
      }
    } finally {
      setBusy(null);
    }
  };

  const set = (patch: Partial<MatchForm>) => setForm((f) => (f ? { ...f, ...patch } : f));

  return (
    <section class="card case-grid__wide matches" aria-labelledby="matches-title" data-testid="matches">
      <h2 id="matches-title">{t('match.title')}</h2>
      <p class="hint">{t('match.lede')}</p>
      {loadError && !answer && (
        <div class="error-summary" role="alert">
          <h3 class="error-summary__title">{t('match.loadError')}</h3>
          <p class="error-summary__detail">{loadError}</p>
          <Button variant="secondary" onClick={() => void run({}, 'run', null, true)}>
            {t('match.retry')}
          </Button>
        </div>
      )}
      {!answer || !form ? (
        !loadError && <Loading label={t('match.loading')} />
      ) : (
        <>
          <QuerySummary q={answer.query} t={t} lang={lang} />
          <p class="hint" data-testid="care-profile-status">
            {profileVersion > 0 ? t('match.profile.version', { n: profileVersion }) : t('match.profile.none')}
          </p>
          {profileNote?.kind === 'saved' && (
            <Notice testId="care-profile-saved">{t('match.profile.saved', { n: profileNote.version })}</Notice>
          )}
          {profileNote?.kind === 'conflict' && (
            <Notice kind="warning" testId="care-profile-conflict">
              {t('match.profile.conflict')}
            </Notice>
          )}
          <details
            class="match-form-box"
            open={open}
            onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
            data-testid="match-form-box"
          >
            <summary>{t('match.edit')}</summary>
            <form class="form match-form" method="post" noValidate onSubmit={onSubmit} aria-label={t('match.edit')} data-testid="match-form">
              <ErrorSummary errors={errors} order={formFieldOrder(form)} idPrefix={P} focusKey={focusKey} title={t('match.problem')} />
              <MatchFormFields form={form} set={set} setForm={setForm} errors={errors.fields} casePlan={casePlan} />
              <div class="button-group">
                <Button type="submit" busy={busy === 'run'} data-testid="match-submit">
                  {busy === 'run' ? t('match.submitBusy') : t('match.submit')}
                </Button>
                <Button variant="secondary" busy={busy === 'profile'} onClick={() => void onSaveProfile()} data-testid="care-profile-save" aria-describedby="care-profile-hint">
                  {busy === 'profile' ? t('match.profile.saveBusy') : t('match.profile.save')}
                </Button>
                <Button variant="link" busy={busy === 'reset'} onClick={onReset} data-testid="match-reset">
                  {t('match.reset')}
                </Button>
              </div>
              <p class="hint" id="care-profile-hint">
                {t('match.profile.hint')}
              </p>
            </form>
          </details>
          <p class="visually-hidden" role="status">
            {busy ? t('match.loading') : ''}
          </p>
          <h3 id="matches-results" tabIndex={-1} ref={resultsRef} aria-describedby="matches-count" class="matches__results">
            {t('match.results')}
          </h3>
          {relaxed && <Notice kind="info">{t('match.relaxed')}</Notice>}
          <p id="matches-count" class="queue-counts" data-testid="matches-count">
            {eligibleText(answer, { t, lang })}
          </p>
          <Relaxations answer={answer} busy={busy !== null} onRelax={onRelax} maxKm={answer.query.max_km} />
          <MatchList
            items={answer.items}
            level={4}
            audience="staff"
            hrefFor={(m) => `/directory/services/${encodeURIComponent(m.service_id)}`}
            {...(answer.query.insurance?.carrier !== undefined && form.carrier
              ? { plan: { carrier: form.carrier, plan: form.plan } }
              : {})}
            {...(today ? { today } : {})}
            {...(renderPlanAction ? { renderActions: renderPlanAction } : {})}
            testId="match-list"
          />
        </>
      )}
    </section>
  );
}

function hasPlan(q: MatchQuery): boolean {
  const ins = q.insurance;
  return !!ins && ((ins.carrier ?? '') !== '' || (ins.plan ?? '') !== '');
}

// --- the query in a line ---------------------------------------------------------------------------

function QuerySummary({ q, t, lang }: { q: MatchQuery; t: MT; lang: Lang }) {
  const modeKey: Record<string, MatchKey> = { either: 'match.mode.either', telehealth: 'match.mode.telehealth', in_person: 'match.mode.in_person' };
  return (
    <dl class="match-query" data-testid="match-query">
      <div>
        <dt>{t('match.careTypes')}</dt>
        <dd>{q.care_types.length ? q.care_types.map((c) => termText(c, t)).join(', ') : t('match.anyCare')}</dd>
      </div>
      <div>
        <dt>{t('match.jurisdiction')}</dt>
        <dd>{placeText(q.location.jurisdiction)}</dd>
      </div>
      <div>
        <dt>{t('match.mode')}</dt>
        <dd>{t(modeKey[q.mode] ?? 'match.mode.either')}</dd>
      </div>
      <div>
        <dt>{t('match.languages')}</dt>
        <dd>{q.languages.length ? q.languages.map((l) => languageName(l, lang)).join(', ') : t('match.any')}</dd>
      </div>
      {q.itinerary.length > 0 && (
        <div>
          <dt>{t('match.stops')}</dt>
          <dd>{q.itinerary.map((s) => placeText(s.jurisdiction)).join(', ')}</dd>
        </div>
      )}
    </dl>
  );
}

// --- relaxations ------------------------------------------------------------------------------------

export function Relaxations({ answer, busy, onRelax, maxKm }: { answer: MatchAnswer; busy: boolean; onRelax: (r: Relaxation) => void; maxKm: number }) {
  const { t, lang } = useMatchI18n();
  if (answer.relaxations.length === 0) return null;
  // Only what would find more than the search already does (matching.ts findsMore: also when
  // either count stopped at the server's cap, "or more").
  const offers = answer.relaxations
    .filter((r) => findsMore(r, answer))
    .map((r) => ({ r, label: relaxationText(r, { t, lang }, maxKm) }))
    .filter((x): x is { r: Relaxation; label: string } => x.label !== null);
  return (
    <div class="relax" data-testid="relaxations">
      <h4 class="relax__title">{t('relax.title')}</h4>
      {offers.length ? (
        <>
          <p class="hint">{t('relax.hint')}</p>
          <div class="button-group">
            {offers.map(({ r, label }) => (
              <Button key={`${r.constraint}-${r.change}`} variant="secondary" busy={busy} onClick={() => onRelax(r)} data-relax={r.constraint}>
                {label}
              </Button>
            ))}
          </div>
        </>
      ) : (
        <p>{t('relax.none')}</p>
      )}
    </div>
  );
}

// --- the form's fields -------------------------------------------------------------------------------

interface Option {
  value: string;
  label: string;
  lang?: string;
}

/** A group of checkboxes (a fieldset); the first box carries the group's id, for the error summary. */
export function CheckboxGroup({
  id,
  legend,
  hint,
  options,
  values,
  onValues,
  errors,
  columns = true,
}: {
  id: string;
  legend: string;
  hint?: string;
  options: Option[];
  values: string[];
  onValues: (v: string[]) => void;
  errors?: string[] | undefined;
  columns?: boolean;
}) {
  const invalid = !!errors?.length;
  const described = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const toggle = (v: string, on: boolean) => onValues(on ? [...values.filter((x) => x !== v), v] : values.filter((x) => x !== v));
  return (
    <fieldset class={`field checks${invalid ? ' field--error' : ''}`} aria-describedby={described}>
      <legend class="field__label">{legend}</legend>
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {invalid && (
        <p class="field__error" id={`${id}-error`}>
          {errors!.map((m, i) => (
            <span key={i} class="field__error-line">
              {m}
            </span>
          ))}
        </p>
      )}
      <div class={columns ? 'checks__grid' : 'checks__list'}>
        {options.map((o, i) => {
          const boxId = i === 0 ? id : `${id}-${i}`;
          return (
            <div class="checkbox checks__item" key={o.value}>
              <input
                type="checkbox"
                id={boxId}
                class="checkbox__input"
                value={o.value}
                checked={values.includes(o.value)}
                onChange={(e) => toggle(o.value, (e.currentTarget as HTMLInputElement).checked)}
              />
              <label class="checkbox__label" for={boxId} lang={o.lang}>
                {o.label}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

function withExtra(base: readonly string[], chosen: string[]): string[] {
  return [...base, ...chosen.filter((c) => !base.includes(c))];
}

function cityOptions(t: MT, latitude: string, longitude: string, noneKey: MatchKey): { value: string; options: Option[] } {
  const city = cityAt(latitude, longitude);
  const other = !city && (latitude.trim() !== '' || longitude.trim() !== '');
  return {
    value: city ? city.id : other ? 'other' : '',
    options: [
      { value: '', label: t(noneKey) },
      ...(other ? [{ value: 'other', label: t('match.city.other') }] : []),
      ...CITIES.map((c) => ({ value: c.id, label: `${c.name} (${c.jurisdiction})` })),
    ],
  };
}

/** A place's fields for the city chosen ('' clears the coordinates; "other" changes nothing: null). */
function cityPatch(v: string): Partial<Pick<StopForm, 'jurisdiction' | 'latitude' | 'longitude'>> | null {
  const c = CITIES.find((x) => x.id === v);
  if (c) return { jurisdiction: c.jurisdiction, latitude: String(c.latitude), longitude: String(c.longitude) };
  return v === '' ? { latitude: '', longitude: '' } : null;
}

/** A jurisdiction code typed by hand ("US-NY"). */
const JURISDICTION_INPUT = { autoCapitalize: 'characters', spellcheck: false, autoComplete: 'off', maxLength: 10, inputClass: 'input--code' } as const;

function MatchFormFields({
  form,
  set,
  setForm,
  errors,
  casePlan,
}: {
  form: MatchForm;
  set: (p: Partial<MatchForm>) => void;
  setForm: (fn: (f: MatchForm | null) => MatchForm | null) => void;
  errors: Record<string, string[]>;
  casePlan: boolean;
}) {
  const { t, lang } = useMatchI18n();
  const err = (key: string) => errors[key];
  const tagCount = form.tags.length;
  const knownTags = Object.values(TAG_GROUPS).flat() as string[];
  const otherTags = form.tags.filter((x) => !knownTags.includes(x));
  const here = cityOptions(t, form.latitude, form.longitude, 'match.city.none');
  const addRef = useRef<HTMLButtonElement>(null);

  const setStop = (key: number, patch: Partial<StopForm>) =>
    setForm((f) => (f ? { ...f, itinerary: f.itinerary.map((s) => (s.key === key ? { ...s, ...patch } : s)) } : f));
  const addStop = () => {
    const i = form.itinerary.length;
    setForm((f) => (f ? { ...f, itinerary: [...f.itinerary, newStop()] } : f));
    requestAnimationFrame(() => document.getElementById(fid(stopField(i, 'from')))?.focus());
  };
  const removeStop = (key: number) => {
    setForm((f) => (f ? { ...f, itinerary: f.itinerary.filter((s) => s.key !== key) } : f));
    requestAnimationFrame(() => addRef.current?.focus());
  };
  /** A field's id, name, value, setter and errors: form value `f`, at the server's field `key`. */
  const bind = (key: string, f: TextKeys<MatchForm>, name: string = f) => ({
    id: fid(key),
    name,
    value: form[f],
    onValue: (v: string) => set({ [f]: v } as Partial<MatchForm>),
    errors: err(key),
  });
  const bindCheck = (key: string, f: 'require_opening' | 'copay_before_deductible' | 'sliding_scale') => ({
    id: fid(key),
    name: f,
    checked: form[f],
    onValue: (v: boolean) => set({ [f]: v }),
    errors: err(key),
  });
  const bindStop = (i: number, s: StopForm, f: 'from' | 'to' | 'jurisdiction') => ({
    id: fid(stopField(i, f)),
    name: `stop-${s.key}-${f}`,
    value: s[f],
    onValue: (v: string) => setStop(s.key, { [f]: v }),
    errors: err(stopField(i, f)),
  });

  const any: Option = { value: '', label: t('match.any') };
  return (
    <>
      <fieldset class="match-form__section">
        <legend class="match-form__legend">{t('match.fs.what')}</legend>
        <CheckboxGroup
          id={fid('care_types')}
          legend={t('match.careTypes')}
          hint={t('match.careTypes.hint')}
          options={withExtra(CARE_TYPES, form.care_types).map((c) => ({ value: c, label: termText(c, t) }))}
          values={form.care_types}
          onValues={(v) => set({ care_types: v })}
          errors={err('care_types')}
        />
        <div class="match-form__row">
          <SelectField
            {...bind('age', 'age')}
            label={t('match.age')}
            options={[any, ...withExtra(AGES, form.age ? [form.age] : []).map((a) => ({ value: a, label: termText(a, t) }))]}
          />
          <SelectField
            {...bind('format', 'format')}
            label={t('match.format')}
            options={[any, ...withExtra(FORMATS, form.format ? [form.format] : []).map((a) => ({ value: a, label: termText(a, t) }))]}
          />
        </div>
        <details class="match-form__more" open={tagCount > 0 || !!err('prefer.tags')}>
          <summary>{t('match.tags.summary', { n: tagCount })}</summary>
          <p class="field__hint">{t('match.tags.hint')}</p>
          {(Object.keys(TAG_GROUPS) as TagGroup[]).map((g, gi) => (
            <CheckboxGroup
              key={g}
              id={gi === 0 ? fid('prefer.tags') : fid(`prefer.tags.${g}`)}
              legend={t(`match.tags.${g}` as MatchKey)}
              options={TAG_GROUPS[g].map((c) => ({ value: c, label: termText(c, t) }))}
              values={form.tags}
              onValues={(v) => set({ tags: v })}
              errors={gi === 0 ? err('prefer.tags') : undefined}
            />
          ))}
          {otherTags.length > 0 && (
            <CheckboxGroup
              id={fid('prefer.tags.other')}
              legend={t('match.tags.other')}
              options={otherTags.map((c) => ({ value: c, label: termText(c, t) }))}
              values={form.tags}
              onValues={(v) => set({ tags: v })}
            />
          )}
        </details>
      </fieldset>

      <fieldset class="match-form__section">
        <legend class="match-form__legend">{t('match.fs.where')}</legend>
        <SelectField
          id={fid('location.city')}
          name="city"
          label={t('match.city')}
          hint={t('match.city.hint')}
          value={here.value}
          options={here.options}
          onValue={(v) => {
            const p = cityPatch(v);
            if (p) set(p);
          }}
        />
        <TextField {...bind('location.jurisdiction', 'jurisdiction')} label={t('match.jurisdiction')} hint={t('match.jurisdiction.hint')} {...JURISDICTION_INPUT} />
        <fieldset class="match-form__group" aria-describedby={`${fid('location')}-coords-hint`}>
          <legend class="field__label">{t('match.coords')}</legend>
          <p class="field__hint" id={`${fid('location')}-coords-hint`}>
            {t('match.coords.hint')}
          </p>
          <div class="match-form__row">
            <NumberField {...bind('location.latitude', 'latitude')} label={t('match.latitude')} />
            <NumberField {...bind('location.longitude', 'longitude')} label={t('match.longitude')} />
          </div>
        </fieldset>
        <div class="match-form__row">
          <SelectField
            {...bind('mode', 'mode')}
            label={t('match.mode')}
            options={MODES.map((m) => ({ value: m, label: t(`match.mode.${m}` as MatchKey) }))}
          />
          <NumberField {...bind('max_km', 'max_km')} label={t('match.maxKm')} />
        </div>
        <CheckboxGroup
          id={fid('languages')}
          legend={t('match.languages')}
          hint={t('match.languages.hint')}
          options={withExtra(CARE_LANGUAGES, form.languages).map((l) => ({ value: l, label: languageName(l, lang) }))}
          values={form.languages}
          onValues={(v) => set({ languages: v })}
          errors={err('languages')}
        />
      </fieldset>

      <fieldset class="match-form__section">
        <legend class="match-form__legend">{t('match.fs.when')}</legend>
        <div class="match-form__row">
          <TextField {...bind('first_session', 'first_session')} type="date" label={t('match.firstSession')} inputClass="input--date" />
          <NumberField {...bind('sessions', 'sessions')} label={t('match.sessions')} hint={t('match.sessions.hint')} inputMode="numeric" />
        </div>
        <CheckboxField {...bindCheck('require_opening', 'require_opening')} label={t('match.requireOpening')} />
        <h3 class="match-form__sub" id={fid('itinerary')} tabIndex={-1}>
          {t('match.stops')}
        </h3>
        <p class="field__hint">{t('match.stops.hint')}</p>
        {err('itinerary') && <p class="field__error">{err('itinerary')!.join(' ')}</p>}
        {form.itinerary.length === 0 && <p data-testid="no-stops">{t('match.stops.none')}</p>}
        {form.itinerary.map((s, i) => {
          const city = cityOptions(t, s.latitude, s.longitude, 'match.city.none');
          return (
            <fieldset class="match-stop" key={s.key} data-testid="match-stop">
              <legend class="match-stop__legend">{t('match.stop', { n: i + 1 })}</legend>
              <div class="match-form__row">
                <TextField {...bindStop(i, s, 'from')} type="date" label={t('match.stop.from')} inputClass="input--date" />
                <TextField {...bindStop(i, s, 'to')} type="date" label={t('match.stop.to')} inputClass="input--date" />
              </div>
              <div class="match-form__row">
                <TextField {...bindStop(i, s, 'jurisdiction')} label={t('match.stop.where')} hint={t('match.jurisdiction.hint')} {...JURISDICTION_INPUT} />
                <SelectField
                  id={fid(stopField(i, 'latitude'))}
                  name={`stop-${s.key}-city`}
                  label={t('match.stop.city')}
                  value={city.value}
                  options={city.options}
                  errors={[...(err(stopField(i, 'latitude')) ?? []), ...(err(stopField(i, 'longitude')) ?? [])]}
                  onValue={(v) => {
                    const p = cityPatch(v);
                    if (p) setStop(s.key, p);
                  }}
                />
              </div>
              <Button variant="secondary" onClick={() => removeStop(s.key)} data-testid="stop-remove">
                {t('match.stop.remove', { n: i + 1 })}
              </Button>
            </fieldset>
          );
        })}
        <button type="button" class="button button--secondary" ref={addRef} onClick={addStop} data-testid="stop-add">
          {t('match.stop.add')}
        </button>
      </fieldset>

      <fieldset class="match-form__section">
        <legend class="match-form__legend">{t('match.fs.pay')}</legend>
        {casePlan && <p class="field__hint">{t('match.casePlan.hint')}</p>}
        <div class="match-form__row">
          <TextField {...bind('insurance.carrier', 'carrier')} label={t('match.carrier')} autoComplete="off" maxLength={200} />
          <TextField {...bind('insurance.plan', 'plan')} label={t('match.plan')} hint={t('match.plan.hint')} autoComplete="off" maxLength={200} />
        </div>
        <div class="match-form__row">
          <SelectField
            {...bind('insurance.plan_type', 'plan_type')}
            label={t('match.planType')}
            options={[{ value: '', label: t('match.planType.none') }, ...PLAN_TYPES.map((p) => ({ value: p, label: t(`match.planType.${p}` as MatchKey) }))]}
          />
          <SelectField
            {...bind('insurance.network', 'network')}
            label={t('match.network')}
            options={NETWORKS.map((n) => ({ value: n, label: t(`match.network.${n}` as MatchKey) }))}
          />
        </div>
        <fieldset class="match-form__group" aria-describedby={`${fid('insurance')}-amounts-hint`}>
          <legend class="field__label">{t('match.amounts')}</legend>
          <p class="field__hint" id={`${fid('insurance')}-amounts-hint`}>
            {t('match.amounts.hint')}
          </p>
          <div class="match-form__row">
            <NumberField {...bind('insurance.deductible_remaining_cents', 'deductible', 'deductible_remaining_cents')} label={t('match.deductible')} />
            <NumberField {...bind('insurance.copay_cents', 'copay', 'copay_cents')} label={t('match.copay')} />
            <NumberField {...bind('insurance.coinsurance_bp', 'coinsurance')} label={t('match.coinsurance')} />
            <NumberField {...bind('insurance.out_of_pocket_remaining_cents', 'out_of_pocket', 'out_of_pocket_remaining_cents')} label={t('match.oop')} />
          </div>
        </fieldset>
        <CheckboxField {...bindCheck('insurance.copay_before_deductible', 'copay_before_deductible')} label={t('match.copayFirst')} />
        {err('insurance') && <p class="field__error">{err('insurance')!.join(' ')}</p>}
        <div class="match-form__row">
          <NumberField {...bind('budget_cents', 'budget', 'budget_cents')} label={t('match.budget')} hint={t('match.money.hint')} />
        </div>
        <CheckboxField {...bindCheck('sliding_scale', 'sliding_scale')} label={t('match.sliding')} />
      </fieldset>
    </>
  );
}
