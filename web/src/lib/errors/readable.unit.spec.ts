import { describe, expect, it } from 'vitest';
import { fieldLabel, readableMessage, sentence, withoutPaths } from './readable';

describe('validator messages for people', () => {
  it('rewrites the zod wording the server sends', () => {
    expect(readableMessage('Too small: expected string to have >=1 characters')).toBe('is required');
    expect(readableMessage('Too small: expected string to have >=8 characters')).toBe(
      'needs at least 8 characters',
    );
    expect(readableMessage('Too big: expected string to have <=200 characters')).toBe(
      'can be at most 200 characters long',
    );
    expect(readableMessage('Invalid email address')).toBe('must be an email address');
    expect(readableMessage('Invalid input: expected string, received undefined')).toBe('is required');
    expect(readableMessage('Invalid option: expected one of "member"|"admin"')).toBe(
      'must be one of member, admin',
    );
    expect(readableMessage('Too big: expected number to be <=5')).toBe('can be at most 5');
    expect(readableMessage('Invalid input: expected int, received number')).toBe('must be a whole number');
    expect(readableMessage('Unrecognized key: "zz"')).toBe('has fields this form does not send: zz');
  });

  it('keeps a message no rule knows, starting lower-case so it reads after the label', () => {
    expect(readableMessage('Agent names are lower-case identifiers')).toBe(
      'agent names are lower-case identifiers',
    );
    expect(readableMessage('must be at least 8 characters')).toBe('must be at least 8 characters');
  });
});

describe('field labels', () => {
  it('names a field by its path without the request part, in words', () => {
    expect(fieldLabel('body.orgName')).toBe('Org name');
    expect(fieldLabel('body.api_key')).toBe('Api key');
    expect(fieldLabel('query.limit')).toBe('Limit');
    expect(fieldLabel('body')).toBe('The request');
  });

  it('counts list items from one and prefers the labels the form shows', () => {
    expect(fieldLabel('body.cases.0.decisionFields.1')).toBe('Cases #1 › decision fields #2');
    expect(fieldLabel('body.orgName', { orgName: 'Organisation name' })).toBe('Organisation name');
  });

  it('replaces the paths a detail names and makes a sentence of it', () => {
    expect(withoutPaths('body.email: Invalid email address', { email: 'Work email' })).toBe(
      'Work email: Invalid email address',
    );
    expect(sentence('the key was removed')).toBe('The key was removed.');
    expect(sentence('Done!')).toBe('Done!');
  });
});
