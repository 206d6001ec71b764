import { describe, expect, it } from 'vitest';
import { addressLine, contactOf, hasContact, safeWebsite, telHref } from './contact';

// Fictional records in the shape GET /hsds/services/{id} sends (the 555-01xx range is reserved
// for fiction; example.org is reserved for examples).
const location = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Fictional clinic ${id}`,
  addresses: [
    { id: `${id}-a`, address_1: '34 Demo Street', city: 'Springfield', state_province: 'CA', postal_code: '90000', country: 'US', address_type: 'physical' },
    { id: `${id}-p`, address_1: 'PO Box 1', city: 'Springfield', country: 'US', address_type: 'postal' },
  ],
  ...extra,
});

const service = {
  id: 'svc-1',
  name: 'Individual therapy (fictional)',
  email: 'intake@example.org',
  phones: [{ id: 'p1', number: '+1-523-555-0173', type: 'voice', description: 'Intake line' }],
  organization: {
    id: 'org-1',
    name: 'Fictional Counselling',
    email: 'practice@example.org',
    website: 'https://example.org/practice',
    phones: [{ id: 'p3', number: '+1-523-555-0199', type: 'text' }],
  },
  service_at_locations: [
    { id: 'sal-1', location: location('loc-1', { phones: [{ id: 'p2', number: '+1-523-555-0173' }, { id: 'p4', number: '(523) 555 0111 ext. 4', type: 'voice' }] }) },
    { id: 'sal-2', location: location('loc-2') },
  ],
};

describe('contactOf', () => {
  it('gathers who runs the service, its numbers, email, website and where to go', () => {
    const c = contactOf(service);
    expect(c.organization).toBe('Fictional Counselling');
    // The service's number first, the location's next (the repeated one once), the organization's last.
    expect(c.phones.map((p) => p.number)).toEqual(['+1-523-555-0173', '(523) 555 0111 ext. 4', '+1-523-555-0199']);
    expect(c.phones.map((p) => p.href)).toEqual(['tel:+15235550173', 'tel:5235550111', 'tel:+15235550199']);
    expect(c.phones[0]).toMatchObject({ type: 'voice', description: 'Intake line' });
    expect(c.phones[1]).toMatchObject({ type: 'voice', description: '' });
    expect(c.phones[2]?.type).toBe('text');
    expect(c.email).toBe('intake@example.org');
    expect(c.website).toBe('https://example.org/practice');
    // Physical addresses only, and the same address at two locations once.
    expect(c.addresses).toEqual(['34 Demo Street, Springfield, CA 90000, US']);
    expect(hasContact(c)).toBe(true);
  });

  it("falls back to the organization's email, and takes the service's own website first", () => {
    const c = contactOf({ ...service, email: '', url: 'https://example.org/service' });
    expect(c.email).toBe('practice@example.org');
    expect(c.website).toBe('https://example.org/service');
  });

  it('gives empty fields, not errors, for a sparse or malformed record', () => {
    for (const record of [null, undefined, 'text', [], {}, { organization: 'x', phones: 'y', service_at_locations: [null, 3, { location: [] }] }]) {
      const c = contactOf(record);
      expect(c).toEqual({ organization: '', phones: [], email: '', website: '', addresses: [] });
      expect(hasContact(c)).toBe(false);
    }
  });

  it('keeps an untyped phone as voice and skips numbers that are blank', () => {
    const c = contactOf({ phones: [{ number: '  ' }, { number: '555-0100' }] });
    expect(c.phones).toEqual([{ number: '555-0100', href: 'tel:5550100', type: 'voice', description: '' }]);
  });
});

describe('telHref', () => {
  it('dials the digits, with the + when the number has one', () => {
    expect(telHref('+44 20 7946 0000')).toBe('tel:+442079460000');
    expect(telHref('(523) 555-0173')).toBe('tel:5235550173');
    expect(telHref('523-555-0173 x12')).toBe('tel:5235550173');
    expect(telHref('none')).toBeNull();
  });
});

describe('safeWebsite', () => {
  it('links http and https only', () => {
    expect(safeWebsite('https://example.org/a')).toBe('https://example.org/a');
    expect(safeWebsite('http://example.org')).toBe('http://example.org/');
    expect(safeWebsite('javascript:alert(1)')).toBe('');
    expect(safeWebsite('data:text/html,hi')).toBe('');
    expect(safeWebsite('example.org')).toBe('');
    expect(safeWebsite('')).toBe('');
  });
});

describe('addressLine', () => {
  it('joins the parts present in postal order', () => {
    expect(addressLine({ address_1: '1 Main St', address_2: 'Suite 2', city: 'Town', state_province: 'TN', postal_code: '37000', country: 'US' })).toBe(
      '1 Main St, Suite 2, Town, TN 37000, US',
    );
    expect(addressLine({ city: 'Town', postal_code: '37000' })).toBe('Town, 37000');
    expect(addressLine({})).toBe('');
  });
});
