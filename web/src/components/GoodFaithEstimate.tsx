// The Good Faith Estimate for a provider item of the care plan (docs/matching.md; owed to
// uninsured and self-pay members before scheduled care). A small form — sessions, their length
// (shown with its CPT code), the first session, an intake visit, the fees in dollars (optional:
// the listing's fee when empty) and the document's language — sends POST
// /api/v1/cases/{id}/good-faith-estimate; a 422 puts each message at its field
// ("/session_fee_cents" → the session fee). The answer is stored nowhere: it is shown as a
// printable document (the member by case reference only, the provider, the dates, the services
// with their codes and charges, the total, the notices, what the provider must add and what was
// assumed), and "Print the estimate" prints only that (body.print-gfe, components/gfe.css).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PlanItem } from '../carePlan';
import { carePlans } from '../carePlanApi';
import { insuranceLabel } from '../cases';
import {
  GFE_FIELDS,
  GFE_MAX_SESSIONS,
  INTAKE_CPT,
  SESSION_MINUTES,
  gfeDocument,
  gfeEntitlement,
  gfeRequest,
  minutesLabel,
  newGfeForm,
  type GfeForm,
  type GoodFaithEstimate,
} from '../goodFaith';
import { isLang, type Lang } from '../i18n';
import { gfeTranslator } from '../i18n/gfe';
import { todayIso } from '../matchText';
import { Button, CheckboxField, ErrorSummary, NumberField, SelectField, TextField, errorsFromException, idFor, useFormErrors, type TextKeys } from './forms';
import { printWith } from './ui';
import './gfe.css';

const P = 'gfe-'; // field ids: idFor(P, "session_fee_cents") → "gfe-session_fee_cents"
const fid = (key: string) => idFor(P, key);

/** The intake's insurance, as the case page has it. */
export interface GfeInsurance {
  type?: string;
  carrier?: string;
  plan_name?: string;
}

/** Who is owed an estimate, said for this member from what the intake says about insurance. */
function Entitlement({ insurance }: { insurance: GfeInsurance | undefined }) {
  const who = gfeEntitlement(insurance?.type);
  const plan = [insurance?.carrier, insurance?.plan_name].filter(Boolean).join(' · ');
  return (
    <div class={`notice ${who === 'insured' ? 'notice--warning' : 'notice--info'} gfe__who`} data-testid="gfe-who" data-entitlement={who}>
      <p>
        A Good Faith Estimate is owed to members who are <strong>uninsured or pay for their care themselves (self-pay)</strong>, before care is scheduled (No
        Surprises Act). It is made for this listing and stored nowhere: print it, or save it as a PDF, for the member.
      </p>
      {who === 'uninsured' && <p>This member said they have no insurance, so they are owed one.</p>}
      {who === 'insured' && (
        <p>
          This member has a plan: {insuranceLabel(insurance!.type!)}
          {plan ? ` (${plan})` : ''}. They are owed an estimate only if they will pay for this care themselves instead of using the plan. You can still make one.
        </p>
      )}
      {who === 'unknown' && <p>The intake does not say whether this member has insurance. They are owed an estimate if they are uninsured or will pay for this care themselves.</p>}
    </div>
  );
}

export function GoodFaithEstimatePanel({
  caseId,
  item,
  insurance,
  memberLang,
  focusKey: openedKey,
  onClose,
}: {
  caseId: string;
  /** A provider item naming a listing (`service_id`). */
  item: PlanItem;
  insurance: GfeInsurance | undefined;
  /** The member's language (the intake's): the document's, unless changed in the form. */
  memberLang: string | undefined;
  /** Changes each time the item's button is pressed again: the panel takes focus again. */
  focusKey: number;
  onClose: () => void;
}) {
  const [form, setForm] = useState<GfeForm>(() => newGfeForm(todayIso()));
  const [lang, setLang] = useState<Lang>(isLang(memberLang) ? memberLang : 'en');
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<{ gfe: GoodFaithEstimate; lang: Lang } | null>(null);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const headRef = useRef<HTMLHeadingElement>(null);
  const docRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headRef.current?.scrollIntoView?.({ block: 'start' });
    headRef.current?.focus();
  }, [openedKey]);

  const set = (patch: Partial<GfeForm>) => setForm((f) => ({ ...f, ...patch }));
  const err = (key: string) => errors.fields[key];
  /** A text field's id, name, value, setter and errors: the form's `f`, at the request's field `key`. */
  const bind = (key: (typeof GFE_FIELDS)[number], f: TextKeys<GfeForm>) => ({
    id: fid(key),
    name: `gfe-${key}`,
    value: form[f],
    onValue: (v: string) => set({ [f]: v }),
    errors: err(key),
  });

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const built = gfeRequest(form, item.service_id);
    if (built.errors) {
      setMade(null);
      setErrors({ detail: null, fields: built.errors as Record<string, string[]>, general: [] });
      return;
    }
    clear();
    setBusy(true);
    try {
      const gfe = await carePlans.goodFaithEstimate(caseId, built.body);
      setMade({ gfe, lang });
      requestAnimationFrame(() => {
        docRef.current?.scrollIntoView?.({ block: 'start' });
        docRef.current?.focus();
      });
    } catch (error) {
      // The form stays as typed; each message goes next to its field ("/session_fee_cents").
      setMade(null);
      setErrors(errorsFromException(error, GFE_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="gfe" id="gfe-panel" aria-labelledby="gfe-title" data-testid="gfe">
      <div class="gfe__head">
        <h3 id="gfe-title" class="break" tabIndex={-1} ref={headRef}>
          Good Faith Estimate: {item.title}
        </h3>
        <Button variant="link" onClick={onClose} data-testid="gfe-close">
          Close<span class="visually-hidden"> the Good Faith Estimate</span>
        </Button>
      </div>
      <Entitlement insurance={insurance} />
      <form class="form gfe__form" method="post" noValidate onSubmit={(e) => void submit(e as unknown as Event)} aria-labelledby="gfe-title" data-testid="gfe-form">
        <ErrorSummary errors={errors} order={GFE_FIELDS} idPrefix={P} focusKey={focusKey} />
        <div class="gfe__row">
          <NumberField {...bind('sessions', 'sessions')} label="Sessions" hint={`1 to ${GFE_MAX_SESSIONS}.`} inputMode="numeric" />
          <SelectField
            {...bind('session_minutes', 'session_minutes')}
            label="Session length"
            options={SESSION_MINUTES.map((m) => ({ value: String(m), label: minutesLabel(m) }))}
          />
          <TextField {...bind('first_session_on', 'first_session_on')} type="date" label="First session" inputClass="input--date" />
        </div>
        <CheckboxField
          id={fid('intake_visit')}
          name="gfe-intake_visit"
          label={`Starts with an intake visit (CPT ${INTAKE_CPT})`}
          checked={form.intake_visit}
          onValue={(v) => set({ intake_visit: v })}
          errors={err('intake_visit')}
        />
        <div class="gfe__row">
          <NumberField {...bind('session_fee_cents', 'session_fee')} label="Session fee ($, optional)" hint="Empty: the fee in the listing. Needed when the listing gives none." />
          {form.intake_visit && (
            <NumberField {...bind('intake_fee_cents', 'intake_fee')} label="Intake visit fee ($, optional)" hint="Empty: priced at the session fee." />
          )}
          <SelectField
            id={fid('lang')}
            name="gfe-lang"
            label="Language of the estimate"
            value={lang}
            onValue={(v) => setLang(isLang(v) ? v : 'en')}
            options={[
              { value: 'en', label: 'English' },
              { value: 'es', label: 'Español', lang: 'es' },
            ]}
          />
        </div>
        <div class="button-group">
          <Button type="submit" busy={busy} data-testid="gfe-submit">
            {busy ? 'Making the estimate…' : made ? 'Make it again' : 'Make the estimate'}
          </Button>
        </div>
      </form>
      {made && (
        <>
          <div class="button-group gfe__actions">
            <Button variant="secondary" onClick={() => printWith('print-gfe')} data-testid="gfe-print">
              Print the estimate
            </Button>
          </div>
          <EstimateDocument gfe={made.gfe} lang={made.lang} headingRef={docRef} />
        </>
      )}
    </section>
  );
}

/** The document as it is printed, in `lang` (marked on it, so screen readers speak it in that language). */
export function EstimateDocument({ gfe, lang, headingRef }: { gfe: GoodFaithEstimate; lang: Lang; headingRef?: { current: HTMLHeadingElement | null } }) {
  const t = gfeTranslator(lang);
  const doc = gfeDocument(gfe, lang);
  return (
    <article class="gfe-doc" lang={lang} aria-labelledby="gfe-doc-title" data-testid="gfe-doc">
      <h4 id="gfe-doc-title" class="gfe-doc__title" tabIndex={-1} ref={headingRef}>
        {doc.title}
      </h4>
      <p class="gfe-doc__subtitle">{t('gfe.subtitle')}</p>
      <dl class="summary-list gfe-doc__facts">
        <Fact label={t('gfe.member')} testId="gfe-member">
          {gfe.member_reference}
        </Fact>
        <Fact label={t('gfe.provider')} testId="gfe-provider">
          <span class="break">{gfe.provider_name}</span>
        </Fact>
        <Fact label={t('gfe.issuedOn')} testId="gfe-issued">
          <time dateTime={gfe.issued_on}>{doc.issuedOn}</time>
        </Fact>
        <Fact label={t('gfe.firstSession')} testId="gfe-first">
          <time dateTime={gfe.first_session_on}>{doc.firstSession}</time>
        </Fact>
        <Fact label={t('gfe.validUntil')} testId="gfe-valid">
          <time dateTime={gfe.valid_until}>{doc.validUntil}</time>
        </Fact>
      </dl>
      <table class="table gfe-table" data-testid="gfe-services">
        <caption class="gfe-table__caption">{t('gfe.services')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('gfe.col.cpt')}</th>
            <th scope="col">{t('gfe.col.description')}</th>
            <th scope="col" class="num">
              {t('gfe.col.unit')}
            </th>
            <th scope="col" class="num">
              {t('gfe.col.quantity')}
            </th>
            <th scope="col" class="num">
              {t('gfe.col.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {doc.lines.map((l, i) => (
            <tr key={`${l.cpt}-${i}`} data-cpt={l.cpt} data-testid="gfe-line">
              <td data-label={t('gfe.col.cpt')}>{l.cpt}</td>
              <th scope="row" data-label={t('gfe.col.description')}>
                {l.description}
              </th>
              <td class="num" data-label={t('gfe.col.unit')} data-testid="gfe-line-unit">
                {l.unit}
              </td>
              <td class="num" data-label={t('gfe.col.quantity')} data-testid="gfe-line-quantity">
                {String(l.quantity)}
              </td>
              <td class="num" data-label={t('gfe.col.amount')} data-testid="gfe-line-amount">
                {l.amount}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={4}>
              {t('gfe.total')}
            </th>
            <td class="num" data-testid="gfe-total">
              {doc.total}
            </td>
          </tr>
        </tfoot>
      </table>
      <h5 class="gfe-doc__heading">{t('gfe.notices')}</h5>
      <ul class="gfe-doc__notices" data-testid="gfe-notices">
        {doc.notices.map((n, i) => (
          <li key={i}>{n}</li>
        ))}
      </ul>
      {doc.missing.length > 0 && (
        <>
          <h5 class="gfe-doc__heading">{t('gfe.missing')}</h5>
          <p class="gfe-doc__hint">{t('gfe.missing.hint')}</p>
          <ul class="plain-list gfe-doc__blanks" data-testid="gfe-missing">
            {doc.missing.map((m, i) => (
              <li key={i}>
                <span class="gfe-doc__blank-label">{m}</span>
                <span class="gfe-doc__blank" aria-hidden="true" />
              </li>
            ))}
          </ul>
        </>
      )}
      {doc.assumed.length > 0 && (
        <>
          <h5 class="gfe-doc__heading">{t('gfe.assumed')}</h5>
          <ul data-testid="gfe-assumed">
            {doc.assumed.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function Fact({ label, children, testId }: { label: string; children: ComponentChildren; testId: string }) {
  return (
    <div class="summary-list__row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
