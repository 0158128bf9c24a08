import type { ValidationIssue } from '@chaosgate/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, isAppError } from '../errors';

/** Fastify's own error codes that are the client's fault, mapped onto chaosgate's catalogue. */
const FASTIFY_CODES: Record<string, () => AppError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => new AppError('CG_BODY_TOO_LARGE', 'request body is too large'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new AppError('CG_UNSUPPORTED_MEDIA_TYPE', 'unsupported content type; send application/json'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new AppError('CG_VALIDATION_FAILED', 'content-length does not match the body'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new AppError('CG_INVALID_JSON', 'body is empty but declared as JSON'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => new AppError('CG_INVALID_JSON', 'body is not valid JSON'),
  FST_CSRF_INVALID_TOKEN: () => new AppError('CG_AUTH_CSRF_INVALID', 'missing or invalid CSRF token'),
  FST_CSRF_MISSING_SECRET: () => new AppError('CG_AUTH_CSRF_INVALID', 'missing or invalid CSRF token'),
};

/** Turns any thrown error into the one error body; 5xx details never leave the server. */
export function toAppError(err: FastifyError | Error): AppError {
  if (isAppError(err)) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues: ValidationIssue[] = err.validation.map((v) => ({
      path: `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
      message: v.message ?? 'invalid',
    }));
    return new AppError('CG_VALIDATION_FAILED', 'request validation failed', { issues });
  }
  const code = (err as FastifyError).code;
  const mapped = code ? FASTIFY_CODES[code] : undefined;
  if (mapped) return mapped();
  const status = (err as FastifyError).statusCode;
  if (err instanceof SyntaxError && status === 400) {
    return new AppError('CG_INVALID_JSON', 'body is not valid JSON');
  }
  if (status === 404) return new AppError('CG_NOT_FOUND', err.message);
  if (status === 429) return new AppError('CG_RATE_LIMITED', 'too many requests; retry later');
  if (status !== undefined && status >= 400 && status < 500) {
    return new AppError('CG_VALIDATION_FAILED', err.message);
  }
  return new AppError('CG_INTERNAL', 'internal error');
}

async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(err);
    if (appError.statusCode >= 500) {
      request.log.error({ err }, 'request failed');
    } else {
      request.log.info({ code: appError.code }, appError.message);
    }
    const error: Record<string, unknown> = { code: appError.code, message: appError.message };
    if (appError.details !== undefined) error.details = appError.details;
    return reply.status(appError.statusCode).send({ error });
  });
}

export default fp(errorHandlerPlugin, { name: 'chaosgate-error-handler' });
