import { describe, expect, it } from 'vitest';
import { formErrors } from './form-errors.ts';

describe('formErrors', () => {
  it('maps field-level details onto known fields', () => {
    const error = {
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'Invalid request body: password: too short',
      details: [
        { field: 'password', message: 'password must be at least 8 characters' },
        { field: 'email', message: 'email must be an email address' },
      ],
    };
    expect(formErrors(error, ['email', 'password'])).toEqual({
      fields: { password: 'Password must be at least 8 characters', email: 'Email must be an email address' },
      summary: null,
    });
  });

  it('uses the message as a summary when no field matches', () => {
    const error = { status: 401, code: 'UNAUTHORIZED', message: 'Wrong email or password' };
    expect(formErrors(error, ['email', 'password'])).toEqual({ fields: {}, summary: 'Wrong email or password' });
  });

  it('keeps details for unknown fields in the summary', () => {
    const error = { code: 'VALIDATION_ERROR', message: 'x', details: [{ field: 'email', message: 'bad' }, { field: null, message: 'other' }] };
    expect(formErrors(error, ['email'])).toEqual({ fields: { email: 'Bad' }, summary: 'Other' });
  });

  it('explains a network failure as being offline', () => {
    expect(formErrors(new TypeError('Failed to fetch'), []).summary).toMatch(/offline/);
  });

  it('treats a malformed error or malformed details as unknown, never as field errors', () => {
    const generic = { fields: {}, summary: 'Something went wrong. Please try again.' };
    expect(formErrors(null, ['email'])).toEqual(generic);
    expect(formErrors('boom', ['email'])).toEqual(generic);
    expect(formErrors({ status: '400', message: 'x' }, ['email'])).toEqual(generic);
    expect(formErrors({ code: 7, message: 'x' }, ['email'])).toEqual(generic);
    // One bad entry makes the whole list unusable: the message stands alone.
    const mixed = { code: 'VALIDATION_ERROR', message: 'Invalid', details: [{ field: 'email', message: 'bad' }, { field: 3, message: 'odd' }] };
    expect(formErrors(mixed, ['email'])).toEqual({ fields: {}, summary: 'Invalid' });
    expect(formErrors({ message: 'Invalid', details: { field: 'email', message: 'bad' } }, ['email'])).toEqual({ fields: {}, summary: 'Invalid' });
  });
});
