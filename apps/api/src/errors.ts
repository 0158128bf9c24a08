import { ERROR_STATUS, type ErrorCode } from '@chaosgate/shared';

/**
 * The one error type services throw. Its `code` comes from the shared catalogue, which also
 * fixes the HTTP status; the error handler turns it into `{ error: { code, message, details } }`.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = ERROR_STATUS[code];
    this.details = details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export { ERROR_STATUS, type ErrorCode };
