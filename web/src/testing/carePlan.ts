// A saved care plan's provider item (weekly therapy by telehealth, in network), as the server
// answers it; tests change what they are about with `over`.
import type { PlanItem } from '../carePlan';

export const therapyItem = (over: Partial<PlanItem> = {}): PlanItem => ({
  id: 'i1',
  kind: 'provider',
  status: 'proposed',
  title: 'Weekly therapy by telehealth',
  service_id: '0195b000-0000-7000-8000-000000000001',
  goal_id: 'g-sleep',
  starts_on: '2026-12-01',
  sessions: 8,
  cost: { low_cents: 3000, high_cents: 3000, basis: 'in_network', per: 'session' },
  fund_reference: '',
  notes: 'Call the practice on Monday',
  for_member: 'Your first session is on 1 December.',
  ...over,
});
