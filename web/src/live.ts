// Live updates for the staff console: one EventSource on GET /api/v1/stream (Server-Sent
// Events), typed events, and reconnection. The browser reconnects a dropped stream by itself
// (sending Last-Event-ID, so nothing is lost); when it gives up (the server answered an error,
// e.g. the session ended) we open a new one after a back-off, asking for what came after the
// last event we saw (?after=). Events carry ids and flags only: pages fetch details from the API.
import { useEffect, useRef, useState } from 'preact/hooks';

export interface LiveEventData {
  'case.created': { urgent: boolean; reference: string };
  'case.updated': { status: string; urgent: boolean; assigned_to: string | null };
  'alert.raised': { alert_id: string; case_id: string; reference: string; deadline_at: string };
  'alert.acknowledged': { alert_id: string; case_id: string; by: string };
  'alert.escalated': { alert_id: string; case_id: string; reference: string };
  'support.requested': { request_id: string; status: 'waiting' | 'booked'; slot_start: string | null };
  'support.claimed': { request_id: string; by: string };
  'support.closed': { request_id: string; outcome: string };
  'duty.changed': { user_id: string; on_duty: boolean; on_duty_count: number };
  'task.due': { task_id: string; case_id: string; reference: string; due_at: string; overdue: boolean };
}
export type LiveEventType = keyof LiveEventData;
export const LIVE_EVENT_TYPES = [
  'case.created',
  'case.updated',
  'alert.raised',
  'alert.acknowledged',
  'alert.escalated',
  'support.requested',
  'support.claimed',
  'support.closed',
  'duty.changed',
  'task.due',
] as const satisfies readonly LiveEventType[];

export interface LiveEvent<K extends LiveEventType = LiveEventType> {
  seq: number;
  type: K;
  at: string;
  subject: { type: string; id: string };
  data: LiveEventData[K];
}
export type AnyLiveEvent = { [K in LiveEventType]: LiveEvent<K> }[LiveEventType];

/** connecting: not (yet) receiving; open: receiving; down: waiting to try again. */
export type LiveStatus = 'idle' | 'connecting' | 'open' | 'down';

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Parses one event's data line; null when it is not a well-formed event of a known type. */
export function parseLiveEvent(type: string, raw: string): AnyLiveEvent | null {
  if (!(LIVE_EVENT_TYPES as readonly string[]).includes(type)) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObj(v) || !isObj(v.data)) return null;
  const seq = typeof v.seq === 'number' ? v.seq : Number(v.seq);
  const subject = isObj(v.subject) ? { type: String(v.subject.type ?? ''), id: String(v.subject.id ?? '') } : { type: '', id: '' };
  return { seq: Number.isFinite(seq) ? seq : 0, type, at: typeof v.at === 'string' ? v.at : '', subject, data: v.data } as AnyLiveEvent;
}

export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((this: EventSource, ev: Event) => unknown) | null;
  onerror: ((this: EventSource, ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void;
  close(): void;
}
type Factory = (url: string) => EventSourceLike;
type Timers = { set: (fn: () => void, ms: number) => unknown; clear: (h: unknown) => void };

const CLOSED = 2;
export const BACKOFF_MS = [3_000, 6_000, 15_000, 30_000];

export class LiveClient {
  private es: EventSourceLike | null = null;
  private lastSeq = 0;
  private attempts = 0;
  private retryTimer: unknown = null;
  private started = false;
  private readonly listeners = new Map<string, Set<(e: AnyLiveEvent) => void>>();
  private readonly statusListeners = new Set<(s: LiveStatus, resync: boolean) => void>();
  status: LiveStatus = 'idle';
  /** Called when the stream fails for good (e.g. to check whether the session is over). */
  onDown: (() => void) | null = null;

  constructor(
    private readonly url = '/api/v1/stream',
    private readonly factory: Factory = (u) => new EventSource(u, { withCredentials: true }) as unknown as EventSourceLike,
    private readonly timers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.connect();
  }

  stop(): void {
    this.started = false;
    if (this.retryTimer !== null) this.timers.clear(this.retryTimer);
    this.retryTimer = null;
    this.es?.close();
    this.es = null;
    this.lastSeq = 0;
    this.attempts = 0;
    this.setStatus('idle', false);
  }

  /** Listens to one type of event; returns the unsubscribe function. */
  on<K extends LiveEventType>(type: K, fn: (e: LiveEvent<K>) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    const f = fn as unknown as (e: AnyLiveEvent) => void;
    set.add(f);
    return () => set!.delete(f);
  }

  /**
   * Listens to the connection. `resync` is true when a new stream opened that may have missed
   * events (the first one, or one opened after a failure): lists should be loaded again.
   */
  onStatus(fn: (s: LiveStatus, resync: boolean) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  /** For tests and the dev console: deliver an event as if it came from the server. */
  dispatch(e: AnyLiveEvent): void {
    if (e.seq && e.seq <= this.lastSeq) return; // seen already (a replay after reconnecting)
    if (e.seq) this.lastSeq = e.seq;
    for (const fn of [...(this.listeners.get(e.type) ?? [])]) {
      try {
        fn(e);
      } catch {
        // one listener's bug must not stop the others
      }
    }
  }

  private setStatus(s: LiveStatus, resync: boolean): void {
    if (s === this.status && !resync) return;
    this.status = s;
    for (const fn of [...this.statusListeners]) fn(s, resync);
  }

  private connect(): void {
    this.retryTimer = null;
    if (!this.started) return;
    const url = this.lastSeq > 0 ? `${this.url}?after=${this.lastSeq}` : this.url;
    let es: EventSourceLike;
    try {
      es = this.factory(url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.es = es;
    this.setStatus('connecting', false);
    let fresh = true;
    es.onopen = () => {
      if (this.es !== es) return;
      this.attempts = 0;
      // A new EventSource may have missed events before it opened; the browser's own
      // reconnects of the same one send Last-Event-ID and miss nothing.
      this.setStatus('open', fresh);
      fresh = false;
    };
    es.onerror = () => {
      if (this.es !== es) return;
      if (es.readyState === CLOSED) {
        es.close();
        this.es = null;
        this.setStatus('down', false);
        this.onDown?.();
        this.scheduleRetry();
      } else {
        this.setStatus('connecting', false); // the browser is reconnecting by itself
      }
    };
    for (const type of LIVE_EVENT_TYPES) {
      es.addEventListener(type, (ev: MessageEvent) => {
        if (this.es !== es) return;
        const e = parseLiveEvent(type, String(ev.data));
        if (e) this.dispatch(e);
      });
    }
  }

  private scheduleRetry(): void {
    if (!this.started || this.retryTimer !== null) return;
    const ms = BACKOFF_MS[Math.min(this.attempts, BACKOFF_MS.length - 1)]!;
    this.attempts++;
    this.retryTimer = this.timers.set(() => this.connect(), ms);
  }
}

/** The console's one connection (started by the app for case managers and supervisors). */
export const live = new LiveClient();

/** Calls `fn` for each event of these types (the latest `fn`, without resubscribing). */
export function useLiveEvents(types: readonly LiveEventType[], fn: (e: AnyLiveEvent) => void, client: LiveClient = live): void {
  const ref = useRef(fn);
  ref.current = fn;
  const key = types.join(',');
  useEffect(() => {
    const offs = types.map((t) => client.on(t, (e) => ref.current(e as AnyLiveEvent)));
    return () => offs.forEach((off) => off());
  }, [key, client]);
}

/** The connection's state; `onResync` runs when lists should be loaded again. */
export function useLiveStatus(onResync?: () => void, client: LiveClient = live): LiveStatus {
  const [s, setS] = useState<LiveStatus>(client.status);
  const ref = useRef(onResync);
  ref.current = onResync;
  useEffect(() => {
    setS(client.status);
    return client.onStatus((st, resync) => {
      setS(st);
      if (resync) ref.current?.();
    });
  }, [client]);
  return s;
}
