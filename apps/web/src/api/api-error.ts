import type { ErrorCode } from '@chaosgate/shared';
import { z } from 'zod';

/**
 * Codes the client itself produces when no error body from the API is available. They share
 * the `CG_` namespace with the server's catalogue so views translate both the same way.
 */
export const CLIENT_ERROR_CODES = [
  /** The request never got a response: server down, connection refused, offline. */
  'CG_CLIENT_NETWORK',
  /** A response arrived but its body is not what the contract says (proxy page, old API). */
  'CG_CLIENT_BAD_RESPONSE',
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** Every code an {@link ApiError} may carry; unknown server codes pass through as strings. */
export type ApiErrorCode = ErrorCode | ClientErrorCode | (string & {});

/** Status used for errors that have no HTTP response at all. */
export const NO_RESPONSE_STATUS = 0;

/**
 * Shape of the error body, read leniently: a code this client does not know yet is still a
 * code, so it is kept as a string rather than rejected (the strict enum lives in the shared
 * `apiErrorBodySchema` for the server's own use).
 */
const errorBodySchema = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

/** The one error type every API call rejects with. Branch on `code`, never on `message`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(status: number, code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(value: unknown, code?: ApiErrorCode): value is ApiError {
  return value instanceof ApiError && (code === undefined || value.code === code);
}

/**
 * Turns a non-2xx response body into an {@link ApiError}. `body` is the parsed JSON, or
 * `undefined` when the body was empty or not JSON.
 */
export function apiErrorFromResponse(status: number, body: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(status, code, message, details);
  }
  return new ApiError(status, 'CG_CLIENT_BAD_RESPONSE', `Unexpected response (HTTP ${status})`);
}
