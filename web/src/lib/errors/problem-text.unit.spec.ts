import { describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api';
import { problemLine, problemText } from './problem-text';

const invalid = new ApiError(
  400,
  'validation_failed',
  'body.orgName: Too small: expected string to have >=1 characters; body.email: Invalid email address',
  [
    { field: 'body.orgName', message: 'Too small: expected string to have >=1 characters' },
    { field: 'body.email', message: 'Invalid email address' },
  ],
  'A field is invalid',
);

describe('a problem as people read it', () => {
  it('says each refused field once, by its label, with no validator wording or body paths', () => {
    const text = problemText(invalid, { labels: { orgName: 'Organisation name' } });
    expect(text).toEqual({
      title: 'A field is invalid',
      sentences: ['Organisation name is required.', 'Email must be an email address.'],
    });
    const line = problemLine(invalid);
    expect(line).not.toMatch(/body\.|Too small|>=/);
    expect(line.match(/must be an email address/g)).toHaveLength(1);
  });

  it('leaves out a detail that only repeats the catalogue title', () => {
    const gone = new ApiError(404, 'not_found', 'not found', [], 'Not found');
    expect(problemText(gone)).toEqual({ title: 'Not found', sentences: [] });
    const other = new ApiError(409, 'conflict', 'an MCP server named git already exists', [], 'Conflict');
    expect(problemLine(other)).toBe('Conflict. An MCP server named git already exists.');
  });

  it('says what a failure to reach the server means, and reads plain errors', () => {
    expect(problemLine(new ApiError(0, 'network', 'the server cannot be reached'))).toMatch(
      /^The server cannot be reached\. Check that it is running/,
    );
    expect(problemLine(new Error('boom'))).toBe('Boom.');
  });
});
