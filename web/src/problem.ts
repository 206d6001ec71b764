// RFC 9457 problem details as the Soundcheck API sends them, and the mapping from
// `errors[].field` (a JSON Pointer into the request body) to the fields of a form.

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
  /** Crisis resources a problem may carry (a risk answer gets help even when the request fails). */
  crisis?: unknown;
}

/** Messages shown when the server sends a code without a message. */
const CODE_MESSAGES: Record<string, string> = {
  required: 'This field is required',
  invalid_format: 'This is not in the right format',
  too_short: 'This is too short',
  too_long: 'This is too long',
  common_password: 'This password is too common. Choose a different one',
  breached_password: 'This password has appeared in a data breach. Choose a different one',
  wrong: 'This is not right',
  invalid: 'This is not valid',
  duplicate: 'This is already in use',
  unknown_field: 'This field is not accepted',
};

/** Decodes one JSON Pointer (RFC 6901) into its reference tokens. "" is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  const p = pointer.startsWith('#') ? decodeURIComponent(pointer.slice(1)) : pointer;
  if (!p.startsWith('/')) return [p]; // tolerate a bare name such as "email"
  return p
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The form-field key for a pointer: tokens joined with ".", e.g. "/person/email" → "person.email". */
export function pointerToKey(pointer: string): string {
  return parsePointer(pointer).join('.');
}

export function messageFor(e: Pick<FieldProblem, 'code' | 'message'>): string {
  if (e.message && e.message.trim() !== '') return e.message;
  return CODE_MESSAGES[e.code] ?? 'This is not valid';
}

export interface MappedErrors {
  /** Messages per form field key (only for keys the form has). */
  fields: Record<string, string[]>;
  /** Messages that belong to no field of the form: shown in the summary only. */
  general: string[];
}

/**
 * Splits a problem's `errors[]` into messages for the given form fields and general messages.
 * `aliases` maps a pointer key to a form field key when they differ (e.g. "password" → "new_password").
 */
export function mapFieldErrors(
  problem: Pick<Problem, 'errors'> | null | undefined,
  formFields: readonly string[],
  aliases: Record<string, string> = {},
): MappedErrors {
  const out: MappedErrors = { fields: {}, general: [] };
  if (!problem?.errors) return out;
  const known = new Set(formFields);
  for (const e of problem.errors) {
    if (!e || typeof e !== 'object') continue;
    const raw = pointerToKey(typeof e.field === 'string' ? e.field : '');
    const key = aliases[raw] ?? raw;
    const msg = messageFor({ code: String(e.code ?? ''), message: String(e.message ?? '') });
    if (key !== '' && known.has(key)) {
      (out.fields[key] ??= []).push(msg);
    } else {
      out.general.push(msg);
    }
  }
  return out;
}

/** True when `type` is the problem type with this last path segment (e.g. "totp-required"). */
export function isProblemType(problem: Pick<Problem, 'type'> | null | undefined, name: string): boolean {
  if (!problem || typeof problem.type !== 'string') return false;
  const t = problem.type.replace(/\/+$/, '');
  return t === name || t.endsWith('/' + name) || t.endsWith('#' + name);
}

/** Coerces whatever came back into a Problem, keeping only well-formed parts. */
export function toProblem(body: unknown, status: number, statusText = ''): Problem {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const errors = Array.isArray(b.errors)
    ? (b.errors as unknown[])
        .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
        // Our API sends {field, code, message}; {pointer, detail} (RFC 9457's own example) is read too.
        .map((e) => ({
          field: typeof e.field === 'string' ? e.field : typeof e.pointer === 'string' ? e.pointer : '',
          code: typeof e.code === 'string' ? e.code : '',
          message: typeof e.message === 'string' ? e.message : typeof e.detail === 'string' ? e.detail : '',
        }))
    : undefined;
  const p: Problem = {
    type: typeof b.type === 'string' ? b.type : 'about:blank',
    title: typeof b.title === 'string' ? b.title : statusText || defaultTitle(status),
    status: typeof b.status === 'number' ? b.status : status,
  };
  if (typeof b.detail === 'string') p.detail = b.detail;
  if (typeof b.instance === 'string') p.instance = b.instance;
  if (errors) p.errors = errors;
  if (b.crisis && typeof b.crisis === 'object') p.crisis = b.crisis;
  return p;
}

function defaultTitle(status: number): string {
  if (status === 0) return 'Network error';
  if (status >= 500) return 'Server error';
  return 'Request failed';
}

/** The sentence to show a person for a problem: `detail`, else a plain fallback. */
export function problemMessage(p: Problem): string {
  if (p.detail && p.detail.trim() !== '') return p.detail;
  switch (p.status) {
    case 0:
      return 'Could not reach the server. Check your connection and try again.';
    case 401:
      return 'You need to sign in.';
    case 403:
      return 'You do not have permission to do that.';
    case 404:
      return 'We could not find that.';
    case 409:
      return 'That conflicts with something that already exists.';
    case 412:
      return 'Someone else changed this while you were editing it.';
    case 422:
      return 'Check the highlighted fields.';
    case 429:
      return 'Too many attempts. Wait a while and try again.';
    default:
      if (p.status >= 500) return 'Something went wrong on the server. Try again in a moment.';
      return p.title || 'Something went wrong. Try again.';
  }
}
