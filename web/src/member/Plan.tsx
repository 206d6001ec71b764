// A case's care plan on the member's status page: the goals with their steps, each with what it
// is, where it stands, when it starts, how many sessions and the estimated cost, and what the
// case manager wrote for them — in their language. "Print my plan" prints it (the page's print
// stylesheet leaves out the header, buttons and sign-out). No plan yet: say when it will appear.
import type { ComponentChildren } from 'preact';
import { Button } from '../components/forms';
import { useI18n } from '../i18n';
import { dayText, memberBasis, memberCostText, memberKind, memberStatus, sessionsText, type MemberPlan } from './plan';

function Heading({ level, id, class: cls, children }: { level: number; id?: string; class?: string; children: ComponentChildren }) {
  const Tag = `h${Math.min(6, level)}` as 'h2';
  return (
    <Tag id={id} class={cls}>
      {children}
    </Tag>
  );
}

function formatUpdated(iso: string, lang: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(new Date(t));
}

/** `level`: the heading level of "Your plan"; goals and steps go one and two below. */
export function MemberPlanView({ plan, reference, level }: { plan: MemberPlan | null; reference: string; level: number }) {
  const { lang, t } = useI18n();
  const titleId = `plan-${reference}`;
  if (!plan) {
    return (
      <section class="member-plan" aria-labelledby={titleId} data-testid="member-plan" data-plan="none">
        <Heading level={level} id={titleId}>
          {t('plan.title')}
        </Heading>
        <p data-testid="member-plan-none">{t('plan.none')}</p>
      </section>
    );
  }
  const goalIds = new Set(plan.goals.map((g) => g.id));
  const groups = [
    ...plan.goals.map((g, i) => ({ key: g.id, title: t('plan.goal', { n: i + 1, text: g.text }), items: plan.items.filter((x) => x.goal_id === g.id), goal: true })),
  ];
  const loose = plan.items.filter((x) => !x.goal_id || !goalIds.has(x.goal_id));
  if (loose.length) groups.push({ key: '-', title: t(plan.goals.length ? 'plan.otherSteps' : 'plan.steps'), items: loose, goal: false });
  const anyCost = plan.items.some((x) => x.cost);
  return (
    <section class="member-plan" aria-labelledby={titleId} data-testid="member-plan" data-plan={String(plan.version)}>
      <Heading level={level} id={titleId}>
        {t('plan.title')}
      </Heading>
      <p class="print-only">{t('plan.printedFor', { reference })}</p>
      <p class="lede member-plan__lede">{t('plan.lede')}</p>
      {plan.updated_at && <p class="muted">{t('plan.updated', { date: formatUpdated(plan.updated_at, lang) })}</p>}
      {groups.map((g) => (
        <div class="member-plan__goal" key={g.key}>
          <Heading level={level + 1} class="member-plan__goal-title">
            {g.title}
          </Heading>
          {g.items.length === 0 ? (
            <p class="muted">{t('plan.noSteps')}</p>
          ) : (
            <ul class="member-plan__items">
              {g.items.map((x) => {
                const cost = memberCostText(x.cost, t, lang);
                return (
                  <li key={x.id} class="member-plan__item" data-testid="member-plan-item" data-kind={x.kind} data-status={x.status}>
                    <Heading level={level + 2} class="member-plan__item-title">
                      {x.title}
                    </Heading>
                    {x.for_member && (
                      <p class="member-plan__for-member" data-testid="member-plan-for-member">
                        {x.for_member}
                      </p>
                    )}
                    <dl class="summary-list member-plan__facts">
                      <div class="summary-list__row">
                        <dt>{t('plan.kindLabel')}</dt>
                        <dd data-testid="member-plan-kind">{memberKind(x.kind, t)}</dd>
                      </div>
                      <div class="summary-list__row">
                        <dt>{t('plan.statusLabel')}</dt>
                        <dd data-testid="member-plan-status">{memberStatus(x.status, t)}</dd>
                      </div>
                      {x.starts_on && (
                        <div class="summary-list__row">
                          <dt>{t('plan.starts')}</dt>
                          <dd>{dayText(x.starts_on, lang)}</dd>
                        </div>
                      )}
                      {x.sessions > 0 && (
                        <div class="summary-list__row">
                          <dt>{t('plan.sessionsLabel')}</dt>
                          <dd>{sessionsText(x.sessions, t, lang)}</dd>
                        </div>
                      )}
                      {cost && x.cost && (
                        <>
                          <div class="summary-list__row">
                            <dt>{t('plan.costLabel')}</dt>
                            <dd data-testid="member-plan-cost">{cost}</dd>
                          </div>
                          {!(x.cost.basis === 'free' && x.cost.high_cents === 0) && (
                            <div class="summary-list__row">
                              <dt>{t('plan.paidLabel')}</dt>
                              <dd data-testid="member-plan-basis">{memberBasis(x.cost.basis, t)}</dd>
                            </div>
                          )}
                        </>
                      )}
                    </dl>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      ))}
      {anyCost && <p class="hint">{t('plan.costNote')}</p>}
      <Button variant="secondary" onClick={() => window.print()} data-testid="member-plan-print">
        {t('plan.print')}
      </Button>
    </section>
  );
}
