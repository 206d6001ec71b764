// The question pages: one topic each, plain words, every optional question says so.
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { SelectField, TextField } from '../components/forms';
import { Link, Notice } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { scoreScreening } from './api';
import { crisisFrom, localRisk } from './crisis';
import { CrisisPanel } from './Crisis';
import { fieldId, Step, submitStepForm, useIntake, useTitle } from './context';
import { hasProgress } from './draft';
import { Checkboxes, Radios, type ChoiceOption } from './fields';
import {
  complete,
  cssrsAnyYes,
  cssrsAsked,
  cssrsPayload,
  cssrsTidy,
  currentScore,
  firstIncomplete,
  instrumentAnswers,
  localToday,
  SCREEN_ITEMS,
  type ScaleInstrument,
} from './flow';
import {
  CARE_LANGUAGES,
  CONTACT_METHODS,
  FORMATS,
  INCOME_BANDS,
  INDUSTRY_ROLES,
  INSURANCE_SKIP,
  INSURANCE_TYPES,
  RELATIONSHIPS,
  REQUESTS,
  SPECIALTIES,
  type CrisisResources,
  type CssrsQuestion,
  type Instrument,
} from './model';
import { screenPath } from './paths';
import { countryOptions, hasRegions, languageName, SUBDIVISIONS, timeZoneLabel, timeZones } from './regions';

function useOpt() {
  const { t } = useI18n();
  return (label: string) => `${label} ${t('common.optional')}`;
}

// --- start ---------------------------------------------------------------------------------

export function StartPage() {
  const ctx = useIntake();
  const { lang, t } = useI18n();
  const [deleted, setDeleted] = useState(false);
  useTitle(t('start.title'));
  const resume = hasProgress(ctx.draft);
  const onRestart = () => {
    ctx.reset();
    setDeleted(true);
  };
  return (
    <div class="narrow" data-testid="page-start">
      <h1>{t('start.title')}</h1>
      {deleted && (
        <Notice testId="deleted">
          <p>{t('start.deleted')}</p>
        </Notice>
      )}
      {!ctx.storageOk && (
        <Notice kind="warning" testId="no-storage">
          <p>{t('start.noStorage')}</p>
        </Notice>
      )}
      <p class="lede">{t('start.lede')}</p>
      <p>{t('start.how')}</p>
      <h2>{t('start.beforeTitle')}</h2>
      <ul>
        <li>{t('start.time')}</li>
        <li>{t('start.optional')}</li>
        <li data-testid="device-note">{t('start.device')}</li>
        <li>{t('start.who')}</li>
      </ul>
      <p>{t('start.shared')}</p>
      {resume ? (
        <>
          <h2>{t('start.resumeTitle')}</h2>
          <p>{t('start.resume')}</p>
          <div class="button-group">
            <Link href={screenPath(lang, firstIncomplete(ctx.draft))} class="button button--primary button--continue" data-testid="resume">
              {t('start.resumeButton')}
            </Link>
            <button type="button" class="button button--link" onClick={onRestart} data-testid="restart">
              {t('start.restart')}
            </button>
          </div>
        </>
      ) : (
        <p>
          <Link href={screenPath(lang, 'who')} class="button button--primary button--continue button--start" data-testid="start">
            {t('start.button')}
          </Link>
        </p>
      )}
      <p data-testid="finder-link">
        {/* A full page load: the finder is another app than the intake's (see main.tsx). */}
        {t('start.finder')} <a href={lang === 'es' ? '/es/finder' : '/finder'}>{t('start.finderLink')}</a>
      </p>
    </div>
  );
}

// --- who -----------------------------------------------------------------------------------

export function WhoPage() {
  const { draft, setAnswer } = useIntake();
  const { t } = useI18n();
  const a = draft.answers;
  return (
    <Step page="who" title={t('who.title')}>
      {(err) => (
        <Radios
          id={fieldId('for')}
          name="for"
          legend={t('who.title')}
          legendIsHeading
          hint={<p>{t('who.hint')}</p>}
          errors={err('for')}
          errorPrefix={`${t('error.prefix')} `}
          value={a.for}
          onValue={(v) => {
            setAnswer('for', v as typeof a.for);
            if (v === 'self') setAnswer('relationship', '');
          }}
          options={[
            { value: 'self', label: t('who.self') },
            {
              value: 'family',
              label: t('who.family'),
              hint: t('who.familyHint'),
              reveal: (
                <Radios
                  id={fieldId('relationship')}
                  name="relationship"
                  legend={t('who.relationship')}
                  errors={err('relationship')}
                  errorPrefix={`${t('error.prefix')} `}
                  value={a.relationship}
                  onValue={(v) => setAnswer('relationship', v as typeof a.relationship)}
                  options={RELATIONSHIPS.map((r) => ({ value: r, label: t(`who.rel.${r}` as MessageKey) }))}
                />
              ),
            },
          ]}
        />
      )}
    </Step>
  );
}

// --- name ----------------------------------------------------------------------------------

export function NamePage() {
  const { draft, setAnswer } = useIntake();
  const { t } = useI18n();
  return (
    <Step page="name" title={t('name.title')}>
      {(err) => (
        <div class="field-heading">
          <TextField
            id={fieldId('preferred_name')}
            name="preferred_name"
            labelIsHeading
            label={t('name.title')}
            hint={t('name.hint')}
            autoComplete="nickname"
            spellcheck={false}
            maxLength={200}
            value={draft.answers.preferred_name}
            onValue={(v) => setAnswer('preferred_name', v)}
            errors={err('preferred_name')}
            errorPrefix={`${t('error.prefix')} `}
          />
        </div>
      )}
    </Step>
  );
}

// --- contact -------------------------------------------------------------------------------

export function ContactPage() {
  const { draft, setAnswer } = useIntake();
  const { t } = useI18n();
  const opt = useOpt();
  const a = draft.answers;
  const needPhone = a.preferred === 'phone' || a.preferred === 'text';
  return (
    <Step page="contact" title={t('contact.title')} heading={t('contact.title')}>
      {(err) => (
        <>
          <p>{t('contact.intro')}</p>
          <Radios
            id={fieldId('contact.preferred')}
            name="preferred"
            legend={t('contact.preferred')}
            errors={err('contact.preferred')}
            errorPrefix={`${t('error.prefix')} `}
            value={a.preferred}
            onValue={(v) => setAnswer('preferred', v as typeof a.preferred)}
            options={CONTACT_METHODS.map((m) => ({ value: m, label: t(`contact.m.${m}` as MessageKey) }))}
          />
          <TextField
            id={fieldId('contact.phone')}
            name="phone"
            type="tel"
            label={needPhone ? t('contact.phone') : opt(t('contact.phone'))}
            hint={t('contact.phoneHint')}
            autoComplete="tel"
            inputMode="tel"
            maxLength={40}
            value={a.phone}
            onValue={(v) => setAnswer('phone', v)}
            errors={err('contact.phone')}
            errorPrefix={`${t('error.prefix')} `}
          />
          <TextField
            id={fieldId('contact.email')}
            name="email"
            type="email"
            label={a.preferred === 'email' ? t('contact.email') : opt(t('contact.email'))}
            autoComplete="email"
            spellcheck={false}
            autoCapitalize="none"
            maxLength={254}
            value={a.email}
            onValue={(v) => setAnswer('email', v)}
            errors={err('contact.email')}
            errorPrefix={`${t('error.prefix')} `}
          />
          <Checkboxes
            id={fieldId('contact.voicemail_ok')}
            name="safe"
            legend={t('contact.safe')}
            hint={<p>{t('contact.safeHint')}</p>}
            errors={[...(err('contact.voicemail_ok') ?? []), ...(err('contact.text_ok') ?? []), ...(err('contact.email_ok') ?? [])]}
            errorPrefix={`${t('error.prefix')} `}
            values={[a.voicemail_ok ? 'voicemail_ok' : '', a.text_ok ? 'text_ok' : '', a.email_ok ? 'email_ok' : ''].filter(Boolean)}
            onValues={(vs) => {
              setAnswer('voicemail_ok', vs.includes('voicemail_ok'));
              setAnswer('text_ok', vs.includes('text_ok'));
              setAnswer('email_ok', vs.includes('email_ok'));
            }}
            options={[
              { value: 'voicemail_ok', label: t('contact.voicemail') },
              { value: 'text_ok', label: t('contact.textOk') },
              { value: 'email_ok', label: t('contact.emailOk') },
            ]}
          />
        </>
      )}
    </Step>
  );
}

// --- role ----------------------------------------------------------------------------------

export function RolePage() {
  const { draft, setAnswer } = useIntake();
  const { t } = useI18n();
  return (
    <Step page="role" title={t('role.title')}>
      {(err) => (
        <Radios
          id={fieldId('industry_role')}
          name="industry_role"
          legend={t('role.title')}
          legendIsHeading
          hint={<p>{t('role.hint')}</p>}
          errors={err('industry_role')}
          errorPrefix={`${t('error.prefix')} `}
          value={draft.answers.industry_role}
          onValue={(v) => setAnswer('industry_role', v as typeof draft.answers.industry_role)}
          options={INDUSTRY_ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))}
        />
      )}
    </Step>
  );
}

// --- where ---------------------------------------------------------------------------------

export function WherePage() {
  const { draft, setAnswer } = useIntake();
  const { lang, t } = useI18n();
  const opt = useOpt();
  const a = draft.answers;
  const [countries] = useState(() => countryOptions(lang));
  const [zones] = useState(() => timeZones(a.time_zone ? [a.time_zone] : []));
  const regions = hasRegions(a.country) ? SUBDIVISIONS[a.country]! : null;
  return (
    <Step page="where" title={t('where.title')} heading={t('where.title')}>
      {(err) => (
        <>
          <p class="field__hint">{t('where.hint')}</p>
          <SelectField
            id={fieldId('location.country')}
            name="country"
            label={t('where.country')}
            autoComplete="country"
            value={a.country}
            onValue={(v) => {
              setAnswer('country', v);
              if (!a.region.startsWith(v + '-')) setAnswer('region', '');
            }}
            options={[{ value: '', label: t('where.countryChoose') }, ...countries]}
            errors={err('location.country')}
            errorPrefix={`${t('error.prefix')} `}
          />
          {regions && (
            <SelectField
              id={fieldId('location.region')}
              name="region"
              label={t(`where.region.${a.country}` as MessageKey)}
              value={a.region}
              onValue={(v) => setAnswer('region', v)}
              options={[{ value: '', label: t('common.chooseOne') }, ...regions.map(([value, label]) => ({ value, label }))]}
              errors={err('location.region')}
              errorPrefix={`${t('error.prefix')} `}
            />
          )}
          <TextField
            id={fieldId('location.city')}
            name="city"
            label={opt(t('where.city'))}
            autoComplete="address-level2"
            maxLength={200}
            value={a.city}
            onValue={(v) => setAnswer('city', v)}
            errors={err('location.city')}
            errorPrefix={`${t('error.prefix')} `}
          />
          <SelectField
            id={fieldId('location.time_zone')}
            name="time_zone"
            label={t('where.tz')}
            hint={t('where.tzHint')}
            value={a.time_zone}
            onValue={(v) => setAnswer('time_zone', v)}
            options={[{ value: '', label: t('common.chooseOne') }, ...zones.map((z) => ({ value: z, label: timeZoneLabel(z) }))]}
            errors={err('location.time_zone')}
            errorPrefix={`${t('error.prefix')} `}
          />
        </>
      )}
    </Step>
  );
}

// --- tour ----------------------------------------------------------------------------------

export function TourPage() {
  const { draft, setAnswer } = useIntake();
  const { t } = useI18n();
  const opt = useOpt();
  const a = draft.answers;
  return (
    <Step page="tour" title={t('tour.title')}>
      {(err) => (
        <Radios
          id={fieldId('on_tour.now')}
          name="on_tour"
          legend={t('tour.title')}
          legendIsHeading
          errors={err('on_tour.now')}
          errorPrefix={`${t('error.prefix')} `}
          value={a.on_tour}
          onValue={(v) => setAnswer('on_tour', v as typeof a.on_tour)}
          options={[
            {
              value: 'yes',
              label: t('common.yes'),
              reveal: (
                <TextField
                  id={fieldId('on_tour.until')}
                  name="until"
                  type="date"
                  label={opt(t('tour.until'))}
                  hint={t('tour.untilHint')}
                  min={localToday()}
                  value={a.tour_until}
                  onValue={(v) => setAnswer('tour_until', v)}
                  errors={err('on_tour.until')}
                  errorPrefix={`${t('error.prefix')} `}
                  inputClass="input--date"
                />
              ),
            },
            { value: 'no', label: t('common.no') },
          ]}
        />
      )}
    </Step>
  );
}

// --- what they ask for -----------------------------------------------------------------------

const REQUEST_HINTS: Partial<Record<(typeof REQUESTS)[number], MessageKey>> = {
  therapy: 'req.therapyHint',
  psychiatry: 'req.psychiatryHint',
  financial_help: 'req.financial_helpHint',
  not_sure: 'req.not_sureHint',
};

export function RequestsPage() {
  const { draft, setAnswer } = useIntake();
  const { t } = useI18n();
  return (
    <Step page="requests" title={t('req.title')}>
      {(err) => (
        <Checkboxes
          id={fieldId('requests')}
          name="requests"
          legend={t('req.title')}
          legendIsHeading
          hint={<p>{t('req.hint')}</p>}
          errors={err('requests')}
          errorPrefix={`${t('error.prefix')} `}
          values={draft.answers.requests}
          onValues={(v) => setAnswer('requests', v as typeof draft.answers.requests)}
          options={REQUESTS.map((r) => {
            const hint = REQUEST_HINTS[r];
            const o: ChoiceOption = { value: r, label: t(`req.${r}` as MessageKey) };
            if (hint) o.hint = t(hint);
            return o;
          })}
        />
      )}
    </Step>
  );
}

// --- insurance -------------------------------------------------------------------------------

export function InsurancePage() {
  const { draft, setAnswer } = useIntake();
  const { t } = useI18n();
  const opt = useOpt();
  const a = draft.answers;
  const details = (err: (f: string) => string[] | undefined) => (
    <>
      <p class="field__hint">{t('ins.details')}</p>
      <TextField
        id={fieldId('insurance.carrier')}
        name="carrier"
        label={opt(t('ins.carrier'))}
        autoComplete="off"
        maxLength={200}
        value={a.carrier}
        onValue={(v) => setAnswer('carrier', v)}
        errors={err('insurance.carrier')}
        errorPrefix={`${t('error.prefix')} `}
      />
      <TextField
        id={fieldId('insurance.plan_name')}
        name="plan_name"
        label={opt(t('ins.plan'))}
        autoComplete="off"
        maxLength={200}
        value={a.plan_name}
        onValue={(v) => setAnswer('plan_name', v)}
        errors={err('insurance.plan_name')}
        errorPrefix={`${t('error.prefix')} `}
      />
      <TextField
        id={fieldId('insurance.member_id')}
        name="member_id"
        label={opt(t('ins.member'))}
        hint={t('ins.memberHint')}
        autoComplete="off"
        spellcheck={false}
        autoCapitalize="characters"
        maxLength={200}
        value={a.member_id}
        onValue={(v) => setAnswer('member_id', v)}
        errors={err('insurance.member_id')}
        errorPrefix={`${t('error.prefix')} `}
      />
    </>
  );
  return (
    <Step page="insurance" title={t('ins.title')}>
      {(err) => (
        <Radios
          id={fieldId('insurance.type')}
          name="insurance_type"
          legend={opt(t('ins.title'))}
          legendIsHeading
          hint={<p>{t('ins.why')}</p>}
          errors={err('insurance.type')}
          errorPrefix={`${t('error.prefix')} `}
          value={a.insurance_type}
          onValue={(v) => setAnswer('insurance_type', v as typeof a.insurance_type)}
          options={[
            ...INSURANCE_TYPES.map((k) => {
              const o: ChoiceOption = { value: k, label: t(`ins.${k}` as MessageKey) };
              if (k !== 'none') o.reveal = details(err);
              return o;
            }),
            { value: INSURANCE_SKIP, label: t('ins.skip') },
          ]}
        />
      )}
    </Step>
  );
}

// --- household -------------------------------------------------------------------------------

export function HouseholdPage() {
  const { draft, setAnswer } = useIntake();
  const { t } = useI18n();
  const opt = useOpt();
  const a = draft.answers;
  return (
    <Step page="household" title={t('hh.title')} heading={opt(t('hh.title'))}>
      {(err) => (
        <>
          <p>{t('hh.why')}</p>
          <TextField
            id={fieldId('household.size')}
            name="household_size"
            label={opt(t('hh.size'))}
            hint={t('hh.sizeHint')}
            inputMode="numeric"
            autoComplete="off"
            maxLength={3}
            inputClass="input--short"
            value={a.household_size}
            onValue={(v) => setAnswer('household_size', v)}
            errors={err('household.size')}
            errorPrefix={`${t('error.prefix')} `}
          />
          <Radios
            id={fieldId('household.income_band')}
            name="income_band"
            legend={opt(t('hh.income'))}
            errors={err('household.income_band')}
            errorPrefix={`${t('error.prefix')} `}
            value={a.income_band}
            onValue={(v) => setAnswer('income_band', v as typeof a.income_band)}
            options={INCOME_BANDS.map((b) => ({ value: b, label: t(`hh.${b}` as MessageKey) }))}
          />
        </>
      )}
    </Step>
  );
}

// --- preferences -----------------------------------------------------------------------------

export function PreferencesPage() {
  const { draft, setAnswer } = useIntake();
  const { lang, t } = useI18n();
  const opt = useOpt();
  const a = draft.answers;
  const languages = [lang, ...CARE_LANGUAGES.filter((l) => l !== lang)];
  return (
    <Step page="preferences" title={t('pref.title')} heading={t('pref.title')}>
      {(err) => (
        <>
          <p>{t('pref.intro')}</p>
          <SelectField
            id={fieldId('preferences.language')}
            name="care_language"
            label={opt(t('pref.language'))}
            value={a.care_language}
            onValue={(v) => setAnswer('care_language', v)}
            options={[{ value: '', label: t('pref.languageNone') }, ...languages.map((l) => ({ value: l, label: languageName(l, lang) }))]}
            errors={err('preferences.language')}
            errorPrefix={`${t('error.prefix')} `}
          />
          <Radios
            id={fieldId('preferences.format')}
            name="format"
            legend={opt(t('pref.format'))}
            errors={err('preferences.format')}
            errorPrefix={`${t('error.prefix')} `}
            value={a.format}
            onValue={(v) => setAnswer('format', v as typeof a.format)}
            options={FORMATS.map((f) => ({ value: f, label: t(`pref.${f}` as MessageKey) }))}
          />
          <TextField
            id={fieldId('preferences.provider_identity')}
            name="provider_identity"
            label={opt(t('pref.identity'))}
            hint={t('pref.identityHint')}
            autoComplete="off"
            maxLength={400}
            value={a.provider_identity}
            onValue={(v) => setAnswer('provider_identity', v)}
            errors={err('preferences.provider_identity')}
            errorPrefix={`${t('error.prefix')} `}
          />
          <Checkboxes
            id={fieldId('preferences.specialties')}
            name="specialties"
            legend={opt(t('pref.specialties'))}
            hint={<p>{t('pref.specialtiesHint')}</p>}
            errors={err('preferences.specialties')}
            errorPrefix={`${t('error.prefix')} `}
            values={a.specialties}
            onValues={(v) => setAnswer('specialties', v as typeof a.specialties)}
            options={SPECIALTIES.map((s) => ({ value: s, label: t(`pref.${s}` as MessageKey) }))}
          />
        </>
      )}
    </Step>
  );
}

// --- screening -------------------------------------------------------------------------------

const SCREEN_TITLES: Record<Instrument, MessageKey> = {
  phq2: 'phq2.title',
  phq9: 'phq9.title',
  cssrs: 'cssrs.title',
  gad2: 'gad2.title',
  gad7: 'gad7.title',
};

type Panel = { resources: CrisisResources | null; focus: boolean } | null;

/**
 * What a questionnaire page does on Continue: score it with the server (the published rules on
 * the device when offline); a risk answer shows the full crisis panel, with focus, on this same
 * screen before the person can move on; the next Continue (or the panel's own button) goes on.
 */
function useScoring(inst: Instrument) {
  const ctx = useIntake();
  const { lang } = useI18n();
  const stored = currentScore(ctx.draft, inst);
  // A risk answer already scored (e.g. after a reload or coming Back) shows the help again.
  const [panel, setPanel] = useState<Panel>(() =>
    stored && (stored.risk !== 'none' || stored.crisis) ? { resources: stored.crisis ?? ctx.footerCrisis, focus: false } : null,
  );

  const beforeNext = async (): Promise<boolean> => {
    const d = ctx.current();
    const answers = instrumentAnswers(d.answers, inst);
    if (!complete(answers)) return false;
    const existing = currentScore(d, inst);
    if (existing) {
      // Scored already: the panel was shown for a risk answer; now the person moves on.
      if ((existing.risk !== 'none' || existing.crisis) && !panel) {
        setPanel({ resources: existing.crisis ?? ctx.footerCrisis, focus: true });
        return false;
      }
      return true;
    }
    let score;
    try {
      score = await scoreScreening(inst, answers, {
        country: d.answers.country || 'US',
        lang,
        fallbackCrisis: ctx.footerCrisis,
        cssrs: cssrsPayload(d.answers.cssrs),
        phq9Difficulty: d.answers.phq_difficulty,
      });
    } catch (e) {
      // A problem may still carry crisis lines; a risk answer shows help even when scoring fails.
      const c = e instanceof ApiError ? crisisFrom({ crisis: e.problem.crisis }) : null;
      if (c || localRisk(inst, answers.map((x) => x ?? 0)) !== 'none') setPanel({ resources: c ?? ctx.footerCrisis, focus: true });
      throw e;
    }
    ctx.update((x) => ({ ...x, scores: { ...x.scores, [inst]: score } }));
    if (score.risk !== 'none' || score.crisis) {
      setPanel({ resources: score.crisis ?? ctx.footerCrisis, focus: true });
      return false;
    }
    return true;
  };
  return { panel, beforeNext };
}

function PanelSlot({ panel }: { panel: Panel }) {
  if (!panel) return null;
  return <CrisisPanel key={panel.focus ? 'focus' : 'static'} resources={panel.resources} focus={panel.focus} onContinue={() => submitStepForm()} />;
}

/** The published wording's language, when it is not the page's (then it is marked, with a note). */
function useForeign(key: 'instrument.lang' | 'cssrs.lang'): string | undefined {
  const { lang, t } = useI18n();
  const l = t(key);
  return l !== lang ? l : undefined;
}

export function ScreeningPage({ inst }: { inst: ScaleInstrument }) {
  const ctx = useIntake();
  const { lang, t } = useI18n();
  const opt = useOpt();
  const a = ctx.draft.answers;
  const { set, items } = SCREEN_ITEMS[inst];
  const { panel, beforeNext } = useScoring(inst);
  const foreign = useForeign('instrument.lang');

  const follow = inst === 'phq9' || inst === 'gad7';
  return (
    <Step page={inst} title={t(SCREEN_TITLES[inst])} heading={t(SCREEN_TITLES[inst])} beforeNext={beforeNext} top={<PanelSlot panel={panel} />}>
      {(err) => (
        <>
          <p>{t(follow ? 'scr.more' : 'scr.intro')}</p>
          {a.for === 'family' && <p>{t('scr.family')}</p>}
          {foreign && (
            <Notice kind="info" testId="instrument-note">
              <p>{t('scr.note')}</p>
            </Notice>
          )}
          <p class="lead-in" lang={foreign}>
            <strong>{t(set === 'phq' ? 'phq.lead' : 'gad.lead')}</strong>
          </p>
          {items.map((i) => (
            <Radios
              key={i}
              id={fieldId(`${set}.${i}`)}
              name={`${set}-${i}`}
              legend={
                <span class="item-legend">
                  <span class="item-legend__n">{i + 1}.</span> {t(`${set}.${i + 1}` as MessageKey)}
                </span>
              }
              lang={foreign}
              small
              errors={err(`${set}.${i}`)}
              errorPrefix={`${t('error.prefix')} `}
              value={a[set][i] == null ? '' : String(a[set][i])}
              onValue={(v) => {
                const next = [...ctx.current().answers[set]];
                next[i] = Number(v);
                ctx.setAnswer(set, next);
              }}
              options={[0, 1, 2, 3].map((n) => ({ value: String(n), label: t(`ans.${n}` as MessageKey) }))}
              testId={`item-${set}-${i + 1}`}
            />
          ))}
          {inst === 'phq9' && (
            // The PHQ-9's tenth item: recorded for the case manager, not scored.
            <Radios
              id={fieldId('phq_difficulty')}
              name="phq-difficulty"
              legend={
                <span class="item-legend">
                  {t('phqd.q')} {foreign ? <span lang={lang}>{t('common.optional')}</span> : t('common.optional')}
                </span>
              }
              lang={foreign}
              small
              errors={err('phq_difficulty')}
              errorPrefix={`${t('error.prefix')} `}
              value={a.phq_difficulty == null ? '' : String(a.phq_difficulty)}
              onValue={(v) => ctx.setAnswer('phq_difficulty', Number(v))}
              options={[0, 1, 2, 3].map((n) => ({ value: String(n), label: t(`phqd.${n}` as MessageKey) }))}
              testId="item-phq-difficulty"
            />
          )}
          <p class="small muted">{t('scr.credit')}</p>
          {inst === 'phq2' && (
            <Checkboxes
              id={fieldId('cssrs_chosen')}
              name="cssrs_chosen"
              legend={opt(t('cssrs.offer'))}
              hint={<p>{t('cssrs.offerHint')}</p>}
              errors={err('cssrs_chosen')}
              errorPrefix={`${t('error.prefix')} `}
              values={a.cssrs_chosen ? ['yes'] : []}
              onValues={(vs) => ctx.setAnswer('cssrs_chosen', vs.includes('yes'))}
              options={[{ value: 'yes', label: t('cssrs.offerYes') }]}
              testId="cssrs-offer"
            />
          )}
        </>
      )}
    </Step>
  );
}

/**
 * The C-SSRS screener (clinical.md section 1): Q1 and Q2; Q3–Q5 only after a yes to Q2; Q6
 * always, then "in the past 3 months?" after a yes. The published English wording (marked
 * lang="en" on a Spanish page, with a note), without the interviewer's examples (they describe
 * methods). Any yes shows the full crisis panel at once; Continue then focuses it first.
 */
export function CssrsPage() {
  const ctx = useIntake();
  const { t } = useI18n();
  const c = ctx.draft.answers.cssrs;
  const { panel, beforeNext } = useScoring('cssrs');
  const foreign = useForeign('cssrs.lang');
  const anyYes = cssrsAnyYes(c);
  const shown: Panel = panel ?? (anyYes ? { resources: ctx.footerCrisis, focus: false } : null);
  const asked = cssrsAsked(c);

  const set = (q: CssrsQuestion, v: boolean) => ctx.setAnswer('cssrs', cssrsTidy({ ...ctx.current().answers.cssrs, [q]: v }));
  const question = (q: CssrsQuestion, err: (f: string) => string[] | undefined) => {
    const n = q === 'q6_past_3_months' ? null : q.slice(1);
    return (
      <Radios
        key={q}
        id={fieldId(`cssrs.${q}`)}
        name={`cssrs-${q}`}
        legend={
          <span class="item-legend">
            {n && <span class="item-legend__n">{n}.</span>} {t(`cssrs.${q}` as MessageKey)}
          </span>
        }
        lang={foreign}
        small
        errors={err(`cssrs.${q}`)}
        errorPrefix={`${t('error.prefix')} `}
        value={c[q] === null ? '' : c[q] ? 'yes' : 'no'}
        onValue={(v) => set(q, v === 'yes')}
        options={[
          { value: 'yes', label: t('cssrs.yes') },
          { value: 'no', label: t('cssrs.no') },
        ]}
        testId={`item-cssrs-${q}`}
      />
    );
  };

  return (
    <Step page="cssrs" title={t('cssrs.title')} heading={t('cssrs.title')} beforeNext={beforeNext} top={<PanelSlot panel={shown} />}>
      {(err) => (
        <>
          <p>{t('cssrs.intro')}</p>
          <p>{t('cssrs.hope')}</p>
          {ctx.draft.answers.for === 'family' && <p>{t('scr.family')}</p>}
          {foreign && (
            <Notice kind="info" testId="instrument-note">
              <p>{t('scr.note')}</p>
            </Notice>
          )}
          <p class="lead-in">
            <strong>{t('cssrs.pastMonth')}</strong>
          </p>
          {asked.filter((q) => q !== 'q6' && q !== 'q6_past_3_months').map((q) => question(q, err))}
          {question('q6', err)}
          {asked.includes('q6_past_3_months') && <div class="choice__reveal">{question('q6_past_3_months', err)}</div>}
          <p class="small muted">{t('cssrs.credit')}</p>
          <p class="visually-hidden" role="status" data-testid="cssrs-help-shown">
            {anyYes ? t('cssrs.helpShown') : ''}
          </p>
        </>
      )}
    </Step>
  );
}

// --- not found -------------------------------------------------------------------------------

export function MemberNotFound() {
  const { lang, t } = useI18n();
  useTitle(t('notFound.title'));
  return (
    <div class="narrow">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p>
        <Link href={screenPath(lang, 'start')}>{t('notFound.link')}</Link>
      </p>
    </div>
  );
}

