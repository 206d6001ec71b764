// The care plan on the case page (case managers and supervisors; docs/matching.md "Care plans").
// On open: GET the plan (version 0 = none yet). It shows the goals with their items, each with
// its kind, status, listing, start and sessions, the estimate in words and both texts (staff
// notes, and what the member reads); the versions, any of which opens read-only; the sign-off
// of an urgent case's plan (only a supervisor gets the button); and "Print plan".
// Editing happens in place: goals and items are added, removed and changed in a form, then saved
// as the next version with If-Match. A 412 (someone saved first) shows their version beside
// ours, ours kept unsaved; a 422 puts each message at its field ("/items/0/title").
// "Add to plan" on each match of "Find care" (AddToPlan, through Matches' renderPlanAction)
// adds a proposed provider item and saves it as the next version at once — or, while the plan
// is being edited, adds it to the edit. Each provider item of the newest version offers a "Good
// Faith Estimate" (components/GoodFaithEstimate.tsx), made for its listing and printed.
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type User } from '../api';
import {
  COST_PER,
  ITEM_KINDS,
  ITEM_STATUSES,
  MAX_TEXT,
  MAX_TITLE,
  PLAN_BASES,
  BASIS_LABELS,
  KIND_LABELS,
  PER_LABELS,
  STATUS_LABELS,
  addMatch,
  basisLabel,
  findServiceItem,
  formToBody,
  groupByGoal,
  itemField,
  itemFromMatch,
  itemStatusLabel,
  itemToForm,
  kindLabel,
  newGoal,
  newItem,
  planChanges,
  planFieldOrder,
  planToForm,
  type CarePlan,
  type GoalForm,
  type ItemFieldName,
  type ItemForm,
  type PlanForm,
  type PlanItem,
} from '../carePlan';
import { carePlans } from '../carePlanApi';
import { useMatchI18n } from '../i18n/matching';
import { liveCalls } from '../liveApi';
import type { Match } from '../matching';
import { formatDay, planCostText, todayIso } from '../matchText';
import { Button, CheckboxField, ErrorSummary, NumberField, SelectField, TextField, errorsFromException, idFor, useFormErrors, type TextKeys } from './forms';
import { GoodFaithEstimatePanel, type GfeInsurance } from './GoodFaithEstimate';
import { TextAreaField } from './TextAreaField';
import { Link, Loading, Notice, formatTime, printWith } from './ui';
import './carePlan.css';

const P = 'plan-'; // field ids: idFor(P, "items.0.title") → "plan-items-0-title"
const fid = (key: string) => idFor(P, key);
const is = (e: unknown, status: number) => e instanceof ApiError && e.status === status;

type HeadingLevel = 3 | 4 | 5;

export interface Draft {
  form: PlanForm;
  /** The version the edit is made on (If-Match). */
  base: CarePlan;
  /** After a 412: the version someone saved meanwhile, and what they changed. */
  conflict: { theirs: CarePlan; changes: string[] } | null;
}

export interface CarePlanState {
  caseId: string;
  plan: CarePlan | null;
  loadError: string | null;
  /** GET the newest version again (null when it failed; loadError says why). */
  reload: () => Promise<CarePlan | null>;
  /** A version just saved or signed off (its answer has no `versions`: they are kept and extended). */
  saved: (p: CarePlan) => void;
  draft: Draft | null;
  setDraft: (fn: (d: Draft | null) => Draft | null) => void;
  /** Staff names by id (GET /api/v1/staff), for "saved by". */
  names: Record<string, string>;
  /** Something (an "Open it in the plan" link) asked the plan to show this listing's item. */
  reveal: { serviceId: string; n: number } | null;
  showService: (serviceId: string) => void;
}

/** The plan of a case, shared by the plan section and the "Add to plan" buttons of its matches. */
export function useCarePlan(caseId: string, onChanged?: () => void): CarePlanState {
  const [plan, setPlan] = useState<CarePlan | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [reveal, setReveal] = useState<{ serviceId: string; n: number } | null>(null);
  const changed = useRef(onChanged);
  changed.current = onChanged;
  const seq = useRef(0);

  const reload = async (): Promise<CarePlan | null> => {
    const id = ++seq.current;
    setLoadError(null);
    try {
      const p = await carePlans.getPlan(caseId);
      if (id === seq.current) setPlan(p);
      return p;
    } catch (e) {
      if (id === seq.current) setLoadError(errorsFromException(e, []).detail);
      return null;
    }
  };

  useEffect(() => {
    setPlan(null);
    setDraft(null);
    void reload();
    return () => {
      seq.current += 1;
    };
  }, [caseId]);

  useEffect(() => {
    liveCalls
      .listStaff()
      .then((r) => setNames(Object.fromEntries(r.items.map((s) => [s.id, s.name]))))
      .catch(() => {
        // Names are a courtesy: "Someone else" stands in for anyone we cannot name.
      });
  }, []);

  const saved = (p: CarePlan) => {
    seq.current += 1; // a GET still in flight is older than this
    setPlan((prev) => {
      const versions = [...(p.versions ?? prev?.versions ?? [])];
      const info = { version: p.version, author_id: p.author_id ?? '', created_at: p.created_at ?? '', signed_off_at: p.signed_off_at };
      const at = versions.findIndex((v) => v.version === p.version);
      if (at >= 0) versions[at] = info;
      else versions.push(info);
      return { ...p, versions };
    });
    changed.current?.();
  };

  return {
    caseId,
    plan,
    loadError,
    reload,
    saved,
    draft,
    setDraft,
    names,
    reveal,
    showService: (serviceId) => setReveal((r) => ({ serviceId, n: (r?.n ?? 0) + 1 })),
  };
}

function who(id: string | null | undefined, user: User, names: Record<string, string>): string {
  if (!id) return 'Someone';
  if (id === user.id) return 'You';
  return names[id] ?? 'Someone else';
}

function dayText(iso: string): string {
  return formatDay(iso, { lang: 'en', today: todayIso() }, true);
}

// --- the section -------------------------------------------------------------------------------

type Busy = 'save' | 'sign' | 'version' | null;

export function CarePlanSection({
  state,
  user,
  urgent,
  personName,
  reference,
  insurance,
  memberLang,
}: {
  state: CarePlanState;
  user: User;
  urgent: boolean;
  personName: string;
  reference: string;
  /** The intake's insurance: says whether the member is owed a Good Faith Estimate. */
  insurance?: GfeInsurance | undefined;
  /** The member's language: a Good Faith Estimate's, unless changed in its form. */
  memberLang?: string | undefined;
}) {
  const { plan, draft, setDraft } = state;
  /** The provider item whose Good Faith Estimate is open (n: pressed again, focus it again). */
  const [gfe, setGfe] = useState<{ itemId: string; n: number } | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [viewing, setViewing] = useState<CarePlan | null>(null);
  const [handled, setHandled] = useState(0);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const rootRef = useRef<HTMLElement>(null);
  const messageRef = useRef<HTMLDivElement>(null);
  const conflictRef = useRef<HTMLDivElement>(null);
  const supervisor = user.role === 'supervisor';

  useEffect(() => {
    if (message || problem) messageRef.current?.focus();
  }, [message, problem]);
  useEffect(() => {
    if (draft?.conflict) conflictRef.current?.focus();
  }, [draft?.conflict]);

  // "Open it in the plan": the newest version (or the edit), scrolled to that item and focused.
  useEffect(() => {
    const r = state.reveal;
    if (!r || r.n === handled) return;
    if (viewing) {
      setViewing(null);
      return; // runs again once the newest version is shown
    }
    setHandled(r.n);
    const el = [...(rootRef.current?.querySelectorAll<HTMLElement>('[data-service-id]') ?? [])].find((x) => x.getAttribute('data-service-id') === r.serviceId);
    if (!el) return;
    el.scrollIntoView?.({ block: 'center' });
    const target = el.matches('fieldset') ? el.querySelector<HTMLElement>('input, select, textarea') : el;
    (target ?? el).focus();
  }, [state.reveal, viewing]);

  const startEdit = () => {
    if (!plan) return;
    setMessage(null);
    setProblem(null);
    setViewing(null);
    setGfe(null);
    clear();
    setDraft(() => ({ form: planToForm(plan), base: plan, conflict: null }));
    requestAnimationFrame(() => document.getElementById('plan-form-title')?.focus());
  };

  const cancelEdit = () => {
    clear();
    setDraft(() => null);
    setMessage(null);
  };

  const setForm = (fn: (f: PlanForm) => PlanForm) => setDraft((d) => (d ? { ...d, form: fn(d.form) } : d));

  const save = async (e: Event) => {
    e.preventDefault();
    if (!draft || busy) return;
    setMessage(null);
    setProblem(null);
    const built = formToBody(draft.form);
    if (built.errors) {
      setErrors({ detail: null, fields: built.errors, general: [] });
      return;
    }
    clear();
    setBusy('save');
    try {
      const p = await carePlans.savePlan(state.caseId, draft.base.version, built.body);
      state.saved(p);
      setDraft(() => null);
      setMessage(
        p.needs_sign_off
          ? `The plan is saved as version ${p.version}. A supervisor must sign it off before the member sees it.`
          : `The plan is saved as version ${p.version}. The member sees it on their status page.`,
      );
    } catch (err) {
      if (is(err, 412)) {
        // Someone saved first: show theirs beside ours; ours stays in the form, unsaved.
        const theirs = await state.reload();
        if (theirs) setDraft((d) => (d ? { ...d, base: theirs, conflict: { theirs, changes: planChanges(d.base, theirs) } } : d));
        else setProblem('Someone else saved the plan first, and their version could not be loaded. Your edit is still in the form: try saving again.');
      } else {
        setErrors(errorsFromException(err, planFieldOrder(draft.form)));
      }
    } finally {
      setBusy(null);
    }
  };

  const signOff = async () => {
    if (!plan || busy) return;
    setMessage(null);
    setProblem(null);
    setBusy('sign');
    try {
      const p = await carePlans.signOff(state.caseId, plan.version);
      state.saved(p);
      setMessage(`Version ${p.version} is signed off. The member now sees it on their status page.`);
    } catch (err) {
      if (is(err, 412)) {
        await state.reload();
        setProblem('A newer version of the plan was saved. The page now shows it: review it before signing off.');
      } else if (is(err, 409)) {
        await state.reload();
        setProblem('This version is already signed off.');
      } else if (is(err, 403)) {
        setProblem('Only a supervisor can sign off a care plan.');
      } else {
        setProblem(errorsFromException(err, []).detail);
      }
    } finally {
      setBusy(null);
    }
  };

  const openVersion = async (n: number) => {
    if (busy) return;
    setMessage(null);
    setProblem(null);
    setBusy('version');
    try {
      setViewing(await carePlans.getVersion(state.caseId, n));
      requestAnimationFrame(() => document.getElementById('plan-old-title')?.focus());
    } catch (err) {
      setProblem(`Version ${n} could not be opened: ${errorsFromException(err, []).detail ?? 'try again.'}`);
    } finally {
      setBusy(null);
    }
  };

  const print = () => printWith('print-care-plan');

  const versions = [...(plan?.versions ?? [])].sort((a, b) => b.version - a.version);
  // The estimate's item in the newest version (gone when a save removed it or its listing).
  const gfeItem = gfe ? (plan?.items.find((i) => i.id === gfe.itemId && i.kind === 'provider' && i.service_id) ?? null) : null;
  const lastSigned = versions.find((v) => v.signed_off_at);

  return (
    <section class="card case-grid__wide care-plan" aria-labelledby="plan-title" data-testid="care-plan" ref={rootRef}>
      <div class="care-plan__head">
        <h2 id="plan-title">Care plan</h2>
        {plan && plan.version > 0 && !draft && (
          <Button variant="secondary" onClick={print} data-testid="plan-print">
            Print plan
          </Button>
        )}
      </div>
      {plan && plan.version > 0 && (
        <p class="print-only care-plan__print-head">
          {personName || 'No name given'} · Case {reference} · Version {plan.version}
          {plan.signed_off_at ? ` · signed off ${formatTime(plan.signed_off_at)}` : ''} · printed {formatTime(new Date().toISOString())}
        </p>
      )}
      <div tabIndex={-1} ref={messageRef} class="focus-target">
        {message && <Notice testId="plan-message">{message}</Notice>}
        {problem && (
          <div class="error-summary" role="alert" data-testid="plan-problem">
            <p class="error-summary__detail">{problem}</p>
          </div>
        )}
      </div>
      {state.loadError && !plan && (
        <div class="error-summary" role="alert">
          <p class="error-summary__detail">The care plan could not be loaded: {state.loadError}</p>
          <Button variant="secondary" onClick={() => void state.reload()}>
            Try again
          </Button>
        </div>
      )}
      {!plan ? (
        !state.loadError && <Loading label="Loading the care plan…" />
      ) : (
        <>
          {plan.needs_sign_off ? (
            <div class="notice notice--warning plan-sign-off" data-testid="plan-sign-off-notice">
              <h3 class="notice__title">Waiting for a supervisor’s sign-off</h3>
              <p>This urgent case’s plan reaches the member only after a supervisor signs it off.</p>
              <p>
                Version {plan.version} is not signed off yet.{' '}
                {lastSigned ? `The member sees version ${lastSigned.version}, the last one signed off.` : 'The member sees no plan until then.'}
              </p>
              {supervisor && (
                <Button busy={busy === 'sign'} onClick={() => void signOff()} data-testid="plan-sign-off">
                  {busy === 'sign' ? 'Signing off…' : `Sign off version ${plan.version}`}
                </Button>
              )}
            </div>
          ) : (
            urgent &&
            plan.version === 0 && (
              <Notice kind="info" testId="plan-urgent-hint">
                This is an urgent case: its plan reaches the member only after a supervisor signs it off.
              </Notice>
            )
          )}
          {plan.version > 0 && plan.signed_off_at && (
            <p class="plan-signed" data-testid="plan-signed">
              <span class="tag tag--green">Signed off</span> Version {plan.version} signed off by {who(plan.signed_off_by, user, state.names)} on {formatTime(plan.signed_off_at)}.
            </p>
          )}

          {draft ? (
            <PlanEditor
              draft={draft}
              setForm={setForm}
              errors={errors}
              focusKey={focusKey}
              busy={busy === 'save'}
              onSubmit={save}
              onCancel={cancelEdit}
              conflictRef={conflictRef}
              user={user}
              names={state.names}
            />
          ) : viewing ? (
            <div class="plan-old" data-testid="plan-old-version">
              <div class="notice notice--info">
                <h3 class="notice__title" id="plan-old-title" tabIndex={-1}>
                  Version {viewing.version} (read-only)
                </h3>
                <p>
                  Saved by {who(viewing.author_id, user, state.names)} on {formatTime(viewing.created_at)}.{' '}
                  {viewing.signed_off_at ? `Signed off by ${who(viewing.signed_off_by, user, state.names)} on ${formatTime(viewing.signed_off_at)}.` : 'Not signed off.'}
                </p>
                <Button variant="secondary" onClick={() => setViewing(null)} data-testid="plan-back-to-newest">
                  Back to the newest version ({plan.version})
                </Button>
              </div>
              <PlanBody plan={viewing} level={4} />
            </div>
          ) : plan.version === 0 ? (
            <div data-testid="plan-empty">
              <p>No plan yet. Start one here, or use “Add to plan” on a result of Find care.</p>
              <Button onClick={startEdit} data-testid="plan-edit">
                Start the plan
              </Button>
            </div>
          ) : (
            <>
              <p class="plan-meta" data-testid="plan-meta">
                Version {plan.version}, saved by {who(plan.author_id, user, state.names)} on {formatTime(plan.created_at)}.
              </p>
              <PlanBody
                plan={plan}
                level={3}
                itemAction={(i) =>
                  i.kind === 'provider' ? <GfeAction item={i} open={gfe?.itemId === i.id} onOpen={() => setGfe((g) => ({ itemId: i.id, n: (g?.n ?? 0) + 1 }))} /> : null
                }
              />
              {gfeItem && (
                <GoodFaithEstimatePanel
                  key={gfeItem.id}
                  caseId={state.caseId}
                  item={gfeItem}
                  insurance={insurance}
                  memberLang={memberLang}
                  focusKey={gfe!.n}
                  onClose={() => {
                    setGfe(null);
                    requestAnimationFrame(() => document.getElementById(gfeButtonId(gfeItem))?.focus());
                  }}
                />
              )}
              <Button variant="secondary" onClick={startEdit} data-testid="plan-edit">
                Edit the plan
              </Button>
            </>
          )}

          {versions.length > 0 && (
            <div class="plan-versions">
              <h3 id="plan-versions-title">Versions</h3>
              <ol class="plain-list plan-versions__list" aria-labelledby="plan-versions-title" data-testid="plan-versions">
                {versions.map((v) => {
                  const newest = v.version === plan.version;
                  const shown = viewing?.version === v.version;
                  return (
                    <li key={v.version} class="plan-versions__item" data-version={v.version}>
                      <span>
                        <strong>Version {v.version}</strong>, {who(v.author_id, user, state.names)}, {formatTime(v.created_at)}{' '}
                        {v.signed_off_at ? (
                          <span class="tag tag--green">Signed off {formatTime(v.signed_off_at)}</span>
                        ) : (
                          <span class="tag tag--grey">Not signed off</span>
                        )}
                      </span>
                      {newest ? (
                        <span class="muted">Newest</span>
                      ) : shown ? (
                        <span class="muted">Shown above</span>
                      ) : (
                        <Button variant="secondary" busy={busy === 'version'} onClick={() => void openVersion(v.version)} data-testid="plan-open-version">
                          Open version {v.version}
                        </Button>
                      )}
                    </li>
                  );
                })}
              </ol>
            </div>
          )}
        </>
      )}
    </section>
  );
}

// --- a plan, read-only -----------------------------------------------------------------------------

function Heading({ level, children, id, class: cls }: { level: number; children: ComponentChildren; id?: string; class?: string }) {
  const Tag = `h${Math.min(6, level)}` as 'h3';
  return (
    <Tag id={id} class={cls}>
      {children}
    </Tag>
  );
}

/**
 * Goals with their items (then the items under no goal). `level`: the goals' heading level;
 * `itemAction`: what an item offers (the newest version's Good Faith Estimate).
 */
export function PlanBody({
  plan,
  level,
  itemAction,
}: {
  plan: Pick<CarePlan, 'goals' | 'items'>;
  level: HeadingLevel;
  itemAction?: (i: PlanItem) => ComponentChildren;
}) {
  const groups = groupByGoal(plan.goals, plan.items);
  if (groups.length === 0) return <p class="hint">This version has no goals or items.</p>;
  return (
    <div class="plan-body" data-testid="plan-body">
      {groups.map((g, gi) => (
        <div class="plan-goal" key={g.goal?.id ?? '-'} data-goal-id={g.goal?.id ?? ''}>
          <Heading level={level} class="plan-goal__title">
            {g.goal ? `Goal ${gi + 1}: ${g.goal.text}` : plan.goals.length ? 'Not under a goal' : 'Items'}
          </Heading>
          {g.items.length === 0 ? (
            <p class="hint">No items for this goal yet.</p>
          ) : (
            <ul class="plain-list plan-items">
              {g.items.map((i) => (
                <PlanItemView key={i.id} item={i} level={level + 1} action={itemAction?.(i)} />
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}

function PlanItemView({ item: i, level, action }: { item: PlanItem; level: number; action?: ComponentChildren }) {
  const { t, lang } = useMatchI18n();
  return (
    <li class="plan-item" id={`plan-item-${i.id}`} tabIndex={-1} data-testid="plan-item" data-item-id={i.id} data-service-id={i.service_id || undefined}>
      <div class="plan-item__head">
        <Heading level={level} class="plan-item__title break">
          {i.title}
        </Heading>
        <span class="plan-item__tags">
          <span class="tag tag--grey" data-testid="plan-item-kind">
            {kindLabel(i.kind)}
          </span>{' '}
          <span class={`tag plan-status plan-status--${i.status}`} data-testid="plan-item-status">
            {itemStatusLabel(i.status)}
          </span>
        </span>
      </div>
      <dl class="summary-list plan-item__facts">
        {i.service_id && (
          <Fact label="Listing">
            <Link href={`/directory/services/${encodeURIComponent(i.service_id)}`} data-testid="plan-item-listing">
              Open the directory listing<span class="visually-hidden"> for {i.title}</span>
            </Link>
          </Fact>
        )}
        {i.starts_on && <Fact label="Starts on">{dayText(i.starts_on)}</Fact>}
        {i.sessions > 0 && <Fact label="Sessions">{String(i.sessions)}</Fact>}
        <Fact label="Estimated cost" testId="plan-item-cost">
          {planCostText(i.cost, { t, lang })}
          {i.cost && !(i.cost.basis === 'free' && i.cost.high_cents === 0) && <span class="muted"> ({basisLabel(i.cost.basis)})</span>}
        </Fact>
        {i.fund_reference && <Fact label="Fund reference">{i.fund_reference}</Fact>}
        {i.notes && (
          <Fact label="Staff notes" testId="plan-item-notes">
            <span class="prewrap">{i.notes}</span>
          </Fact>
        )}
        <Fact label="For the member" testId="plan-item-for-member">
          {i.for_member ? <span class="prewrap">{i.for_member}</span> : <span class="muted">Nothing written for the member yet.</span>}
        </Fact>
      </dl>
      {action}
    </li>
  );
}

const gfeButtonId = (i: PlanItem) => `gfe-open-${i.id}`;

/**
 * A provider item's "Good Faith Estimate" button (it needs the listing: the estimate is the
 * listing's). `open`: its estimate is the one shown below the plan.
 */
function GfeAction({ item: i, open, onOpen }: { item: PlanItem; open: boolean; onOpen: () => void }) {
  if (!i.service_id) {
    return (
      <p class="hint plan-item__action" data-testid="gfe-needs-listing">
        A Good Faith Estimate needs the item’s directory listing: add it with “Edit the plan”.
      </p>
    );
  }
  return (
    <p class="plan-item__action">
      <Button
        variant="secondary"
        id={gfeButtonId(i)}
        aria-expanded={open ? 'true' : 'false'}
        {...(open ? { 'aria-controls': 'gfe-panel' } : {})}
        onClick={onOpen}
        data-testid="gfe-open"
      >
        Good Faith Estimate<span class="visually-hidden">: {i.title}</span>
      </Button>
    </p>
  );
}

function Fact({ label, children, testId }: { label: string; children: ComponentChildren; testId?: string }) {
  return (
    <div class="summary-list__row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

// --- the editor ----------------------------------------------------------------------------------------

function PlanEditor({
  draft,
  setForm,
  errors,
  focusKey,
  busy,
  onSubmit,
  onCancel,
  conflictRef,
  user,
  names,
}: {
  draft: Draft;
  setForm: (fn: (f: PlanForm) => PlanForm) => void;
  errors: ReturnType<typeof useFormErrors>['errors'];
  focusKey: number;
  busy: boolean;
  onSubmit: (e: Event) => void;
  onCancel: () => void;
  conflictRef: RefObject<HTMLDivElement | null>;
  user: User;
  names: Record<string, string>;
}) {
  const { form, base, conflict } = draft;
  const err = (key: string) => errors.fields[key];
  const addGoalRef = useRef<HTMLButtonElement>(null);
  const addItemRef = useRef<HTMLButtonElement>(null);

  const focusLater = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

  const addGoal = () => {
    const g = newGoal();
    setForm((f) => ({ ...f, goals: [...f.goals, g] }));
    focusLater(fid(`goals.${form.goals.length}.text`));
  };
  const removeGoal = (g: GoalForm) => {
    setForm((f) => ({ goals: f.goals.filter((x) => x.key !== g.key), items: f.items.map((i) => (i.goal_id === g.id ? { ...i, goal_id: '' } : i)) }));
    requestAnimationFrame(() => addGoalRef.current?.focus());
  };
  const setGoal = (key: number, text: string) => setForm((f) => ({ ...f, goals: f.goals.map((g) => (g.key === key ? { ...g, text } : g)) }));

  const addItem = () => {
    setForm((f) => ({ ...f, items: [...f.items, newItem()] }));
    focusLater(fid(itemField(form.items.length, 'kind')));
  };
  const removeItem = (it: ItemForm) => {
    setForm((f) => ({ ...f, items: f.items.filter((x) => x.key !== it.key) }));
    requestAnimationFrame(() => addItemRef.current?.focus());
  };
  const setItem = (key: number, patch: Partial<ItemForm>) => setForm((f) => ({ ...f, items: f.items.map((i) => (i.key === key ? { ...i, ...patch } : i)) }));

  const fields = (
    <>
      <fieldset class="plan-form__section">
        <legend class="plan-form__legend">Goals</legend>
        {err('goals') && <p class="field__error">{err('goals')!.join(' ')}</p>}
        {form.goals.length === 0 && <p class="hint">No goals yet. Items can stand without one.</p>}
        {form.goals.map((g, i) => (
          <div class="plan-form__goal" key={g.key}>
            <TextAreaField
              id={fid(`goals.${i}.text`)}
              name={`goal-${g.key}`}
              label={`Goal ${i + 1}`}
              rows={2}
              maxLength={MAX_TEXT}
              value={g.text}
              onValue={(v) => setGoal(g.key, v)}
              errors={err(`goals.${i}.text`)}
            />
            <Button variant="secondary" onClick={() => removeGoal(g)} data-testid="plan-goal-remove">
              Remove goal {i + 1}
            </Button>
          </div>
        ))}
        <button type="button" class="button button--secondary" ref={addGoalRef} onClick={addGoal} data-testid="plan-goal-add">
          Add a goal
        </button>
      </fieldset>

      <fieldset class="plan-form__section">
        <legend class="plan-form__legend">Items</legend>
        {err('items') && <p class="field__error">{err('items')!.join(' ')}</p>}
        {form.items.length === 0 && <p class="hint">No items yet.</p>}
        {form.items.map((it, i) => (
          <ItemEditor key={it.key} item={it} index={i} goals={form.goals} err={err} set={(p) => setItem(it.key, p)} remove={() => removeItem(it)} />
        ))}
        <button type="button" class="button button--secondary" ref={addItemRef} onClick={addItem} data-testid="plan-item-add">
          Add an item
        </button>
      </fieldset>
    </>
  );

  return (
    <form class="form plan-form" method="post" noValidate onSubmit={onSubmit} aria-labelledby="plan-form-title" data-testid="plan-form">
      <h3 id="plan-form-title" tabIndex={-1}>
        {base.version === 0 ? 'Start the plan' : `Edit the plan (from version ${base.version})`}
      </h3>
      <ErrorSummary errors={errors} order={planFieldOrder(form)} idPrefix={P} focusKey={focusKey} />
      {conflict && (
        <div class="notice notice--warning" role="alert" tabIndex={-1} ref={conflictRef} data-testid="plan-conflict">
          <h4 class="notice__title">
            {conflict.theirs.author_id === user.id
              ? `You saved version ${conflict.theirs.version} in another tab or window while editing here`
              : `${who(conflict.theirs.author_id, user, names)} saved version ${conflict.theirs.version} while you were editing`}
          </h4>
          {conflict.changes.length > 0 ? (
            <>
              <p>The saved version is shown beside your edit. What changed in it:</p>
              <ul data-testid="plan-conflict-changes">
                {conflict.changes.map((c, i) => (
                  <li key={i}>{c}</li>
                ))}
              </ul>
            </>
          ) : (
            <p>The saved version is shown beside your edit.</p>
          )}
          <p>Your changes were not saved. They are still in the form: save again to replace the saved version with yours, or cancel to keep it.</p>
        </div>
      )}
      {conflict ? (
        <div class="plan-compare">
          <section class="plan-compare__theirs" aria-labelledby="plan-theirs-title" data-testid="plan-theirs">
            <h4 id="plan-theirs-title">The saved version (version {conflict.theirs.version})</h4>
            <PlanBody plan={conflict.theirs} level={5} />
          </section>
          <div class="plan-compare__ours">
            <h4>Your edit (not saved)</h4>
            {fields}
          </div>
        </div>
      ) : (
        fields
      )}
      <div class="button-group plan-form__actions">
        <Button type="submit" busy={busy} data-testid="plan-save">
          {busy ? 'Saving…' : 'Save the plan'}
        </Button>
        <Button variant="link" onClick={onCancel} data-testid="plan-cancel">
          Cancel
        </Button>
      </div>
    </form>
  );
}

const options = <K extends string>(values: readonly K[], labels: Record<K, string>) => values.map((v) => ({ value: v, label: labels[v] }));
/** The value's own option when the server holds one we do not know (kept, not silently changed). */
const withValue = (opts: Array<{ value: string; label: string }>, v: string) => (v && !opts.some((o) => o.value === v) ? [...opts, { value: v, label: v }] : opts);

function ItemEditor({
  item: it,
  index: i,
  goals,
  err,
  set,
  remove,
}: {
  item: ItemForm;
  index: number;
  goals: GoalForm[];
  err: (key: string) => string[] | undefined;
  set: (p: Partial<ItemForm>) => void;
  remove: () => void;
}) {
  const key = (name: ItemFieldName) => itemField(i, name);
  const id = (name: ItemFieldName) => fid(key(name));
  /** A field's id, name, value, setter and errors: the item's `f`, at the server's field `name`. */
  const bind = (name: ItemFieldName, f: TextKeys<ItemForm>, html: string) => ({
    id: id(name),
    name: `${html}-${it.key}`,
    value: it[f],
    onValue: (v: string) => set({ [f]: v }),
    errors: err(key(name)),
  });
  return (
    <fieldset class="plan-form__item" data-testid="plan-item-form" data-service-id={it.service_id || undefined}>
      <legend class="plan-form__item-legend break">
        Item {i + 1}
        {it.title.trim() ? `: ${it.title.trim()}` : ''}
      </legend>
      <div class="plan-form__row">
        <SelectField {...bind('kind', 'kind', 'kind')} label="Kind" options={withValue(options(ITEM_KINDS, KIND_LABELS), it.kind)} />
        <SelectField {...bind('status', 'status', 'status')} label="Status" options={withValue(options(ITEM_STATUSES, STATUS_LABELS), it.status)} />
      </div>
      <TextField {...bind('title', 'title', 'title')} label="Title" maxLength={MAX_TITLE} />
      <SelectField
        {...bind('goal_id', 'goal_id', 'goal')}
        label="Goal"
        options={[{ value: '', label: 'No goal' }, ...goals.map((g, gi) => ({ value: g.id, label: `Goal ${gi + 1}${g.text.trim() ? `: ${g.text.trim().slice(0, 60)}` : ''}` }))]}
      />
      <div class="plan-form__row">
        <TextField {...bind('starts_on', 'starts_on', 'starts')} type="date" label="Starts on (optional)" inputClass="input--date" />
        <NumberField {...bind('sessions', 'sessions', 'sessions')} label="Sessions (optional)" inputMode="numeric" />
      </div>
      <TextField
        {...bind('service_id', 'service_id', 'service')}
        label="Directory listing (optional)"
        hint="The listing’s id, from its page in the directory. “Add to plan” in Find care fills it in."
        autoComplete="off"
        spellcheck={false}
        inputClass="input--id"
        maxLength={64}
      />
      <fieldset class="plan-form__cost" aria-describedby={`${id('cost.low_cents')}-group-hint`}>
        <legend class="field__label">Estimated cost to the member (optional)</legend>
        <p class="field__hint" id={`${id('cost.low_cents')}-group-hint`}>
          In dollars. Leave the high end empty for a fixed amount, and both empty for no estimate. When only the lowest cost is known, tick “No upper limit known”.
        </p>
        <div class="plan-form__row">
          <NumberField {...bind('cost.low_cents', 'low', 'low')} label="From ($)" />
          {!it.open_high && <NumberField {...bind('cost.high_cents', 'high', 'high')} label="Up to ($)" />}
        </div>
        <CheckboxField
          id={id('cost.open_high')}
          name={`open-high-${it.key}`}
          label="No upper limit known"
          checked={it.open_high}
          onValue={(v) => set({ open_high: v })}
          errors={err(key('cost.open_high'))}
        />
        <div class="plan-form__row">
          <SelectField {...bind('cost.basis', 'basis', 'basis')} label="Based on" options={withValue([{ value: '', label: 'Choose one' }, ...options(PLAN_BASES, BASIS_LABELS)], it.basis)} />
          <SelectField {...bind('cost.per', 'per', 'per')} label="Per" options={withValue(options(COST_PER, PER_LABELS), it.per)} />
        </div>
      </fieldset>
      {(it.kind === 'financial_aid' || it.fund_reference !== '') && (
        <TextField
          {...bind('fund_reference', 'fund_reference', 'fund')}
          label="Fund reference (optional)"
          hint="The funds application or award paying for it."
          autoComplete="off"
          maxLength={100}
        />
      )}
      <TextAreaField {...bind('notes', 'notes', 'notes')} label="Staff notes (optional)" hint="Only staff see these." rows={2} maxLength={MAX_TEXT} />
      <TextAreaField
        {...bind('for_member', 'for_member', 'for-member')}
        label="For the member (optional)"
        hint="What the member reads about this item on their status page, in plain words."
        rows={3}
        maxLength={MAX_TEXT}
      />
      <Button variant="secondary" onClick={remove} data-testid="plan-item-remove">
        Remove item {i + 1}
        <span class="visually-hidden">{it.title.trim() ? `: ${it.title.trim()}` : ''}</span>
      </Button>
    </fieldset>
  );
}

// --- "Add to plan" on a match ------------------------------------------------------------------------

/**
 * The action on one result of Find care: adds it to the plan as a proposed provider item and
 * saves that as the next version (If-Match: the newest). A listing already in the plan (or in
 * the edit under way) is not added twice: "Open it in the plan" instead.
 */
export function AddToPlan({ match: m, state }: { match: Match; state: CarePlanState }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const existing = state.draft ? findServiceItem(state.draft.form.items, m.service_id) : findServiceItem(state.plan?.items, m.service_id);

  const add = async () => {
    if (busy) return;
    setError(null);
    setDone(null);
    if (state.draft) {
      const item = itemToForm({ id: '', ...itemFromMatch(m) });
      state.setDraft((d) => (d && !findServiceItem(d.form.items, m.service_id) ? { ...d, form: { ...d.form, items: [...d.form.items, item] } } : d));
      setDone('Added to your edit of the plan, not saved yet: save the plan to keep it.');
      return;
    }
    setBusy(true);
    try {
      let plan = state.plan ?? (await state.reload());
      for (let attempt = 0; plan; attempt++) {
        const body = addMatch(plan, m);
        if (!body) return; // already there (someone added it meanwhile): "Open it in the plan" shows
        try {
          const saved = await carePlans.savePlan(state.caseId, plan.version, body);
          state.saved(saved);
          setDone(
            saved.needs_sign_off
              ? `Added to the care plan as a proposed item (version ${saved.version}). A supervisor must sign it off before the member sees it.`
              : `Added to the care plan as a proposed item (version ${saved.version}).`,
          );
          return;
        } catch (e) {
          // Someone saved the plan meanwhile: add it to their newest version instead (once).
          if (is(e, 412) && attempt === 0) {
            plan = await state.reload();
            continue;
          }
          throw e;
        }
      }
      setError('The care plan could not be loaded. Try again.');
    } catch (e) {
      setError(`Not added: ${errorsFromException(e, []).detail ?? 'try again.'}`);
    } finally {
      setBusy(false);
    }
  };

  const open = (
    <Button variant="link" onClick={() => state.showService(m.service_id)} data-testid="plan-open-item">
      Open it in the plan<span class="visually-hidden">: {m.name}</span>
    </Button>
  );

  return (
    <div class="plan-action" data-testid="plan-action">
      {done ? (
        <div class="notice plan-action__done" role="status" data-testid="plan-added">
          <p>{done}</p>
          {existing && open}
        </div>
      ) : existing ? (
        <p class="plan-action__in" data-testid="plan-in">
          <span class="tag tag--green">In the plan</span> {open}
        </p>
      ) : (
        <Button variant="secondary" busy={busy} onClick={() => void add()} data-testid="plan-add" disabled={!state.plan && !state.loadError}>
          {busy ? 'Adding…' : 'Add to plan'}
          <span class="visually-hidden">: {m.name}</span>
        </Button>
      )}
      {error && (
        <p class="field__error" role="alert" data-testid="plan-add-error">
          {error}
        </p>
      )}
    </div>
  );
}
