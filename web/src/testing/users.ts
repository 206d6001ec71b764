// The signed-in staff member of the page tests: Casey, a case manager with TOTP enrolled.
import type { User } from '../api';

export const staffUser = (over: Partial<User> = {}): User => ({
  id: 'me',
  email: 'cm@example.com',
  name: 'Casey',
  role: 'case_manager',
  disabled: false,
  totp_enrolled: true,
  totp_required: true,
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
  ...over,
});
