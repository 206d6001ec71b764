// What every member page shares: the draft (saved on each change), navigation, server field
// errors placed on their pages, crisis resources for the footer. And <Step>, the frame of a
// one-question page: "Step N of M", Back, the error summary, the big Continue.
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Button, ErrorSummary, idFor, NO_ERRORS, type FormErrors, type SummaryItem } from '../components/forms';
import { Link } from '../components/ui';
import { useI18n, type Lang, type MessageKey, type T } from '../i18n';
import { markDone, nextPage, PAGE_FIELDS, prevPage, STEP_OF, TOTAL_STEPS, validatePage, type PageErrors } from './flow';
import type { Answers, CrisisResources, Draft, PageId } from './model';
import { screenPath, type Screen } from './paths';
import type { Receipt } from './draft';

export const ID_PREFIX = 'intake-';
export const fieldId = (key: string) => idFor(ID_PREFIX, key);

/** A server field error, placed on the page (and field) it belongs to. */
export interface PlacedProblem {
  page: PageId;
  field: string | null;
  code: string;
  message: string;
}

export interface IntakeCtx {
  draft: Draft;
  /** The latest draft, also between renders (after an await). */
  current(): Draft;
  update(fn: (d: Draft) => Draft): void;
  setAnswer<K extends keyof Answers>(key: K, value: Answers[K]): void;
  go(screen: Screen, opts?: { replace?: boolean; query?: string }): void;
  fromReview: boolean;
  problems: PlacedProblem[];
  setProblems(p: PlacedProblem[]): void;
  footerCrisis: CrisisResources | null;
  storageOk: boolean;
  receipt: Receipt | null;
  finish(receipt: Receipt): void;
  reset(): void;
}

export const IntakeContext = createContext<IntakeCtx | null>(null);

export function useIntake(): IntakeCtx {
  const c = useContext(IntakeContext);
  if (!c) throw new Error('useIntake outside the intake');
  return c;
}

export function useTitle(title: string, error = false): void {
  const { t } = useI18n();
  useEffect(() => {
    const base = t('title.page', { title });
    document.title = error ? t('title.error', { title: base }) : base;
  }, [title, error, t]);
}

/** A server field error in words: ours (translated, by code) in Spanish, the server's in English. */
const KNOWN_CODES = new Set(['required', 'invalid_format', 'invalid_value', 'too_long', 'too_short', 'out_of_range', 'not_applicable', 'unknown_field', 'invalid']);

export function problemText(p: { code: string; message: string }, lang: Lang, t: T): string {
  if (lang === 'en' && p.message.trim() !== '') return p.message;
  return KNOWN_CODES.has(p.code) ? t(`code.${p.code}` as MessageKey) : t('code.invalid');
}

/** The message for a failed request that is not about a field. */
export function requestErrorText(e: unknown, t: T): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('error.network');
    if (e.status === 429) return t('error.rate');
    if (e.status >= 500) return t('error.server');
    if (e.status === 400 || e.status === 422) return t('error.fix');
  }
  return t('error.other');
}

export function translateErrors(errs: PageErrors, t: T): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, msgs] of Object.entries(errs)) out[k] = msgs.map((m) => t(m.key, m.vars));
  return out;
}

export function pageUrl(lang: Lang, page: PageId, fromReview: boolean): string {
  return screenPath(lang, page, fromReview && page !== 'review' ? 'from=review' : '');
}

interface StepProps {
  page: PageId;
  /** The page's name, for the browser tab. */
  title: string;
  /** The heading, when the page's question is not already the heading (a legend). */
  heading?: ComponentChildren;
  /** Runs after the page's answers pass; false = stay on this page. May throw an ApiError. */
  beforeNext?: () => Promise<boolean>;
  /** Shown between the heading and the questions (e.g. the crisis panel). */
  top?: ComponentChildren;
  submitLabel?: string;
  busyLabel?: string;
  children: (errorsFor: (field: string) => string[] | undefined) => ComponentChildren;
  /** Override what Continue does after validation (the review page submits). */
  onValid?: () => Promise<void>;
  /** Errors raised outside validation (e.g. a failed submit). */
  extraErrors?: FormErrors;
  /** Summary links to other pages (the review page's server errors). */
  summaryLinks?: SummaryItem[];
  testId?: string;
}

export function Step({ page, title, heading, beforeNext, top, submitLabel, busyLabel, children, onValid, extraErrors, summaryLinks, testId }: StepProps) {
  const ctx = useIntake();
  const { lang, t } = useI18n();
  const [shown, setShown] = useState<FormErrors>(NO_ERRORS);
  const [focusKey, setFocusKey] = useState(0);
  const [busy, setBusy] = useState(false);

  // Server field errors for this page (from a failed submit) show until the page is continued.
  const server = ctx.problems.filter((p) => p.page === page);
  const serverFields: Record<string, string[]> = {};
  const serverGeneral: string[] = [];
  for (const p of server) {
    const msg = problemText(p, lang, t);
    if (p.field) (serverFields[p.field] ??= []).push(msg);
    else serverGeneral.push(msg);
  }
  const merged: FormErrors = {
    detail: shown.detail ?? extraErrors?.detail ?? (server.length && page !== 'review' ? t('error.fix') : null),
    fields: { ...serverFields, ...(extraErrors?.fields ?? {}), ...shown.fields },
    general: [...serverGeneral, ...(extraErrors?.general ?? []), ...shown.general],
  };
  const hasAny =
    merged.detail !== null || merged.general.length > 0 || Object.keys(merged.fields).length > 0 || (summaryLinks?.length ?? 0) > 0;
  useTitle(title, hasAny);

  useEffect(() => {
    if (server.length) setFocusKey((k) => k + 1);
  }, [server.length]);
  useEffect(() => {
    if (extraErrors && extraErrors !== NO_ERRORS) setFocusKey((k) => k + 1);
  }, [extraErrors]);

  const fail = (errs: FormErrors) => {
    setShown(errs);
    setFocusKey((k) => k + 1);
  };

  const submit = async (e?: Event) => {
    e?.preventDefault();
    if (busy) return;
    const errs = validatePage(page, ctx.current().answers);
    if (Object.keys(errs).length) {
      fail({ detail: null, fields: translateErrors(errs, t), general: [] });
      return;
    }
    setShown(NO_ERRORS);
    setBusy(true);
    try {
      if (onValid) {
        await onValid();
        return;
      }
      if (beforeNext && !(await beforeNext())) return;
      ctx.update((d) => markDone(d, page));
      ctx.setProblems(ctx.problems.filter((p) => p.page !== page));
      ctx.go(nextPage(ctx.current(), page, ctx.fromReview));
    } catch (err) {
      fail({ detail: requestErrorText(err, t), fields: {}, general: [] });
    } finally {
      setBusy(false);
    }
  };

  const prev = ctx.fromReview ? 'review' : prevPage(ctx.draft, page);
  const backHref = prev ? pageUrl(lang, prev, false) : screenPath(lang, 'start');
  const errorsFor = (field: string) => merged.fields[field];

  return (
    <div class="step" data-testid={testId ?? `page-${page}`}>
      <p class="back-link-row">
        <Link href={backHref} class="back-link" data-testid="back">
          {t('common.back')}
        </Link>
      </p>
      <ErrorSummary
        errors={merged}
        order={PAGE_FIELDS[page]}
        idPrefix={ID_PREFIX}
        focusKey={focusKey}
        title={t('error.title')}
        extra={summaryLinks ?? []}
      />
      <p class="caption" data-testid="step">
        {t('common.step', { n: STEP_OF[page], m: TOTAL_STEPS })}
      </p>
      {heading && <h1>{heading}</h1>}
      {top}
      <form class="form" method="post" noValidate onSubmit={(e) => void submit(e as unknown as Event)} data-step-form="">
        {children(errorsFor)}
        <div class="button-group button-group--continue">
          <Button type="submit" busy={busy} class="button--continue" data-testid="continue">
            {busy ? (busyLabel ?? t('common.checking')) : (submitLabel ?? t('common.continue'))}
          </Button>
        </div>
      </form>
    </div>
  );
}

/** Lets a crisis panel's own button continue the page (same checks as the Continue button). */
export function submitStepForm(): void {
  const f = document.querySelector<HTMLFormElement>('form[data-step-form]');
  f?.requestSubmit();
}
