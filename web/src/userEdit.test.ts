import { describe, expect, it } from 'vitest';
import { buildPatch, describeChanges } from './userEdit';

const base = { name: 'Ana', role: 'case_manager', disabled: false };

describe('buildPatch', () => {
  it('sends only what changed (JSON merge patch)', () => {
    expect(buildPatch(base, base)).toEqual({});
    expect(buildPatch(base, { ...base, name: '  Ana B ' })).toEqual({ name: 'Ana B' });
    expect(buildPatch(base, { ...base, role: 'supervisor', disabled: true })).toEqual({ role: 'supervisor', disabled: true });
  });
});

describe('describeChanges', () => {
  it('describes changes readably', () => {
    expect(describeChanges(base, { name: 'Ana', role: 'supervisor', disabled: true })).toEqual([
      { field: 'role', label: 'Role', from: 'Case manager', to: 'Supervisor' },
      { field: 'disabled', label: 'Status', from: 'Active', to: 'Disabled' },
    ]);
    expect(describeChanges(base, { name: 'Bo' })).toEqual([{ field: 'name', label: 'Name', from: 'Ana', to: 'Bo' }]);
  });
});
