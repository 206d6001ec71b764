// A case's match query as the server echoes it (docs/matching.md): a member in US-NY asking for
// individual therapy with a demo plan. Tests change what they are about with `over`.
import type { MatchQuery } from '../matching';

export const echoedQuery = (over: Partial<MatchQuery> = {}): MatchQuery => ({
  care_types: ['care_type:individual-therapy'],
  location: { jurisdiction: 'US-NY' },
  first_session: '2026-11-27',
  sessions: 1,
  itinerary: [],
  mode: 'either',
  max_km: 40,
  languages: ['en'],
  age: '',
  format: '',
  require_opening: true,
  insurance: { carrier: 'sustain health (demo)', plan: 'silver ppo', plan_type: 'employer', network: 'unknown', copay_before_deductible: true },
  sliding_scale: false,
  aid_per_session_cents: 0,
  prefer: { tags: [], music_industry: true, gender: '' },
  weights: { tag: 100, music_industry: 80, gender: 60, earliest_opening: 50, distance: 50, cost: 60, coverage: 120 },
  limit: 20,
  ...over,
});
