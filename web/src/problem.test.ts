import { describe, expect, it } from 'vitest';
import { isProblemType, mapFieldErrors, messageFor, parsePointer, pointerToKey, problemMessage, toProblem } from './problem';

describe('JSON Pointer', () => {
  it('decodes tokens and escapes', () => {
    expect(parsePointer('/email')).toEqual(['email']);
    expect(parsePointer('/person/email')).toEqual(['person', 'email']);
    expect(parsePointer('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('/')).toEqual([]);
    expect(parsePointer('#/name')).toEqual(['name']);
    expect(parsePointer('email')).toEqual(['email']);
  });
  it('joins tokens into a form key', () => {
    expect(pointerToKey('/new_password')).toBe('new_password');
    expect(pointerToKey('/person/email')).toBe('person.email');
    expect(pointerToKey('/items/0/name')).toBe('items.0.name');
  });
});

describe('mapFieldErrors', () => {
  const problem = {
    errors: [
      { field: '/email', code: 'invalid_format', message: 'Enter an email address like name@example.com' },
      { field: '/new_password', code: 'too_short', message: '' },
      { field: '/new_password', code: 'common_password', message: 'Too common' },
      { field: '/unknown', code: 'unknown_field', message: 'Not accepted' },
      { field: '', code: 'x', message: 'Whole body is wrong' },
    ],
  };

  it('puts errors next to the matching fields and the rest in general', () => {
    const m = mapFieldErrors(problem, ['email', 'new_password']);
    expect(m.fields).toEqual({
      email: ['Enter an email address like name@example.com'],
      new_password: ['This is too short', 'Too common'],
    });
    expect(m.general).toEqual(['Not accepted', 'Whole body is wrong']);
  });

  it('uses aliases for pointers that name a differently keyed input', () => {
    const m = mapFieldErrors({ errors: [{ field: '/password', code: 'too_short', message: 'Short' }] }, ['new_password'], {
      password: 'new_password',
    });
    expect(m.fields).toEqual({ new_password: ['Short'] });
    expect(m.general).toEqual([]);
  });

  it('copes with no errors and with junk', () => {
    expect(mapFieldErrors(null, ['a'])).toEqual({ fields: {}, general: [] });
    expect(mapFieldErrors({}, ['a'])).toEqual({ fields: {}, general: [] });
    const junk = { errors: [null, 3, { field: 7, code: null }] } as unknown as Parameters<typeof mapFieldErrors>[0];
    expect(mapFieldErrors(junk, ['a']).general).toEqual(['This is not valid']);
  });

  it('falls back to a message per code', () => {
    expect(messageFor({ code: 'required', message: '' })).toBe('This field is required');
    expect(messageFor({ code: 'nope', message: ' ' })).toBe('This is not valid');
    expect(messageFor({ code: 'required', message: 'Enter a name' })).toBe('Enter a name');
  });
});

describe('problem types and messages', () => {
  it('matches the last segment of a type URI', () => {
    const p = { type: 'https://soundcheck.example/problems/totp-required' };
    expect(isProblemType(p, 'totp-required')).toBe(true);
    expect(isProblemType(p, 'required')).toBe(false);
    expect(isProblemType({ type: '/problems/totp-invalid/' }, 'totp-invalid')).toBe(true);
    expect(isProblemType({ type: 'urn:x#invalid-credentials' }, 'invalid-credentials')).toBe(true);
    expect(isProblemType(null, 'x')).toBe(false);
  });

  it('coerces bodies into problems', () => {
    expect(toProblem(null, 500)).toEqual({ type: 'about:blank', title: 'Server error', status: 500 });
    const p = toProblem(
      { type: 't', title: 'Bad', status: 422, detail: 'Check it', instance: 'req-1', errors: [{ field: '/a', code: 'c', message: 'm' }, 'x'] },
      400,
    );
    expect(p).toEqual({ type: 't', title: 'Bad', status: 422, detail: 'Check it', instance: 'req-1', errors: [{ field: '/a', code: 'c', message: 'm' }] });
  });

  it('also reads {pointer, detail} field errors', () => {
    const p = toProblem({ status: 422, errors: [{ pointer: '/name', detail: 'Enter a name' }] }, 422);
    expect(p.errors).toEqual([{ field: '/name', code: '', message: 'Enter a name' }]);
    expect(mapFieldErrors(p, ['name']).fields).toEqual({ name: ['Enter a name'] });
  });

  it('shows detail, or a plain fallback by status', () => {
    expect(problemMessage({ type: 'x', title: 't', status: 409, detail: 'That email is taken' })).toBe('That email is taken');
    expect(problemMessage({ type: 'x', title: 't', status: 0 })).toMatch(/reach the server/);
    expect(problemMessage({ type: 'x', title: 't', status: 412 })).toMatch(/Someone else changed/);
    expect(problemMessage({ type: 'x', title: 't', status: 503 })).toMatch(/server/);
  });
});
