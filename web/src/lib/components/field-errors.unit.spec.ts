import { describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api';
import { fieldErrors } from './field-errors';

describe('fieldErrors', () => {
  it('keys each message by the last segment of the field the server named', () => {
    const error = new ApiError(400, 'validation_failed', 'invalid', [
      { field: 'body.email', message: 'Invalid email address' },
      { field: 'body.org.name', message: 'Too small' },
      { field: 'password', message: 'must be at least 8 characters' },
    ]);
    expect(fieldErrors(error)).toEqual({
      email: 'Invalid email address',
      name: 'Too small',
      password: 'must be at least 8 characters',
    });
  });

  it('has nothing for an error that is not a problem from the API', () => {
    expect(fieldErrors(new Error('boom'))).toEqual({});
    expect(fieldErrors('boom')).toEqual({});
    expect(fieldErrors(new ApiError(409, 'conflict', 'taken'))).toEqual({});
  });
});
