import { describe, expect, it } from 'vitest';
import { BACKOFF_MS, LiveClient, parseLiveEvent, type EventSourceLike, type LiveStatus } from './live';

class FakeES implements EventSourceLike {
  readyState = 0;
  onopen: EventSourceLike['onopen'] = null;
  onerror: EventSourceLike['onerror'] = null;
  closed = false;
  private readonly handlers = new Map<string, Array<(ev: MessageEvent) => void>>();
  constructor(readonly url: string) {}
  addEventListener(type: string, fn: (ev: MessageEvent) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), fn]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.call(this as unknown as EventSource, new Event('open'));
  }
  fail(readyState: 0 | 2): void {
    this.readyState = readyState;
    this.onerror?.call(this as unknown as EventSource, new Event('error'));
  }
  send(type: string, data: unknown): void {
    for (const fn of this.handlers.get(type) ?? []) fn(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

function setup() {
  const made: FakeES[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const client = new LiveClient(
    '/api/v1/stream',
    (u) => {
      const es = new FakeES(u);
      made.push(es);
      return es;
    },
    { set: (fn, ms) => timers.push({ fn, ms }), clear: () => {} },
  );
  const statuses: Array<[LiveStatus, boolean]> = [];
  client.onStatus((s, r) => statuses.push([s, r]));
  return { client, made, timers, statuses };
}

const ev = (seq: number, type = 'case.created', data: unknown = { urgent: true, reference: 'SC-AAAA-BBBB' }) => ({
  seq,
  type,
  at: '2026-11-25T15:00:00Z',
  subject: { type: 'case', id: 'c1' },
  data,
});

describe('parseLiveEvent', () => {
  it('takes the documented shape of a known type, and nothing else', () => {
    expect(parseLiveEvent('case.created', JSON.stringify(ev(42)))).toEqual(ev(42));
    expect(parseLiveEvent('case.exploded', JSON.stringify(ev(1)))).toBeNull();
    expect(parseLiveEvent('case.created', '{not json')).toBeNull();
    expect(parseLiveEvent('case.created', JSON.stringify({ seq: 1, type: 'case.created' }))).toBeNull();
  });
});

describe('LiveClient', () => {
  it('opens one stream, says a new stream needs a resync, and delivers typed events to listeners of that type', () => {
    const { client, made, statuses } = setup();
    const got: string[] = [];
    client.on('case.created', (e) => got.push(e.data.reference));
    client.on('alert.raised', () => got.push('alert'));
    client.start();
    client.start(); // idempotent
    expect(made.length).toBe(1);
    expect(made[0]!.url).toBe('/api/v1/stream');
    made[0]!.open();
    expect(statuses).toEqual([
      ['connecting', false],
      ['open', true],
    ]);
    made[0]!.send('case.created', ev(1));
    made[0]!.send('case.created', ev(1)); // a replay: seen already
    made[0]!.send('case.updated', ev(2, 'case.updated', { status: 'contacted', urgent: false, assigned_to: null }));
    expect(got).toEqual(['SC-AAAA-BBBB']);
  });

  it('the browser’s own reconnect (Last-Event-ID) is not a resync; a stream that fails for good is reopened after a back-off, after the last event seen', () => {
    const { client, made, timers, statuses } = setup();
    let downs = 0;
    client.onDown = () => downs++;
    client.start();
    made[0]!.open();
    made[0]!.send('case.created', ev(7));
    made[0]!.fail(0); // CONNECTING: the browser retries by itself
    made[0]!.open();
    expect(statuses.slice(-2)).toEqual([
      ['connecting', false],
      ['open', false],
    ]);
    made[0]!.fail(2); // CLOSED: e.g. the server answered 401 or 503
    expect(made[0]!.closed).toBe(true);
    expect(client.status).toBe('down');
    expect(downs).toBe(1);
    expect(timers.map((t) => t.ms)).toEqual([BACKOFF_MS[0]]);
    timers[0]!.fn();
    expect(made[1]!.url).toBe('/api/v1/stream?after=7');
    made[1]!.fail(2);
    expect(timers.map((t) => t.ms)).toEqual([BACKOFF_MS[0], BACKOFF_MS[1]]);
    timers[1]!.fn();
    made[2]!.open();
    expect(statuses[statuses.length - 1]).toEqual(['open', true]);
  });

  it('stop closes the stream, forgets where it was and ignores late events', () => {
    const { client, made } = setup();
    const got: number[] = [];
    client.on('duty.changed', (e) => got.push(e.data.on_duty_count));
    client.start();
    made[0]!.open();
    client.stop();
    expect(made[0]!.closed).toBe(true);
    expect(client.status).toBe('idle');
    made[0]!.send('duty.changed', ev(3, 'duty.changed', { user_id: 'u', on_duty: true, on_duty_count: 2 }));
    expect(got).toEqual([]);
    client.start();
    expect(made[1]!.url).toBe('/api/v1/stream');
  });

  it('a listener that throws does not stop the others; unsubscribing works', () => {
    const { client } = setup();
    const got: string[] = [];
    client.on('support.requested', () => {
      throw new Error('bug');
    });
    const off = client.on('support.requested', (e) => got.push(e.data.request_id));
    client.dispatch(ev(1, 'support.requested', { request_id: 'r1', status: 'waiting', slot_start: null }) as never);
    off();
    client.dispatch(ev(2, 'support.requested', { request_id: 'r2', status: 'waiting', slot_start: null }) as never);
    expect(got).toEqual(['r1']);
  });
});
