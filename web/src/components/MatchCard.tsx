// One matching result, explained: name, score, how it reaches the person, what it will cost
// them (and on what basis), the constraints it met and the preferences that ranked it, the
// session dates of a tour (which are not covered), how the cost was worked out, and on the
// public finder how to reach the provider. Shared by the console's "Find care" (cases) and the
// public finder.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { contactOf, hasContact, type Contact } from '../contact';
import { isMatchKey, useMatchI18n } from '../i18n/matching';
import { matches as matchRequests } from '../matchApi';
import type { Match } from '../matching';
import {
  afterAidText,
  amountText,
  basisText,
  costText,
  dateText,
  inputName,
  pointsText,
  preferenceText,
  reachText,
  reasonText,
  stepName,
  todayIso,
  type ReasonExtra,
  type TextCtx,
} from '../matchText';
import { Link, Loading } from './ui';
import './matching.css';

type Level = 2 | 3 | 4;

function Heading({ level, id, children, class: cls }: { level: Level; id?: string; children: ComponentChildren; class?: string }) {
  const Tag = `h${level}` as 'h2' | 'h3' | 'h4';
  return (
    <Tag id={id} class={cls}>
      {children}
    </Tag>
  );
}

export interface MatchCardProps {
  match: Match;
  /** The card's heading level (its sections use the next one). */
  level: Level;
  audience: 'staff' | 'public';
  /** Where the name links to (the staff's service page); none: the name is plain text. */
  href?: string;
  /** The plan as typed, to name an in-network plan with its capitals. */
  plan?: ReasonExtra['plan'];
  /** Today (YYYY-MM-DD), for "this year" dates; tests pin it. */
  today?: string;
  /**
   * Actions for this result, e.g. the care plan's "Add to plan" (a later piece of work renders
   * its button here; nothing is shown until then).
   */
  actions?: ComponentChildren;
}

export function MatchCard({ match: m, level, audience, href, plan, today, actions }: MatchCardProps) {
  const { t, lang } = useMatchI18n();
  const ctx: TextCtx = { t, lang, today: today ?? todayIso(), audience };
  const id = `match-${m.service_id}`;
  const sub = (level + 1) as Level;
  const tour = m.dates.length > 1;
  const covered = m.dates.filter((d) => d.covered).length;
  const aid = afterAidText(m.cost, ctx);
  const hasDetails = m.cost.steps.length > 0 || m.cost.unknown.length > 0 || m.cost.assumed.length > 0;
  return (
    <article class="match" aria-labelledby={`${id}-name`} data-service-id={m.service_id} data-testid="match">
      <div class="match__head">
        <Heading level={level} id={`${id}-name`} class="match__name break">
          {href ? <Link href={href}>{m.name}</Link> : m.name}
        </Heading>
        <p class="match__meta">
          <span data-testid="match-reach">{reachText(m, ctx)}</span>
          <span class="match__score" data-testid="match-score">
            {t('card.score', { n: m.score })}
          </span>
        </p>
      </div>
      <p class="match__cost" data-testid="match-cost">
        <strong>{costText(m.cost, m.cost_basis, ctx)}</strong> <span class={`tag match__basis match__basis--${m.cost_basis}`}>{basisText(m.cost_basis, t)}</span>
        {aid && (
          <span class="match__aid" data-testid="match-aid">
            {aid}
          </span>
        )}
      </p>
      <Heading level={sub} class="match__label">
        {t('card.met')}
      </Heading>
      <ul class="match__reasons" data-testid="match-met">
        {m.met.map((r, i) => (
          <li key={`${r.code}-${i}`} data-code={r.code}>
            {reasonText(r, ctx, plan ? { plan } : {})}
          </li>
        ))}
      </ul>
      {m.preferences.length > 0 && (
        <>
          <Heading level={sub} class="match__label">
            {t('card.prefs')}
          </Heading>
          <ul class="match__reasons match__prefs" data-testid="match-prefs">
            {m.preferences.map((r, i) => (
              <li key={`${r.code}-${i}`} data-code={r.code}>
                <span>{preferenceText(r, ctx)}</span> <span class="match__points">{pointsText(r.points ?? 0, ctx)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {tour && (
        <>
          <Heading level={sub} class="match__label">
            {t('card.dates')} <span class="muted match__dates-summary">({t('card.datesSummary', { covered, sessions: m.dates.length })})</span>
          </Heading>
          <ul class="match__dates" data-testid="match-dates">
            {m.dates.map((d) => (
              <li key={d.date} class={d.covered ? 'match__date' : 'match__date match__date--gap'} data-covered={String(d.covered)} data-date={d.date}>
                <span class="match__date-icon" aria-hidden="true">
                  {d.covered ? '✓' : '!'}
                </span>
                {d.covered && <span class="visually-hidden">{t('date.coveredLabel')} </span>}
                {dateText(d, ctx)}
              </li>
            ))}
          </ul>
        </>
      )}
      {audience === 'public' && <ContactDetails serviceId={m.service_id} />}
      {hasDetails && (
        <details class="match__details" data-testid="match-details">
          <summary>{t('cost.details')}</summary>
          {!m.cost.complete && <p class="hint">{t('cost.incomplete')}</p>}
          {m.cost.steps.length > 0 && (
            <table class="table match__steps">
              <caption class="visually-hidden">{t('cost.steps')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('cost.stepCol')}</th>
                  <th scope="col" class="match__amount">
                    {t('cost.amountCol')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {m.cost.steps.map((s, i) => (
                  <tr key={`${s.name}-${i}`} data-step={s.name}>
                    <th scope="row">{stepName(s.name, t)}</th>
                    <td class="match__amount">{amountText(s.low_cents, s.high_cents, ctx, m.cost.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <dl class="match__inputs">
            <InputList label={t('cost.used')} names={m.cost.used} testId="cost-used" />
            <InputList label={t('cost.unknownList')} names={m.cost.unknown} testId="cost-unknown" />
            <InputList label={t('cost.assumed')} names={m.cost.assumed} testId="cost-assumed" />
          </dl>
        </details>
      )}
      {actions && <div class="match__actions">{actions}</div>}
    </article>
  );
}

type ContactState = { kind: 'closed' } | { kind: 'loading' } | { kind: 'failed' } | { kind: 'ready'; contact: Contact };

/**
 * "How to reach them" on a public result: the service's contact details, read from its open HSDS
 * record when the person first opens them (one request per result opened, none for the rest).
 */
function ContactDetails({ serviceId }: { serviceId: string }) {
  const { t } = useMatchI18n();
  const [state, setState] = useState<ContactState>({ kind: 'closed' });
  const abort = useRef<AbortController | null>(null);
  // Read once, on the first opening (a ref, not the state: two toggle events can arrive before
  // the state of the first is rendered).
  const requested = useRef(false);
  useEffect(() => () => abort.current?.abort(), []);
  const load = () => {
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setState({ kind: 'loading' });
    matchRequests.service(serviceId, ctl.signal).then(
      (record) => setState({ kind: 'ready', contact: contactOf(record) }),
      (e: unknown) => {
        if (!(e instanceof DOMException && e.name === 'AbortError')) setState({ kind: 'failed' });
      },
    );
  };
  const onToggle = (e: Event) => {
    if (!(e.currentTarget as HTMLDetailsElement).open || requested.current) return;
    requested.current = true;
    load();
  };
  return (
    <details class="match__details match__contact" data-testid="match-contact" onToggle={onToggle}>
      <summary>{t('contact.summary')}</summary>
      {state.kind === 'loading' && <Loading label={t('contact.loading')} />}
      {state.kind === 'failed' && (
        <p role="alert" data-testid="match-contact-error">
          {t('contact.error')}{' '}
          <button type="button" class="button button--secondary" onClick={load}>
            {t('contact.retry')}
          </button>
        </p>
      )}
      {state.kind === 'ready' && <ContactList contact={state.contact} />}
    </details>
  );
}

function ContactList({ contact: c }: { contact: Contact }) {
  const { t } = useMatchI18n();
  if (!hasContact(c) && !c.organization) return <p class="hint">{t('contact.none')}</p>;
  const typeText = (type: string) => {
    const key = `contact.type.${type}`;
    return isMatchKey(key) ? ` (${t(key)})` : '';
  };
  return (
    <dl class="match__inputs" data-testid="match-contact-list">
      {c.organization && (
        <div>
          <dt>{t('contact.organization')}</dt>
          <dd class="break">{c.organization}</dd>
        </div>
      )}
      {c.phones.length > 0 && (
        <div>
          <dt>{t('contact.phones')}</dt>
          {c.phones.map((p) => (
            <dd key={p.number} data-testid="contact-phone">
              {p.href ? <a href={p.href}>{p.number}</a> : p.number}
              {typeText(p.type)}
              {p.description && <span class="muted"> — {p.description}</span>}
            </dd>
          ))}
        </div>
      )}
      {c.email && (
        <div>
          <dt>{t('contact.email')}</dt>
          <dd class="break">
            <a href={`mailto:${c.email}`}>{c.email}</a>
          </dd>
        </div>
      )}
      {c.website && (
        <div>
          <dt>{t('contact.website')}</dt>
          <dd class="break">
            <a href={c.website} rel="noopener noreferrer">
              {c.website}
            </a>
          </dd>
        </div>
      )}
      {c.addresses.length > 0 && (
        <div>
          <dt>{t('contact.addresses')}</dt>
          {c.addresses.map((a) => (
            <dd key={a} class="break">
              {a}
            </dd>
          ))}
        </div>
      )}
    </dl>
  );
}

function InputList({ label, names, testId }: { label: string; names: string[]; testId: string }) {
  const { t } = useMatchI18n();
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{names.length ? names.map((n) => inputName(n, t)).join(', ') : t('cost.none')}</dd>
    </div>
  );
}

/** A list of results, each a card (numbered: the order is the ranking). */
export function MatchList({
  items,
  level,
  audience,
  hrefFor,
  plan,
  today,
  renderActions,
  testId,
}: {
  items: Match[];
  level: Level;
  audience: 'staff' | 'public';
  hrefFor?: (m: Match) => string;
  plan?: ReasonExtra['plan'];
  today?: string;
  renderActions?: (m: Match) => ComponentChildren;
  testId?: string;
}) {
  return (
    <ol class="match-list" data-testid={testId}>
      {items.map((m) => (
        <li key={m.service_id}>
          <MatchCard
            match={m}
            level={level}
            audience={audience}
            {...(hrefFor ? { href: hrefFor(m) } : {})}
            {...(plan ? { plan } : {})}
            {...(today ? { today } : {})}
            actions={renderActions?.(m)}
          />
        </li>
      ))}
    </ol>
  );
}
