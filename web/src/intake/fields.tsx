// Radios and checkboxes for member pages (GOV.UK pattern): a fieldset whose legend can be the
// page's heading, a hint, errors next to the question, big touch targets, and content that
// is revealed under the chosen option.
import type { ComponentChildren } from 'preact';

export interface ChoiceOption {
  value: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  /** Shown under the option while it is chosen. */
  reveal?: ComponentChildren;
}

interface GroupProps {
  id: string;
  name: string;
  legend: ComponentChildren;
  /** Puts the legend in an <h1>: one question on the page. */
  legendIsHeading?: boolean;
  hint?: ComponentChildren;
  errors?: string[] | undefined;
  errorPrefix: string;
  options: readonly ChoiceOption[];
  /** Language of the legend and the labels, when it differs from the page's. */
  lang?: string | undefined;
  small?: boolean;
  testId?: string;
}

function optionId(id: string, i: number): string {
  // The first option carries the group's id, so an error summary link lands on it.
  return i === 0 ? id : `${id}-${i}`;
}

function Group({
  id,
  legend,
  legendIsHeading,
  hint,
  errors,
  errorPrefix,
  lang,
  small,
  testId,
  children,
}: Omit<GroupProps, 'name' | 'options'> & { children: ComponentChildren }) {
  const invalid = !!errors && errors.length > 0;
  const described = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${invalid ? ' field--error' : ''}`} data-testid={testId}>
      <fieldset class="fieldset" aria-describedby={described}>
        <legend class={`fieldset__legend${legendIsHeading ? ' fieldset__legend--heading' : ''}`} lang={lang}>
          {legendIsHeading ? <h1 class="fieldset__heading">{legend}</h1> : legend}
        </legend>
        {hint && (
          <div class="field__hint" id={`${id}-hint`}>
            {hint}
          </div>
        )}
        {invalid && (
          <p class="field__error" id={`${id}-error`}>
            {errors!.map((m, i) => (
              <span key={i} class="field__error-line">
                <span class="visually-hidden">{errorPrefix} </span>
                {m}
              </span>
            ))}
          </p>
        )}
        <div class={`choices${small ? ' choices--small' : ''}`}>{children}</div>
      </fieldset>
    </div>
  );
}

export function Radios(props: GroupProps & { value: string; onValue: (v: string) => void }) {
  const { id, name, options, value, onValue, lang } = props;
  return (
    <Group {...props}>
      {options.map((o, i) => {
        const oid = optionId(id, i);
        const checked = value === o.value;
        return (
          <div class="choice" key={o.value}>
            <input
              type="radio"
              class="choice__input"
              id={oid}
              name={name}
              value={o.value}
              checked={checked}
              onChange={() => onValue(o.value)}
              aria-describedby={o.hint ? `${oid}-hint` : undefined}
            />
            <label class="choice__label" for={oid} lang={lang}>
              {o.label}
            </label>
            {o.hint && (
              <p class="choice__hint" id={`${oid}-hint`}>
                {o.hint}
              </p>
            )}
            {o.reveal && checked && <div class="choice__reveal">{o.reveal}</div>}
          </div>
        );
      })}
    </Group>
  );
}

export function Checkboxes(props: GroupProps & { values: readonly string[]; onValues: (v: string[]) => void }) {
  const { id, name, options, values, onValues } = props;
  const toggle = (v: string, on: boolean) => {
    const set = new Set(values);
    if (on) set.add(v);
    else set.delete(v);
    // Keep the options' order.
    onValues(options.map((o) => o.value).filter((x) => set.has(x)));
  };
  return (
    <Group {...props}>
      {options.map((o, i) => {
        const oid = optionId(id, i);
        const checked = values.includes(o.value);
        return (
          <div class="choice choice--checkbox" key={o.value}>
            <input
              type="checkbox"
              class="choice__input"
              id={oid}
              name={name}
              value={o.value}
              checked={checked}
              onChange={(e) => toggle(o.value, (e.currentTarget as HTMLInputElement).checked)}
              aria-describedby={o.hint ? `${oid}-hint` : undefined}
            />
            <label class="choice__label" for={oid}>
              {o.label}
            </label>
            {o.hint && (
              <p class="choice__hint" id={`${oid}-hint`}>
                {o.hint}
              </p>
            )}
            {o.reveal && checked && <div class="choice__reveal">{o.reveal}</div>}
          </div>
        );
      })}
    </Group>
  );
}
