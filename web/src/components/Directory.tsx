// Pieces the directory pages share: the directory's own navigation, status and need tags, the
// HSDS service read for people, the history table, the edit form and the openings check.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { User } from '../api';
import {
  actorText,
  fieldHint,
  fieldKind,
  fieldLabel,
  historyActionLabel,
  historyValue,
  LISTING_LABELS,
  listingOf,
  longDate,
  needLabel,
  needTone,
  safeHttpUrl,
  SERVICE_STATUSES,
  serviceStatusLabel,
  serviceView,
  sortHistory,
  type FieldChange,
  type HistoryEntry,
  type HsdsObject,
  type Need,
  type ServiceForm,
} from '../directory';
import { isAdmin } from '../session';
import { Button, SelectField, TextField, type FormErrors } from './forms';
import { TextAreaField } from './TextAreaField';
import { Link, formatTime } from './ui';

/** Services, Freshness and (for admins) Imports: the directory's own navigation. */
export function DirectoryNav({ user, current }: { user: User; current: 'services' | 'freshness' | 'imports' }) {
  const item = (key: typeof current, href: string, label: string) => (
    <li>
      <Link href={href} class="subnav__link" aria-current={current === key ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
  return (
    <nav class="subnav" aria-label="Directory">
      <ul class="subnav__list">
        {item('services', '/directory', 'Services')}
        {item('freshness', '/directory/freshness', 'Freshness')}
        {isAdmin(user) && item('imports', '/directory/imports', 'Imports')}
      </ul>
    </nav>
  );
}

export function StatusTag({ status }: { status: string }) {
  const tone = status === 'active' ? 'green' : status === 'defunct' ? 'red' : 'grey';
  return (
    <span class={`tag tag--${tone}`} data-testid="service-status" data-status={status}>
      {serviceStatusLabel(status)}
    </span>
  );
}

export function ListingTag({ status }: { status: string }) {
  const l = listingOf(status);
  const tone = l === 'listed' ? 'green' : l === 'removed' ? 'red' : 'grey';
  return (
    <span class={`tag tag--${tone}`} data-testid="listing-state" data-listing={l}>
      {LISTING_LABELS[l]}
    </span>
  );
}

export function NeedBadges({ needs }: { needs: readonly Need[] }) {
  if (!needs.length) return <span class="muted">—</span>;
  return (
    <ul class="tag-list" data-testid="needs">
      {needs.map((n, i) => (
        <li key={`${n.reason}-${i}`}>
          <span class={`tag tag--${needTone(n.reason)}`} data-reason={n.reason} title={n.detail || undefined}>
            {needLabel(n.reason)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Row({ label, children, testId }: { label: string; children: ComponentChildren; testId?: string }) {
  return (
    <div class="summary-list__row">
      <dt>{label}</dt>
      <dd class="break" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function Lines({ items }: { items: readonly string[] }) {
  if (items.length === 1) return <>{items[0]}</>;
  return (
    <ul class="plain-list">
      {items.map((x, i) => (
        <li key={i}>{x}</li>
      ))}
    </ul>
  );
}

/** The main HSDS fields of a service, whichever are there. */
export function ServiceFacts({ service, organizationName }: { service: HsdsObject; organizationName: string | null }) {
  const v = serviceView(service, organizationName);
  const url = v.url ? safeHttpUrl(v.url) : null;
  return (
    <>
      {v.description && (
        <p class="prewrap" data-testid="service-description">
          {v.description}
        </p>
      )}
      <dl class="summary-list" data-testid="service-facts">
        {v.organization && <Row label="Organization">{v.organization}</Row>}
        {v.alternateName && <Row label="Other name">{v.alternateName}</Row>}
        {v.url && (
          <Row label="Website">
            {url ? (
              <a href={url} rel="noopener noreferrer" target="_blank">
                {v.url}
                <span class="visually-hidden"> (opens in a new tab)</span>
              </a>
            ) : (
              v.url
            )}
          </Row>
        )}
        {v.email && (
          <Row label="Email">
            <a href={`mailto:${v.email}`}>{v.email}</a>
          </Row>
        )}
        {v.phones.length > 0 && (
          <Row label="Phone">
            <Lines items={v.phones} />
          </Row>
        )}
        {v.locations.length > 0 && (
          <Row label={v.locations.length === 1 ? 'Location' : 'Locations'} testId="service-locations">
            <ul class="plain-list">
              {v.locations.map((l, i) => (
                <li key={i} class="location">
                  <strong>{l.name}</strong>
                  {l.virtual && <span class="muted"> (online)</span>}
                  {l.address && <span class="location__line">{l.address}</span>}
                  {l.phones.length > 0 && <span class="location__line">{l.phones.join(', ')}</span>}
                </li>
              ))}
            </ul>
          </Row>
        )}
        {v.languages.length > 0 && <Row label="Languages">{v.languages.join(', ')}</Row>}
        {v.costs.length > 0 && (
          <Row label="Costs">
            <Lines items={v.costs} />
          </Row>
        )}
        {v.facets.map((f) => (
          <Row key={f.label} label={f.label}>
            {f.items.join(', ')}
          </Row>
        ))}
      </dl>
    </>
  );
}

export function HistoryTable({ history, me }: { history: readonly HistoryEntry[]; me: string | null }) {
  const rows = sortHistory(history);
  if (!rows.length) return <p data-testid="history-empty">No changes recorded yet.</p>;
  return (
    <table class="table table--stack history" data-testid="history">
      <caption class="visually-hidden">Changes, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">What</th>
          <th scope="col">Field</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((h) => (
          <tr key={h.seq} data-action={h.action} data-field={h.field}>
            <td data-label="When" class="nowrap">
              <time dateTime={h.at}>{formatTime(h.at)}</time>
            </td>
            <td data-label="Who">{actorText(h, me)}</td>
            <td data-label="What">{historyActionLabel(h.action)}</td>
            {h.action === 'import' ? (
              // An import row names the file that added or changed the listing.
              <>
                <td data-label="Field">{h.field === 'added' ? 'Added' : 'Updated'}</td>
                <td data-label="Change" class="break history__change">
                  <span class="history__after">from {historyValue(h.after)}</span>
                </td>
              </>
            ) : (
              <>
                <td data-label="Field">{h.field ? fieldLabel(h.field) : h.resource ? fieldLabel(h.resource) : '—'}</td>
                <td data-label="Change" class="break history__change">
                  <span class="history__before">{historyValue(h.before)}</span>
                  <span aria-hidden="true"> → </span>
                  <span class="visually-hidden"> changed to </span>
                  <span class="history__after">{historyValue(h.after)}</span>
                </td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const STATUS_OPTIONS = SERVICE_STATUSES.map((s) => ({ value: s, label: serviceStatusLabel(s) }));

/** The fields in `editable`, in that order; an emptied field is removed when saved. */
export function ServiceEditFields({
  fields,
  form,
  onField,
  errors,
  idPrefix,
}: {
  fields: readonly string[];
  form: ServiceForm;
  onField: (field: string, value: string) => void;
  errors: FormErrors;
  idPrefix: string;
}) {
  return (
    <>
      {fields.map((f) => {
        const kind = fieldKind(f);
        const id = `${idPrefix}${f}`;
        const value = form[f] ?? '';
        const errs = errors.fields[f];
        const hint = fieldHint(f);
        if (kind === 'status') {
          const options = STATUS_OPTIONS.some((o) => o.value === value) || value === '' ? STATUS_OPTIONS : [...STATUS_OPTIONS, { value, label: serviceStatusLabel(value) }];
          return <SelectField key={f} id={id} name={f} label={fieldLabel(f)} value={value} options={options} onValue={(v) => onField(f, v)} errors={errs} />;
        }
        if (kind === 'textarea') {
          return <TextAreaField key={f} id={id} name={f} label={fieldLabel(f)} hint={hint} rows={f === 'description' ? 6 : 3} value={value} onValue={(v) => onField(f, v)} errors={errs} />;
        }
        return (
          <TextField
            key={f}
            id={id}
            name={f}
            label={fieldLabel(f)}
            hint={hint}
            type={kind === 'url' ? 'url' : kind === 'email' ? 'email' : 'text'}
            inputMode={kind === 'integer' ? 'numeric' : undefined}
            inputClass={kind === 'integer' ? 'input--short' : undefined}
            autoComplete="off"
            spellcheck={kind === 'text' ? undefined : false}
            value={value}
            onValue={(v) => onField(f, v)}
            errors={errs}
          />
        );
      })}
    </>
  );
}

/**
 * "Still taking clients": the number of openings (the last one given) and one button that
 * confirms it as of today.
 */
export function OpeningsConfirm({
  serviceId,
  serviceName,
  initial,
  busy,
  error,
  onConfirm,
}: {
  serviceId: string;
  serviceName: string;
  initial: number | null;
  busy: boolean;
  error: string | null;
  onConfirm: (count: number) => void;
}) {
  const [value, setValue] = useState(initial === null ? '' : String(initial));
  const [invalid, setInvalid] = useState<string | null>(null);
  const id = `openings-${serviceId}`;
  const submit = (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const v = value.trim();
    if (!/^\d{1,4}$/.test(v)) {
      setInvalid('Enter how many openings you have, as a whole number (0 if none)');
      return;
    }
    setInvalid(null);
    onConfirm(parseInt(v, 10));
  };
  const errs = invalid ? [invalid] : error ? [error] : undefined;
  return (
    <form class="openings-form" method="post" noValidate onSubmit={submit} aria-label={`Openings for ${serviceName}`}>
      <TextField
        id={id}
        name="available"
        label="Openings for new clients"
        hint="Change the number first if it is different now."
        inputMode="numeric"
        inputClass="input--short"
        autoComplete="off"
        value={value}
        onValue={setValue}
        errors={errs}
      />
      <Button type="submit" busy={busy} data-testid="still-taking">
        {busy ? 'Confirming…' : 'Still taking clients'}
        <span class="visually-hidden"> for {serviceName}</span>
      </Button>
    </form>
  );
}

export function VerifiedText({ iso }: { iso: string | null }) {
  return iso ? <time dateTime={iso}>{longDate(iso)}</time> : <span>Never verified</span>;
}

/**
 * What a 412 changed: the other person's edits (now shown) and ours (kept, unsaved). `place`
 * says where their version now shows ("the form" / "the page").
 */
export function ConflictNotice({
  title,
  heading,
  place,
  conflict,
  testId,
}: {
  title: string;
  heading: 'h2' | 'h3';
  place: 'form' | 'page';
  conflict: { theirs: readonly FieldChange[]; yours: readonly FieldChange[] };
  testId: string;
}) {
  const Heading = heading;
  return (
    <div class="notice notice--warning" role="alert" data-testid={testId}>
      <Heading class="notice__title">{title}</Heading>
      {conflict.theirs.length > 0 ? (
        <>
          <p>The {place} now shows their version. They changed:</p>
          <ul>
            {conflict.theirs.map((c) => (
              <li key={c.field}>
                {c.label}: {c.from} → {c.to}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>The {place} now shows the newest version.</p>
      )}
      {conflict.yours.length > 0 ? (
        <p>Your changes were not saved. They are still in the form ({conflict.yours.map((c) => c.label).join(', ')}): check them and save again.</p>
      ) : (
        <p>Your changes were not saved.</p>
      )}
    </div>
  );
}
