import type { KubeGateway } from './gateway';
import { createInformer } from './informer';
import { kubeDisabledError } from './kube-errors';
import type { KubeObject } from './kube-types';

/**
 * A gateway for when Kubernetes is switched off (`CHAOSGATE_KUBE=none`) or not configured:
 * every call fails with `CG_KUBE_UNAVAILABLE` naming `reason`, so callers need no special case.
 */
export function createDisabledGateway(reason: string): KubeGateway {
  const fail = async (): Promise<never> => {
    throw kubeDisabledError(reason);
  };
  return {
    context: '',
    clusterEndpoint() {
      throw kubeDisabledError(reason);
    },
    discoverChaosKinds: fail,
    chaosKind: fail,
    resolveKind: fail,
    list: fail,
    get: fail,
    apply: fail,
    create: fail,
    patch: fail,
    delete: fail,
    selfSubjectAccessReview: fail,
    subjectAccessReview: fail,
    requestServiceAccountToken: fail,
    version: fail,
    ping: fail,
    watch(_ref, _namespace, options) {
      let stopped = false;
      queueMicrotask(() => {
        if (!stopped) options.onEnd({ reason: 'failed', error: kubeDisabledError(reason) });
      });
      return () => {
        stopped = true;
      };
    },
    createInformer<T extends KubeObject>() {
      return createInformer<T>({ list: fail, watch: () => () => {} });
    },
    close() {},
  };
}
