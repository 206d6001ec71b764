// Accessible form pieces: labelled fields with hints and errors next to them, and an error
// summary at the top that links to each field (the GOV.UK Design System pattern).
import type { ButtonHTMLAttributes, ComponentChildren, InputHTMLAttributes } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { onLinkClick } from '../router';
import { mapFieldErrors, problemMessage, type Problem } from '../problem';

export type FieldErrors = Record<string, string[]>;

export interface SummaryItem {
  /** id of the input to link to; absent for messages that belong to no field. */
  target?: string;
  /** A link to another page (e.g. an answer to change), instead of a field on this one. */
  href?: string;
  message: string;
}

export interface FormErrors {
  /** The problem's `detail` (or a plain fallback): the headline message. */
  detail: string | null;
  fields: FieldErrors;
  general: string[];
}

export const NO_ERRORS: FormErrors = { detail: null, fields: {}, general: [] };

export function hasErrors(e: FormErrors): boolean {
  return e.detail !== null || e.general.length > 0 || Object.keys(e.fields).length > 0;
}

/** Turns a thrown error into what the form shows. */
export function errorsFromException(err: unknown, formFields: readonly string[], aliases: Record<string, string> = {}): FormErrors {
  if (err instanceof ApiError) return errorsFromProblem(err.problem, formFields, aliases);
  return { detail: 'Something went wrong. Try again.', fields: {}, general: [] };
}

export function errorsFromProblem(p: Problem, formFields: readonly string[], aliases: Record<string, string> = {}): FormErrors {
  const mapped = mapFieldErrors(p, formFields, aliases);
  return { detail: problemMessage(p), fields: mapped.fields, general: mapped.general };
}

/** Builds summary items: field errors in form order (linking to `${idPrefix}${key}`), then general ones. */
export function summaryItems(errors: FormErrors, order: readonly string[], idPrefix: string): SummaryItem[] {
  const items: SummaryItem[] = [];
  for (const key of order) {
    for (const m of errors.fields[key] ?? []) items.push({ target: idFor(idPrefix, key), message: m });
  }
  for (const m of errors.general) items.push({ message: m });
  return items;
}

export function idFor(prefix: string, key: string): string {
  return `${prefix}${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

interface ErrorSummaryProps {
  errors: FormErrors;
  order: readonly string[];
  idPrefix: string;
  /** Changes each time the form is submitted, so the summary takes focus again. */
  focusKey: number;
  /** The heading (member pages pass it translated). */
  title?: string;
  /** More items after the form's own, e.g. links to other pages. */
  extra?: SummaryItem[];
}

export function ErrorSummary({ errors, order, idPrefix, focusKey, title = 'There is a problem', extra = [] }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = hasErrors(errors) || extra.length > 0;
  useEffect(() => {
    if (shown && ref.current) ref.current.focus();
  }, [focusKey, shown]);
  if (!shown) return null;
  const items = [...summaryItems(errors, order, idPrefix), ...extra];
  const onClick = (e: MouseEvent, target: string) => {
    e.preventDefault();
    const el = document.getElementById(target);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus();
    }
  };
  return (
    <div class="error-summary" ref={ref} tabIndex={-1} aria-labelledby={`${idPrefix}error-summary-title`} data-testid="error-summary">
      <h2 id={`${idPrefix}error-summary-title`} class="error-summary__title">
        {title}
      </h2>
      {errors.detail && <p class="error-summary__detail">{errors.detail}</p>}
      {items.length > 0 && (
        <ul class="error-summary__list">
          {items.map((it, i) =>
            it.href ? (
              <li key={i}>
                <a href={it.href} onClick={(e) => onLinkClick(e as unknown as MouseEvent)}>
                  {it.message}
                </a>
              </li>
            ) : it.target ? (
              <li key={i}>
                <a href={`#${it.target}`} onClick={(e) => onClick(e as unknown as MouseEvent, it.target!)}>
                  {it.message}
                </a>
              </li>
            ) : (
              <li key={i}>{it.message}</li>
            ),
          )}
        </ul>
      )}
    </div>
  );
}

export interface FieldShellProps {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren | undefined;
  errors?: string[] | undefined;
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
  class?: string;
  /** Read before each error by screen readers ("Error: "); member pages pass it translated. */
  errorPrefix?: string | undefined;
  /** Wraps the label in an <h1>: the page asks this one question. */
  labelIsHeading?: boolean | undefined;
}

export function FieldShell({ id, label, hint, errors, children, class: cls, errorPrefix = 'Error: ', labelIsHeading }: FieldShellProps) {
  const invalid = !!errors && errors.length > 0;
  const described = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const labelEl = (
    <label class={`field__label${labelIsHeading ? ' field__label--heading' : ''}`} for={id}>
      {label}
    </label>
  );
  return (
    <div class={`field${invalid ? ' field--error' : ''}${cls ? ' ' + cls : ''}`}>
      {labelIsHeading ? <h1 class="label-heading">{labelEl}</h1> : labelEl}
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {invalid && (
        <p class="field__error" id={`${id}-error`}>
          {errors!.map((m, i) => (
            <span key={i} class="field__error-line">
              <span class="visually-hidden">{errorPrefix}</span>
              {m}
            </span>
          ))}
        </p>
      )}
      {children(described, invalid)}
    </div>
  );
}

type InputAttrs = Pick<
  InputHTMLAttributes<HTMLInputElement>,
  'name' | 'autoComplete' | 'inputMode' | 'pattern' | 'maxLength' | 'spellcheck' | 'required' | 'autoCapitalize' | 'readOnly' | 'disabled'
> & { type?: 'text' | 'email' | 'password' | 'search' | 'tel' | 'url' | 'date' | 'time' };

interface TextFieldProps extends InputAttrs {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  errors?: string[] | undefined;
  value: string;
  onValue: (v: string) => void;
  inputClass?: string;
  errorPrefix?: string;
  min?: string;
  labelIsHeading?: boolean;
}

export function TextField({ id, label, hint, errors, value, onValue, inputClass, errorPrefix, labelIsHeading, ...rest }: TextFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} errorPrefix={errorPrefix} labelIsHeading={labelIsHeading}>
      {(describedBy, invalid) => (
        <input
          {...(rest as Record<string, unknown>)}
          type={(rest.type ?? 'text') as 'text'}
          id={id}
          class={`input${invalid ? ' input--error' : ''}${inputClass ? ' ' + inputClass : ''}`}
          value={value}
          onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
        />
      )}
    </FieldShell>
  );
}

/** A number typed in a text box: a decimal keypad (numeric with `inputMode`), no autofill, a narrow box. */
export function NumberField({ inputMode = 'decimal', ...rest }: Omit<TextFieldProps, 'autoComplete' | 'inputClass' | 'type'>) {
  return <TextField {...rest} inputMode={inputMode} autoComplete="off" inputClass="input--num" />;
}

/** The keys of a form whose values are text (text boxes and selects bind to them). */
export type TextKeys<F> = { [K in keyof F]-?: F[K] extends string ? K : never }[keyof F];

interface SelectFieldProps {
  id: string;
  name: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  errors?: string[] | undefined;
  value: string;
  onValue: (v: string) => void;
  options: ReadonlyArray<{ value: string; label: string; lang?: string }>;
  required?: boolean;
  disabled?: boolean;
  errorPrefix?: string;
  autoComplete?: string;
}

export function SelectField({ id, name, label, hint, errors, value, onValue, options, required, disabled, errorPrefix, autoComplete }: SelectFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} errorPrefix={errorPrefix}>
      {(describedBy, invalid) => (
        <select
          id={id}
          name={name}
          class={`select${invalid ? ' input--error' : ''}`}
          value={value}
          required={required}
          disabled={disabled}
          autoComplete={autoComplete}
          onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value} lang={o.lang}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

interface CheckboxFieldProps {
  id: string;
  name: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  errors?: string[] | undefined;
  checked: boolean;
  onValue: (v: boolean) => void;
  errorPrefix?: string;
}

export function CheckboxField({ id, name, label, hint, errors, checked, onValue, errorPrefix = 'Error: ' }: CheckboxFieldProps) {
  const invalid = !!errors && errors.length > 0;
  const described = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field field--checkbox${invalid ? ' field--error' : ''}`}>
      {invalid && (
        <p class="field__error" id={`${id}-error`}>
          {errors!.map((m, i) => (
            <span key={i} class="field__error-line">
              <span class="visually-hidden">{errorPrefix}</span>
              {m}
            </span>
          ))}
        </p>
      )}
      <div class="checkbox">
        <input
          type="checkbox"
          id={id}
          name={name}
          class="checkbox__input"
          checked={checked}
          onChange={(e) => onValue((e.currentTarget as HTMLInputElement).checked)}
          aria-describedby={described}
          aria-invalid={invalid ? 'true' : undefined}
        />
        <label class="checkbox__label" for={id}>
          {label}
        </label>
      </div>
      {hint && (
        <p class="field__hint field__hint--after" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** State for one form: its errors and a counter that re-focuses the summary on each failed submit. */
export function useFormErrors() {
  const [errors, setErrorsState] = useState<FormErrors>(NO_ERRORS);
  const [focusKey, setFocusKey] = useState(0);
  const setErrors = useCallback((e: FormErrors) => {
    setErrorsState(e);
    if (hasErrors(e)) setFocusKey((k) => k + 1);
  }, []);
  const clear = useCallback(() => setErrorsState(NO_ERRORS), []);
  return { errors, setErrors, clear, focusKey };
}

export function Button({
  children,
  busy,
  variant = 'primary',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { busy?: boolean; variant?: 'primary' | 'secondary' | 'danger' | 'link' }) {
  return (
    <button
      type="button"
      {...rest}
      class={`button button--${variant}${rest.class ? ' ' + String(rest.class) : ''}`}
      aria-disabled={busy ? 'true' : undefined}
      onClick={(e) => {
        if (busy) {
          e.preventDefault();
          return;
        }
        (rest.onClick as ((ev: MouseEvent) => void) | undefined)?.(e as unknown as MouseEvent);
      }}
    >
      {children}
    </button>
  );
}
