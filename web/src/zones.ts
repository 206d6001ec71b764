// Times in time zones: a shift or a call slot is stored in UTC and shown in the viewer's own
// zone (with the shift's zone noted), grouped by the viewer's calendar day. Pure; Intl only.

/**
 * The locale for dates and times on a page in `lang`: the browser's own when it is a variant of
 * that language ("en-GB" on an English page: 24-hour times), else the page language.
 */
export function timeLocale(lang: string, languages: readonly string[] | undefined = globalThis.navigator?.languages): string {
  const own = languages?.[0];
  return own && own.toLowerCase().split('-')[0] === lang ? own : lang;
}

/** The device's IANA time zone ("America/Chicago"), or UTC when the browser will not say. */
export function deviceZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone !== '';
  } catch {
    return false;
  }
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** The calendar day ("2026-11-26") of an instant in a zone. */
export function dayIn(iso: string | number | Date, zone: string): string {
  const d = new Date(iso);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const get = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** "Thursday, November 26" (in the page language) for a calendar day. */
export function dayLabel(day: string, lang: string): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Intl.DateTimeFormat(lang, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** "9:00 AM" for an instant, in a zone. */
export function timeIn(iso: string | number | Date, zone: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit', timeZone: zone }).format(new Date(iso));
}

/** "9:00 AM – 5:00 PM" in a zone; the end's day is added when it differs from the start's. */
export function rangeIn(start: string, end: string, zone: string, lang: string): string {
  const a = timeIn(start, zone, lang);
  const b = timeIn(end, zone, lang);
  if (dayIn(start, zone) === dayIn(end, zone)) return `${a} – ${b}`;
  const wd = new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: zone }).format(new Date(end));
  return `${a} – ${wd} ${b}`;
}

/** "CST", "GMT+1": the zone's short name at that instant (falls back to the IANA name). */
export function zoneShort(zone: string, at: string | number | Date, lang = 'en'): string {
  try {
    const part = new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: 'short' }).formatToParts(new Date(at)).find((x) => x.type === 'timeZoneName');
    return part?.value ?? zone;
  } catch {
    return zone;
  }
}

/** The full moment in words, in a zone: "Thursday, November 26, 9:00 AM CST". */
export function momentIn(iso: string, zone: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** Adds days to a calendar day ("2026-11-30" + 1 → "2026-12-01"). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${t.getUTCFullYear()}-${p2(t.getUTCMonth() + 1)}-${p2(t.getUTCDate())}`;
}

/**
 * A shift's local wall-clock start and end as the API takes them ("2026-11-26T09:00"). An end
 * at or before the start is on the next day (an overnight shift).
 */
export function wallClockRange(day: string, startTime: string, endTime: string): { starts_at: string; ends_at: string } {
  const endDay = endTime <= startTime ? addDays(day, 1) : day;
  return { starts_at: `${day}T${startTime}`, ends_at: `${endDay}T${endTime}` };
}

/** Groups items by the calendar day of `at(item)` in `zone`, days in order, items in order. */
export function groupByDay<T>(items: readonly T[], at: (x: T) => string, zone: string): Array<{ day: string; items: T[] }> {
  const sorted = [...items].sort((a, b) => Date.parse(at(a)) - Date.parse(at(b)));
  const out: Array<{ day: string; items: T[] }> = [];
  for (const x of sorted) {
    const day = dayIn(at(x), zone);
    const last = out[out.length - 1];
    if (last && last.day === day) last.items.push(x);
    else out.push({ day, items: [x] });
  }
  return out;
}
