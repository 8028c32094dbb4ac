import { describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api';
import { fieldErrors, unplacedFieldErrors } from './field-errors';

describe('fieldErrors', () => {
  it('keys each message by the last segment of the field the server named', () => {
    const error = new ApiError(400, 'validation_failed', 'invalid', [
      { field: 'body.email', message: 'Invalid email address' },
      { field: 'body.org.name', message: 'Too small: expected string to have >=1 characters' },
      { field: 'password', message: 'must be at least 8 characters' },
    ]);
    expect(fieldErrors(error)).toEqual({
      email: 'must be an email address',
      name: 'is required',
      password: 'must be at least 8 characters',
    });
  });

  it('has nothing for an error that is not a problem from the API', () => {
    expect(fieldErrors(new Error('boom'))).toEqual({});
    expect(fieldErrors('boom')).toEqual({});
    expect(fieldErrors(new ApiError(409, 'conflict', 'taken'))).toEqual({});
  });

  it('keys fields under a prefix by their first segment below it, joining what one field gets', () => {
    const error = new ApiError(400, 'skill_input_invalid', 'invalid', [
      { field: 'body.input.name', message: 'is required' },
      { field: 'body.input.lead.company', message: 'is required' },
      { field: 'body.input.lead.message', message: 'must NOT have more than 8000 characters' },
      { field: 'body.input', message: 'must be object' },
      { field: 'body.provider', message: 'must be one of demo, openai' },
    ]);
    expect(fieldErrors(error, { under: 'body.input' })).toEqual({
      name: 'is required',
      lead: 'company: is required; message: can be at most 8000 characters long',
    });
  });

  it('leaves for the page the errors of fields the form does not show', () => {
    const error = new ApiError(400, 'validation_failed', 'invalid', [
      { field: 'body.input.name', message: 'is required' },
      { field: 'body.input.lead.company', message: 'is required' },
      { field: 'body.input', message: 'must be object' },
      { field: 'body.provider', message: 'must be one of demo, openai' },
    ]);
    expect(unplacedFieldErrors(error, { under: 'body.input', placed: ['name', 'lead'] })).toEqual([
      { field: 'body.input', message: 'must be object' },
      { field: 'body.provider', message: 'must be one of demo, openai' },
    ]);
    expect(unplacedFieldErrors(error, { under: 'body.input', placed: [] })).toHaveLength(4);
    expect(unplacedFieldErrors(new Error('boom'), { under: 'body.input', placed: [] })).toEqual([]);
  });
});
