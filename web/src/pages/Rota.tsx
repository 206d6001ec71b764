// The on-duty rota: shifts for the coming week, grouped by day in the viewer's time zone, each
// with its own zone noted. Supervisors add and remove shifts for anyone; case managers for
// themselves. Times are entered as wall-clock times in the shift's own zone.
import { useEffect, useState } from 'preact/hooks';
import type { User } from '../api';
import { Button, ErrorSummary, SelectField, TextField, errorsFromException, useFormErrors } from '../components/forms';
import { Loading, Notice, usePageTitle } from '../components/ui';
import { timeZoneLabel, timeZones } from '../intake/regions';
import { liveCalls, type Shift, type StaffMember } from '../liveApi';
import { dayIn, dayLabel, deviceZone, groupByDay, rangeIn, wallClockRange, zoneShort } from '../zones';

const DAYS = 7;
const FIELDS = ['user_id', 'date', 'start', 'end', 'time_zone'] as const;
/** The API's fields → this form's. */
const ALIASES = { starts_at: 'start', ends_at: 'end' };

/** Midnight today on the viewer's clock, and a week later. */
export function weekWindow(now = new Date()): { from: Date; to: Date } {
  const from = new Date(now);
  from.setHours(0, 0, 0, 0);
  const to = new Date(from);
  to.setDate(to.getDate() + DAYS);
  return { from, to };
}

export function RotaPage({ user }: { user: User }) {
  usePageTitle('Rota');
  const supervisor = user.role === 'supervisor';
  const viewerZone = deviceZone();
  const [shifts, setShifts] = useState<Shift[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);

  const load = async () => {
    setLoadError(null);
    const { from, to } = weekWindow();
    try {
      const r = await liveCalls.listShifts(from, to);
      setShifts(r.items);
    } catch (e) {
      setLoadError(errorsFromException(e, []).detail);
    }
  };

  useEffect(() => {
    void load();
    if (supervisor) {
      liveCalls
        .listStaff()
        .then((r) => setStaff(r.items))
        .catch(() => setStaff([]));
    }
  }, []);

  const remove = async (s: Shift) => {
    if (removing) return;
    setRemoving(s.id);
    setRemoveError(null);
    setDone(null);
    try {
      await liveCalls.deleteShift(s.id);
      setShifts((xs) => (xs ?? []).filter((x) => x.id !== s.id));
      setDone(`Removed ${s.user_id === user.id ? 'your' : `${s.user_name}’s`} shift on ${dayLabel(dayIn(s.starts_at, viewerZone), 'en')}.`);
    } catch (e) {
      setRemoveError(errorsFromException(e, []).detail);
    } finally {
      setRemoving(null);
    }
  };

  const days = shifts ? groupByDay(shifts, (s) => s.starts_at, viewerZone) : [];
  return (
    <>
      <h1 tabIndex={-1}>Rota</h1>
      <p class="lede">
        Who is on duty in the coming week. Times are shown in your time zone, <strong>{timeZoneLabel(viewerZone)}</strong>; each shift notes the
        time zone it was set in.
      </p>
      {done && <Notice testId="rota-done">{done}</Notice>}
      {removeError && (
        <div class="error-summary" role="alert">
          <p class="error-summary__detail">The shift could not be removed: {removeError}</p>
        </div>
      )}
      {loadError && (
        <div class="error-summary" role="alert">
          <h2 class="error-summary__title">There is a problem</h2>
          <p class="error-summary__detail">{loadError}</p>
          <Button variant="secondary" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      )}
      {shifts === null ? (
        !loadError && <Loading label="Loading the rota…" />
      ) : days.length === 0 ? (
        <p data-testid="rota-empty">No shifts in the coming week yet.</p>
      ) : (
        <div class="rota" data-testid="rota">
          {days.map((d) => (
            <section key={d.day} class="rota__day" aria-labelledby={`rota-day-${d.day}`} data-day={d.day}>
              <h2 id={`rota-day-${d.day}`} class="rota__title">
                {dayLabel(d.day, 'en')}
              </h2>
              <ul class="rota__list">
                {d.items.map((s) => {
                  const mine = s.user_id === user.id;
                  const own = s.time_zone !== viewerZone;
                  return (
                    <li key={s.id} class="rota__shift" data-shift-id={s.id}>
                      <span class="rota__when">
                        <strong>{rangeIn(s.starts_at, s.ends_at, viewerZone, 'en')}</strong> {zoneShort(viewerZone, s.starts_at)}
                      </span>
                      <span class="rota__who">{mine ? `${s.user_name} (you)` : s.user_name}</span>
                      <span class="rota__zone muted">
                        {own
                          ? `Set in ${timeZoneLabel(s.time_zone)}: ${rangeIn(s.starts_at, s.ends_at, s.time_zone, 'en')} ${zoneShort(s.time_zone, s.starts_at)}`
                          : `Set in ${timeZoneLabel(s.time_zone)}`}
                      </span>
                      {(supervisor || mine) && (
                        <Button variant="secondary" class="rota__remove" busy={removing === s.id} onClick={() => void remove(s)} data-testid="shift-remove">
                          Remove<span class="visually-hidden"> the shift of {s.user_name}, {dayLabel(dayIn(s.starts_at, viewerZone), 'en')}</span>
                        </Button>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
        </div>
      )}
      <AddShift
        user={user}
        staff={staff}
        viewerZone={viewerZone}
        onAdded={(s) => {
          setShifts((xs) => [...(xs ?? []).filter((x) => x.id !== s.id), s]);
          setDone(`Added ${s.user_id === user.id ? 'your' : `${s.user_name}’s`} shift on ${dayLabel(dayIn(s.starts_at, viewerZone), 'en')}.`);
        }}
      />
    </>
  );
}

function AddShift({ user, staff, viewerZone, onAdded }: { user: User; staff: StaffMember[]; viewerZone: string; onAdded: (s: Shift) => void }) {
  const supervisor = user.role === 'supervisor';
  const [who, setWho] = useState(user.id);
  const [date, setDate] = useState(() => dayIn(Date.now(), viewerZone));
  const [start, setStart] = useState('09:00');
  const [end, setEnd] = useState('17:00');
  const [zone, setZone] = useState(viewerZone);
  const [busy, setBusy] = useState(false);
  const [zones] = useState(() => timeZones([viewerZone]));
  const { errors, setErrors, clear, focusKey } = useFormErrors();

  const people = supervisor
    ? [{ value: user.id, label: `${user.name || user.email} (you)` }, ...staff.filter((m) => m.id !== user.id).map((m) => ({ value: m.id, label: m.name }))]
    : [];

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const fields: Record<string, string[]> = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fields.date = ['Enter the date of the shift'];
    if (!/^\d{2}:\d{2}$/.test(start)) fields.start = ['Enter when the shift starts, like 09:00'];
    if (!/^\d{2}:\d{2}$/.test(end)) fields.end = ['Enter when the shift ends, like 17:00'];
    else if (end === start) fields.end = ['The shift must end after it starts'];
    if (!zone) fields.time_zone = ['Choose the time zone of the shift'];
    if (Object.keys(fields).length) {
      setErrors({ detail: null, fields, general: [] });
      return;
    }
    clear();
    setBusy(true);
    try {
      const s = await liveCalls.createShift({ user_id: supervisor ? who : user.id, ...wallClockRange(date, start, end), time_zone: zone });
      onAdded(s);
    } catch (err) {
      setErrors(errorsFromException(err, FIELDS, ALIASES));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card rota-add" aria-labelledby="rota-add-title">
      <h2 id="rota-add-title">{supervisor ? 'Add a shift' : 'Add a shift for yourself'}</h2>
      <form class="form" method="post" noValidate onSubmit={(e) => void submit(e as unknown as Event)} aria-labelledby="rota-add-title">
        <ErrorSummary errors={errors} order={FIELDS} idPrefix="shift-" focusKey={focusKey} />
        {supervisor && (
          <SelectField id="shift-user_id" name="user_id" label="Who" value={who} onValue={setWho} options={people} errors={errors.fields.user_id} />
        )}
        <TextField id="shift-date" name="date" type="date" label="Date" inputClass="input--date" value={date} onValue={setDate} errors={errors.fields.date} />
        <div class="field-row">
          <TextField id="shift-start" name="start" type="time" label="Starts" inputClass="input--short" value={start} onValue={setStart} errors={errors.fields.start} />
          <TextField
            id="shift-end"
            name="end"
            type="time"
            label="Ends"
            hint="An end before the start is the next day."
            inputClass="input--short"
            value={end}
            onValue={setEnd}
            errors={errors.fields.end}
          />
        </div>
        <SelectField
          id="shift-time_zone"
          name="time_zone"
          label="Time zone of these times"
          value={zone}
          onValue={setZone}
          options={zones.map((z) => ({ value: z, label: timeZoneLabel(z) }))}
          errors={errors.fields.time_zone}
        />
        <Button type="submit" busy={busy} data-testid="shift-add">
          {busy ? 'Adding…' : 'Add shift'}
        </Button>
      </form>
    </section>
  );
}
