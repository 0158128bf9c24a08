import { z } from 'zod';

/**
 * Every error code the API can return, with its HTTP status. Clients branch on `code`,
 * never on the message text; the API builds its error catalogue from this table.
 */
export const ERROR_STATUS = {
  // generic request problems
  CG_VALIDATION_FAILED: 400,
  CG_INVALID_JSON: 400,
  CG_BODY_TOO_LARGE: 413,
  CG_UNSUPPORTED_MEDIA_TYPE: 415,
  CG_NOT_FOUND: 404,
  CG_ROUTE_NOT_FOUND: 404,
  CG_RATE_LIMITED: 429,
  CG_INTERNAL: 500,
  CG_UNAVAILABLE: 503,
  // auth
  CG_AUTH_REQUIRED: 401,
  CG_AUTH_INVALID_CREDENTIALS: 401,
  CG_AUTH_CSRF_INVALID: 403,
  CG_AUTH_FORBIDDEN_ROLE: 403,
  // environments and policy
  CG_ENV_NOT_FOUND: 404,
  CG_POLICY_NAMESPACE_FORBIDDEN: 403,
  CG_POLICY_NAMESPACE_OUTSIDE_ENV: 403,
  CG_POLICY_INVALID_NAMESPACE: 400,
  CG_POLICY_SELECTOR_EMPTY: 422,
  CG_POLICY_KIND_FORBIDDEN: 422,
  CG_POLICY_LIMIT_EXCEEDED: 422,
  CG_POLICY_PROBE_URL_FORBIDDEN: 422,
  CG_EMERGENCY_STOP_ENGAGED: 423,
  // experiments
  CG_MANIFEST_INVALID_YAML: 400,
  CG_MANIFEST_TOO_LARGE: 413,
  CG_MANIFEST_NOT_CHAOS_KIND: 422,
  CG_MANIFEST_SCHEMA_VIOLATION: 422,
  CG_MANIFEST_DRY_RUN_REJECTED: 422,
  CG_PREVIEW_HASH_REQUIRED: 400,
  CG_PREVIEW_HASH_STALE: 409,
  CG_RUN_NOT_FOUND: 404,
  CG_RUN_ILLEGAL_TRANSITION: 409,
  CG_RUN_CONFLICT: 409,
  // kubernetes gateway
  CG_KUBE_FORBIDDEN: 403,
  CG_KUBE_NOT_FOUND: 404,
  CG_KUBE_CONFLICT: 409,
  CG_KUBE_INVALID: 422,
  CG_KUBE_UNKNOWN_KIND: 422,
  CG_KUBE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const errorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

/** The body of every non-2xx response. */
export const apiErrorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** One failing field of a validation error: a JSON path and what is wrong there. */
export const validationIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof validationIssueSchema>;
