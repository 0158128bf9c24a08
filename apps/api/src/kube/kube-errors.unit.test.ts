import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { kubeHttpError, kubeTransportError, networkCause, toKubeError } from './kube-errors';

const status = (code: number, reason: string, message: string, details: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, details });

describe('kubeHttpError', () => {
  it('maps 403 to CG_KUBE_FORBIDDEN with the resource named', () => {
    const body = status(403, 'Forbidden', 'podchaos.chaos-mesh.org is forbidden', {
      group: 'chaos-mesh.org',
      kind: 'podchaos',
    });
    const err = kubeHttpError(403, body, 'create PodChaos default/x');
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('CG_KUBE_FORBIDDEN');
    expect(err.statusCode).toBe(403);
    expect(err.message).toBe('create PodChaos default/x: podchaos.chaos-mesh.org is forbidden');
    expect(err.details).toEqual({ reason: 'Forbidden', group: 'chaos-mesh.org', kind: 'podchaos' });
  });

  it('maps 404 to CG_KUBE_NOT_FOUND and 409 to CG_KUBE_CONFLICT', () => {
    expect(kubeHttpError(404, status(404, 'NotFound', 'not found'), 'get').code).toBe('CG_KUBE_NOT_FOUND');
    const conflict = kubeHttpError(409, status(409, 'AlreadyExists', '"x" already exists'), 'create');
    expect(conflict.code).toBe('CG_KUBE_CONFLICT');
    expect(conflict.details).toEqual({ reason: 'AlreadyExists', issues: [] });
  });

  it('maps 422 and 400 to CG_KUBE_INVALID with the field paths of the causes', () => {
    const body = status(422, 'Invalid', 'PodChaos.chaos-mesh.org "x" is invalid', {
      causes: [
        { reason: 'FieldValueNotSupported', message: 'Unsupported value: "explode"', field: 'spec.action' },
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
      ],
    });
    const err = kubeHttpError(422, body, 'apply PodChaos chaos-dev/x');
    expect(err.code).toBe('CG_KUBE_INVALID');
    expect(err.statusCode).toBe(422);
    expect(err.details).toEqual({
      reason: 'Invalid',
      issues: [
        { path: 'spec.action', message: 'Unsupported value: "explode"' },
        { path: 'spec.selector', message: 'Required value' },
      ],
    });
    expect(kubeHttpError(400, status(400, 'BadRequest', 'bad'), 'patch').code).toBe('CG_KUBE_INVALID');
  });

  it('treats refused credentials, throttling and server errors as the cluster being unavailable', () => {
    for (const code of [401, 429, 500, 503, 504]) {
      expect(kubeHttpError(code, status(code, 'x', 'x'), 'list').code).toBe('CG_KUBE_UNAVAILABLE');
    }
  });

  it('copes with a body that is not a Status', () => {
    const err = kubeHttpError(404, '<html>nope</html>', 'get Pod chaos-dev/a');
    expect(err.code).toBe('CG_KUBE_NOT_FOUND');
    expect(err.message).toBe('get Pod chaos-dev/a: HTTP 404');
  });
});

describe('kubeTransportError', () => {
  const fetchFailed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: { code } });

  it('maps refused, reset and timed-out connections to CG_KUBE_UNAVAILABLE naming the cause', () => {
    const refused = kubeTransportError(fetchFailed('ECONNREFUSED'), 'list Pod');
    expect(refused.code).toBe('CG_KUBE_UNAVAILABLE');
    expect(refused.message).toBe('list Pod: the cluster is unreachable (connection refused)');
    expect(refused.details).toEqual({ cause: 'ECONNREFUSED' });
    expect(kubeTransportError(fetchFailed('UND_ERR_CONNECT_TIMEOUT'), 'x').message).toContain('timed out');
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(kubeTransportError(timeout, 'x').message).toContain('timed out');
    expect(kubeTransportError(fetchFailed('DEPTH_ZERO_SELF_SIGNED_CERT'), 'x').message).toContain('TLS');
  });

  it('never leaks the raw error', () => {
    const raw = fetchFailed('ECONNRESET');
    const err = kubeTransportError(raw, 'watch');
    expect(err).toBeInstanceOf(AppError);
    expect(err.cause).toBeUndefined();
    expect(JSON.stringify(err.details)).not.toContain('fetch failed');
  });
});

describe('toKubeError', () => {
  it('passes AppErrors through and maps errors that carry an HTTP status', () => {
    const app = new AppError('CG_KUBE_UNKNOWN_KIND', 'x');
    expect(toKubeError(app, 'x')).toBe(app);
    const watchError = Object.assign(new Error('Forbidden'), { statusCode: 403 });
    expect(toKubeError(watchError, 'watch').code).toBe('CG_KUBE_FORBIDDEN');
    expect(toKubeError(new Error('socket hang up'), 'watch').code).toBe('CG_KUBE_UNAVAILABLE');
  });

  it('finds the innermost network cause', () => {
    expect(networkCause({ name: 'TypeError', cause: { code: 'ECONNREFUSED' } })).toBe('ECONNREFUSED');
    expect(networkCause('text')).toBeUndefined();
  });
});
