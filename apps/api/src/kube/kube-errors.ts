import type { ValidationIssue } from '@chaosgate/shared';
import { AppError, type ErrorCode } from '../errors';
import type { KubeStatus } from './kube-types';

/**
 * Maps what the API server (or the network) answered onto chaosgate's error catalogue. Every
 * failure leaving the gateway is an `AppError`; raw client errors never do.
 */

/** The body of a failed response as a `Status`, when it is one. */
export function parseKubeStatus(body: unknown): KubeStatus | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const status = value as KubeStatus;
  return status.kind === 'Status' || typeof status.code === 'number' ? status : undefined;
}

/** The apiserver's causes as validation issues (`path` is its field path, e.g. `spec.action`). */
export function statusIssues(status: KubeStatus | undefined): ValidationIssue[] {
  return (status?.details?.causes ?? []).map((cause) => ({
    path: cause.field ?? '',
    message: cause.message ?? cause.reason ?? 'invalid',
  }));
}

function codeForStatus(httpStatus: number): ErrorCode {
  switch (httpStatus) {
    case 403:
      return 'CG_KUBE_FORBIDDEN';
    case 404:
      return 'CG_KUBE_NOT_FOUND';
    case 409:
    case 410:
      return 'CG_KUBE_CONFLICT';
    case 400:
    case 405:
    case 413:
    case 415:
    case 422:
      return 'CG_KUBE_INVALID';
    default:
      // 401 (our credentials were refused), 429, 5xx: the cluster cannot serve us right now.
      return 'CG_KUBE_UNAVAILABLE';
  }
}

/**
 * The error for a non-2xx answer. `what` names the call (`create PodChaos chaos-dev/x`);
 * `body` is the response body (text or parsed), usually a `Status`.
 */
export function kubeHttpError(httpStatus: number, body: unknown, what: string): AppError {
  const status = parseKubeStatus(body);
  const code = codeForStatus(httpStatus);
  const reason = status?.reason;
  if (httpStatus === 401) {
    return new AppError(code, `${what}: the cluster refused chaosgate's credentials`, { reason: 'Unauthorized' });
  }
  if (code === 'CG_KUBE_UNAVAILABLE') {
    return new AppError(code, `${what}: the cluster answered ${httpStatus}`, { reason, httpStatus });
  }
  const message = `${what}: ${status?.message ?? reason ?? `HTTP ${httpStatus}`}`;
  if (code === 'CG_KUBE_INVALID' || code === 'CG_KUBE_CONFLICT') {
    return new AppError(code, message, { reason, issues: statusIssues(status) });
  }
  const details = status?.details;
  return new AppError(code, message, {
    reason,
    ...(details?.group !== undefined ? { group: details.group } : {}),
    ...(details?.kind !== undefined ? { kind: details.kind } : {}),
    ...(details?.name !== undefined ? { name: details.name } : {}),
  });
}

const NETWORK_CAUSES: [RegExp, string][] = [
  [/^ECONNREFUSED$/, 'connection refused'],
  [/^(ENOTFOUND|EAI_AGAIN)$/, 'host not found'],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/, 'connection reset'],
  [/^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|TimeoutError)$/, 'timed out'],
  [/^(EHOSTUNREACH|ENETUNREACH)$/, 'host unreachable'],
  [/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/, 'TLS verification failed'],
  [/^AbortError$/, 'request aborted'],
];

/** The innermost error code or name along an error's `cause` chain (`ECONNREFUSED`, `TimeoutError`…). */
export function networkCause(err: unknown): string | undefined {
  let found: string | undefined;
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === 'string') found = code;
    else if (typeof name === 'string' && name !== 'Error' && name !== 'TypeError') found = name;
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}

/** The error for a call that got no HTTP answer at all: refused, reset, timed out, bad TLS. */
export function kubeTransportError(err: unknown, what: string): AppError {
  const cause = networkCause(err);
  const described = cause ? NETWORK_CAUSES.find(([pattern]) => pattern.test(cause))?.[1] : undefined;
  return new AppError('CG_KUBE_UNAVAILABLE', `${what}: the cluster is unreachable (${described ?? 'no answer'})`, {
    cause: cause ?? 'unknown',
  });
}

/**
 * Any failure of a gateway call as an `AppError`: passes `AppError`s through, maps errors that
 * carry an HTTP status (the client library's watch and API errors), else treats it as a network failure.
 */
export function toKubeError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  if (typeof err === 'object' && err !== null) {
    const { statusCode, code, body } = err as { statusCode?: unknown; code?: unknown; body?: unknown };
    const status = typeof statusCode === 'number' ? statusCode : typeof code === 'number' ? code : undefined;
    if (status !== undefined && status >= 400) return kubeHttpError(status, body, what);
  }
  return kubeTransportError(err, what);
}

/** The error every call of a disabled or unconfigured gateway throws. */
export function kubeDisabledError(reason: string): AppError {
  return new AppError('CG_KUBE_UNAVAILABLE', `Kubernetes is not available: ${reason}`, { reason: 'Disabled' });
}
