import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../api';
import { toProblem } from '../problem';
import { scoreScreening, submitIntake } from './api';
import { completeDraft } from './fixtures';
import { buildPayload } from './payload';

const US = { country: 'US', known: true, language: 'en', emergency: '911', lines: [{ name: '988 Suicide & Crisis Lifeline', how: 'Call or text 988.', phone: '988' }] };

afterEach(() => vi.restoreAllMocks());

describe('scoreScreening', () => {
  it('posts the instrument, answers and options, and keeps what gates the next page', async () => {
    const spy = vi.spyOn(api, 'request').mockResolvedValue({ instrument: 'phq2', score: 3, risk: 'none', next_instrument: 'phq9' });
    const s = await scoreScreening('phq2', [2, 1], { country: 'US', lang: 'es', fallbackCrisis: null });
    expect(spy).toHaveBeenCalledWith('/api/v1/screenings/score', expect.objectContaining({
      method: 'POST',
      body: { instrument: 'phq2', answers: [2, 1], options: { country: 'US', language: 'es' } },
    }));
    expect(s).toEqual({ answers: [2, 1], next: 'phq9', risk: 'none', crisis: null });
  });

  it('a risk answer keeps the crisis lines from the response', async () => {
    vi.spyOn(api, 'request').mockResolvedValue({ instrument: 'phq9', score: 4, risk: 'low', next_instrument: 'cssrs', crisis: { resources: US } });
    const s = await scoreScreening('phq9', [1, 1, 0, 0, 0, 0, 0, 0, 1], { country: 'US', lang: 'en', fallbackCrisis: null });
    expect(s.risk).toBe('low');
    expect(s.crisis?.emergency).toBe('911');
  });

  it('unreachable server: scored on the device, item 9 still shows help (with the footer\'s lines)', async () => {
    vi.spyOn(api, 'request').mockRejectedValue(new ApiError(toProblem(null, 0)));
    const s = await scoreScreening('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 2], { country: 'US', lang: 'en', fallbackCrisis: US });
    expect(s).toMatchObject({ risk: 'low', offline: true });
    expect(s.crisis?.lines[0]?.phone).toBe('988');
    const p2 = await scoreScreening('phq2', [2, 2], { country: 'US', lang: 'en', fallbackCrisis: US });
    expect(p2).toMatchObject({ next: 'phq9', risk: 'none', crisis: null, offline: true });
  });

  it('a 400 problem is thrown (and keeps its crisis lines)', async () => {
    vi.spyOn(api, 'request').mockRejectedValue(new ApiError(toProblem({ status: 400, errors: [], crisis: { resources: US } }, 400)));
    const err = await scoreScreening('phq9', [1], { country: 'US', lang: 'en', fallbackCrisis: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).problem.crisis).toEqual({ resources: US });
  });
});

describe('submitIntake', () => {
  it('sends the Idempotency-Key from the draft, the same on every retry', async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ reference: 'SC-AAAA-BBBB', status: 'received' }), { status: 201 }));
    vi.spyOn(globalThis, 'fetch').mockImplementation(fetchImpl as unknown as typeof fetch);
    const d = completeDraft();
    const body = buildPayload(d, 'en');
    await submitIntake(body, d.key, 'en');
    await submitIntake(body, d.key, 'en');
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    for (const [url, init] of fetchImpl.mock.calls as unknown as Array<[string, RequestInit]>) {
      expect(url).toBe('/api/v1/intakes');
      expect(init.method).toBe('POST');
      const h = init.headers as Record<string, string>;
      expect(h['Idempotency-Key']).toBe(d.key);
      expect(h['X-CSRF-Token']).toBeUndefined();
      expect(JSON.parse(init.body as string)).toEqual(body);
    }
  });
});
