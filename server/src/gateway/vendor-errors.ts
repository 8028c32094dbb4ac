import { type ErrorCode, errorCatalogue } from '../http/errors.js';

export type Vendor = 'openai' | 'anthropic';

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
};

/**
 * A refusal in the shape the vendor's SDKs parse (`{error:{message,type,code}}` for OpenAI,
 * `{type:"error",error:{type,message}}` for Anthropic), with Proofpane's stable `code` and the request id.
 * The status, and so the vendor's error type, is the code's catalogue entry, as for problem+json.
 */
export function vendorErrorBody(options: {
  vendor: Vendor;
  code: ErrorCode;
  /** Only where the answer is not the entry's status (a body over the limit is `invalid_request` with 413). */
  status?: number | undefined;
  message: string;
  requestId: string;
  /** For `hitl_required`: the approval request to resolve. */
  hitlRequestId?: string | undefined;
}): Record<string, unknown> {
  const { vendor, code, message, requestId } = options;
  const status = vendorErrorStatus(options);
  const type = TYPE_BY_STATUS[status] ?? 'api_error';
  const hitl = options.hitlRequestId ? { hitl_request_id: options.hitlRequestId } : {};
  if (vendor === 'openai')
    return { error: { message, type, param: null, code, request_id: requestId, ...hitl } };
  return {
    type: 'error',
    error: { type, message, code, request_id: requestId, ...hitl },
    request_id: requestId,
  };
}

export const vendorErrorStatus = (options: { code: ErrorCode; status?: number | undefined }): number =>
  options.status ?? errorCatalogue[options.code].status;

export const vendorOf = (url: string): Vendor => (url.startsWith('/v1/messages') ? 'anthropic' : 'openai');
