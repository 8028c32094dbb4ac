import { CoreError } from '@proofpane/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError, apiError, errorCatalogue } from './errors.js';
import { PROBLEM_CONTENT_TYPE, type Problem, type ProblemCore, problemType } from './problem.js';

function send(reply: FastifyReply, request: FastifyRequest, error: ApiError) {
  const core: ProblemCore = {
    code: error.code,
    // The thrower's status: the entry's, except a framework 4xx passed on as `bad_request`.
    status: error.status,
    title: errorCatalogue[error.code].title,
    detail: error.message,
  };
  const body: Problem = {
    ...error.extensions,
    ...core,
    type: problemType(error.code),
    instance: request.url.split('?')[0]!,
    requestId: String(request.id),
  };
  return reply.status(error.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

function classify(error: FastifyError): ApiError {
  if (error instanceof ApiError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => {
      const where = error.validationContext ?? 'body';
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return { field: path ? `${where}.${path}` : where, message: issue.message ?? 'is invalid' };
    });
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return apiError('validation_failed', detail, { errors });
  }
  // A refusal of a decider or the store keeps its own code (`last_owner`, `already_resolved`, …).
  if (error instanceof CoreError) return apiError(error.code, error.message);
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return apiError('malformed_json', error.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiError('payload_too_large', 'the request body is larger than this server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return apiError('unsupported_media_type', error.message);
  }
  if (error instanceof SyntaxError && error.statusCode === 400)
    return apiError('malformed_json', error.message);
  if (error.statusCode === 429) return apiError('rate_limited', error.message);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError('bad_request', error.statusCode, 'Bad request', error.message);
  }
  return apiError('internal', 'an unexpected error occurred; the request id identifies it in the server log');
}

/** The status an error will answer with, for hooks that see it before the handler does. */
export const statusOfError = (error: FastifyError): number => classify(error).status;

/** Every error leaves the server as problem+json with a stable code (RFC 9457). */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const classified = classify(error);
    if (classified.status >= 500) request.log.error({ err: error }, 'request failed');
    return send(reply, request, classified);
  });
  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      request,
      apiError('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}
