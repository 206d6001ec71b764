// How to reach a provider found by the public finder: what a member needs to act on a result
// (who runs it, a number to call, an email, a website, where to go), read from the service's
// open HSDS 3.1 record (GET /hsds/services/{id}). The finder's answer stays small and fast;
// these are fetched only for the result a person opens. Pure and unit-tested.

export interface ContactPhone {
  number: string;
  /** `tel:` with the digits and a leading +, or null when the number has none to dial. */
  href: string | null;
  /** HSDS phone type: voice, text, fax, cell, video, pager, textphone. */
  type: string;
  description: string;
}

export interface Contact {
  organization: string;
  phones: ContactPhone[];
  email: string;
  website: string;
  /** One line per physical address where the service is offered, in the record's order. */
  addresses: string[];
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map(obj).filter((o): o is Obj => o !== null) : [];
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** `tel:` for a number as written ("+1-523-555-0173", "(523) 555 0173 ext. 4"); null when no digits. */
export function telHref(number: string): string | null {
  const main = number.split(/\s*(?:ext\.?|x|#)\s*\d+\s*$/i)[0] ?? number;
  const digits = main.replace(/[^\d]/g, '');
  if (!digits) return null;
  return `tel:${main.trim().startsWith('+') ? '+' : ''}${digits}`;
}

/** A web address safe to link to: http(s) only, so a record cannot carry a `javascript:` link. */
export function safeWebsite(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : '';
  } catch {
    return '';
  }
}

/** "34 Demo Street, Los Angeles, CA 90012, US": the parts present, in postal order. */
export function addressLine(a: Obj): string {
  const region = [text(a.state_province), text(a.postal_code)].filter(Boolean).join(' ');
  return [text(a.address_1), text(a.address_2), text(a.city), region, text(a.country)].filter(Boolean).join(', ');
}

/**
 * The contact details in an HSDS service record. The service's own phones come first, then its
 * locations', then the organization's; each number once. The email and website are the service's
 * when it has them, else the organization's. Addresses are the physical (or untyped) ones of the
 * locations where the service is offered, each once. Fields that are missing are empty.
 */
export function contactOf(service: unknown): Contact {
  const s = obj(service) ?? {};
  const org = obj(s.organization) ?? {};
  const locations = list(s.service_at_locations)
    .map((sal) => obj(sal.location))
    .filter((l): l is Obj => l !== null);

  const phones: ContactPhone[] = [];
  const seen = new Set<string>();
  for (const p of [...list(s.phones), ...locations.flatMap((l) => list(l.phones)), ...list(org.phones)]) {
    const number = text(p.number);
    if (!number || seen.has(number)) continue;
    seen.add(number);
    phones.push({ number, href: telHref(number), type: text(p.type) || 'voice', description: text(p.description) });
  }

  const addresses: string[] = [];
  for (const l of locations) {
    for (const a of list(l.addresses)) {
      const type = text(a.address_type);
      if (type && type !== 'physical') continue;
      const line = addressLine(a);
      if (line && !addresses.includes(line)) addresses.push(line);
    }
  }

  return {
    organization: text(org.name),
    phones,
    email: text(s.email) || text(org.email),
    website: safeWebsite(text(s.url)) || safeWebsite(text(org.website)),
    addresses,
  };
}

/** Whether there is anything to show. */
export function hasContact(c: Contact): boolean {
  return c.phones.length > 0 || c.email !== '' || c.website !== '' || c.addresses.length > 0;
}
