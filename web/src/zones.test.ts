import { describe, expect, it } from 'vitest';
import { addDays, dayIn, dayLabel, groupByDay, isZone, rangeIn, timeLocale, wallClockRange, zoneShort } from './zones';

const norm = (s: string) => s.replace(/\s/g, ' ');

describe('time zones', () => {
  it('a shift’s wall-clock times; an end at or before the start is the next day', () => {
    expect(wallClockRange('2026-11-26', '09:00', '17:00')).toEqual({ starts_at: '2026-11-26T09:00', ends_at: '2026-11-26T17:00' });
    expect(wallClockRange('2026-11-30', '22:00', '06:00')).toEqual({ starts_at: '2026-11-30T22:00', ends_at: '2026-12-01T06:00' });
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('the calendar day of an instant depends on the zone', () => {
    const t = '2026-11-26T03:30:00Z';
    expect(dayIn(t, 'UTC')).toBe('2026-11-26');
    expect(dayIn(t, 'America/Chicago')).toBe('2026-11-25');
    expect(dayLabel('2026-11-26', 'en')).toBe('Thursday, November 26');
    expect(dayLabel('2026-11-26', 'es')).toBe('jueves, 26 de noviembre');
  });

  it('a range in the viewer’s zone, with the end’s day when it differs', () => {
    expect(norm(rangeIn('2026-11-26T15:00:00Z', '2026-11-26T23:00:00Z', 'America/Chicago', 'en'))).toBe('9:00 AM – 5:00 PM');
    expect(norm(rangeIn('2026-11-26T15:00:00Z', '2026-11-26T23:00:00Z', 'Europe/London', 'en-GB'))).toBe('15:00 – 23:00');
    expect(norm(rangeIn('2026-11-27T03:00:00Z', '2026-11-27T11:00:00Z', 'America/Chicago', 'en'))).toBe('9:00 PM – Fri 5:00 AM');
    expect(zoneShort('America/Chicago', '2026-11-26T15:00:00Z')).toBe('CST');
    expect(isZone('America/Chicago')).toBe(true);
    expect(isZone('Mars/Olympus')).toBe(false);
  });

  it('groups by day in the zone, in time order', () => {
    const items = [{ at: '2026-11-27T15:00:00Z' }, { at: '2026-11-26T23:30:00Z' }, { at: '2026-11-26T15:00:00Z' }];
    expect(groupByDay(items, (x) => x.at, 'America/Chicago').map((g) => [g.day, g.items.length])).toEqual([
      ['2026-11-26', 2],
      ['2026-11-27', 1],
    ]);
    expect(groupByDay(items, (x) => x.at, 'Asia/Tokyo').map((g) => [g.day, g.items.length])).toEqual([
      ['2026-11-27', 2],
      ['2026-11-28', 1],
    ]);
  });

  it('dates follow the browser’s variant of the page language (24-hour times on en-GB)', () => {
    expect(timeLocale('en', ['en-GB', 'en'])).toBe('en-GB');
    expect(timeLocale('es', ['en-GB'])).toBe('es');
    expect(timeLocale('es', ['es-MX'])).toBe('es-MX');
    expect(timeLocale('en', [])).toBe('en');
  });
});
