// Pure helpers for editing a user with optimistic concurrency (If-Match + version).
import { roleLabel, type User } from './api';

export interface EditableUser {
  name: string;
  role: string;
  disabled: boolean;
}

export type UserPatch = Partial<EditableUser>;

export function editable(u: User): EditableUser {
  return { name: u.name, role: u.role, disabled: !!u.disabled };
}

/** A JSON merge patch with only the fields that differ from `base`. */
export function buildPatch(base: EditableUser, form: EditableUser): UserPatch {
  const patch: UserPatch = {};
  if (form.name.trim() !== base.name) patch.name = form.name.trim();
  if (form.role !== base.role) patch.role = form.role;
  if (form.disabled !== base.disabled) patch.disabled = form.disabled;
  return patch;
}

export interface Change {
  field: keyof EditableUser;
  label: string;
  from: string;
  to: string;
}

const LABELS: Record<keyof EditableUser, string> = { name: 'Name', role: 'Role', disabled: 'Status' };

function show(field: keyof EditableUser, v: EditableUser[keyof EditableUser]): string {
  if (field === 'role') return roleLabel(String(v));
  if (field === 'disabled') return v ? 'Disabled' : 'Active';
  return String(v);
}

/** What changed between two versions of the editable fields, in a readable form. */
export function describeChanges(before: EditableUser, after: EditableUser | UserPatch): Change[] {
  const out: Change[] = [];
  for (const f of ['name', 'role', 'disabled'] as const) {
    if (!(f in after)) continue;
    const a = (after as EditableUser)[f];
    if (a !== before[f]) out.push({ field: f, label: LABELS[f], from: show(f, before[f]), to: show(f, a) });
  }
  return out;
}
