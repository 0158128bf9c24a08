import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../errors';

/**
 * Where a gateway finds its cluster and credentials:
 * - `kubeconfig`: one or more kubeconfig files (the `KUBECONFIG` list), merged like kubectl does;
 * - `in-cluster`: the pod's ServiceAccount (`KUBERNETES_SERVICE_HOST`);
 * - `yaml`: a kubeconfig document held in memory;
 * - `token`: an API server URL, its CA and a bearer token (e.g. a minted ServiceAccount token).
 */
export type KubeSource =
  | { mode: 'kubeconfig'; paths: string[] }
  | { mode: 'in-cluster' }
  | { mode: 'yaml'; yaml: string }
  | { mode: 'token'; server: string; token: string; caData?: string; insecureSkipTlsVerify?: boolean };

/** The cluster endpoint of a source's context, enough to build a `token` source for it. */
export interface ClusterEndpoint {
  server: string;
  caData?: string;
  insecureSkipTlsVerify: boolean;
}

function configError(message: string): AppError {
  return new AppError('CG_KUBE_UNAVAILABLE', `Kubernetes configuration: ${message}`, { reason: 'Misconfigured' });
}

function loadSource(source: KubeSource): KubeConfig {
  const kc = new KubeConfig();
  switch (source.mode) {
    case 'in-cluster':
      kc.loadFromCluster();
      return kc;
    case 'yaml':
      kc.loadFromString(source.yaml);
      return kc;
    case 'token':
      kc.loadFromClusterAndUser(
        {
          name: 'cluster',
          server: source.server,
          ...(source.caData !== undefined ? { caData: source.caData } : {}),
          skipTLSVerify: source.insecureSkipTlsVerify ?? false,
        },
        { name: 'token', token: source.token },
      );
      return kc;
    case 'kubeconfig': {
      const [first, ...rest] = source.paths;
      if (first === undefined) throw configError('no kubeconfig file given');
      kc.loadFromFile(first);
      for (const path of rest) {
        const more = new KubeConfig();
        more.loadFromFile(path);
        kc.mergeConfig(more, true);
      }
      return kc;
    }
  }
}

/**
 * Loads a source and selects `context` (null/undefined: the source's current context). Throws
 * `CG_KUBE_UNAVAILABLE` when the files cannot be read or the context does not exist.
 * Internal to `kube/`: the returned client-library object never leaves this folder.
 */
export function loadKubeConfig(source: KubeSource, context?: string | null): KubeConfig {
  let kc: KubeConfig;
  try {
    kc = loadSource(source);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw configError(`cannot load the ${source.mode} configuration (${(err as Error).message})`);
  }
  if (context) {
    if (!kc.getContextObject(context)) throw configError(`context "${context}" is not in the kubeconfig`);
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) throw configError('the current context names no cluster');
  return kc;
}

/** The API server and CA of a loaded configuration's current context. */
export function clusterEndpointOf(kc: KubeConfig): ClusterEndpoint {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw configError('the current context names no cluster');
  const caData = cluster.caData ?? (cluster.caFile ? readFileSync(cluster.caFile).toString('base64') : undefined);
  return {
    server: cluster.server,
    ...(caData !== undefined ? { caData } : {}),
    insecureSkipTlsVerify: cluster.skipTLSVerify,
  };
}

/** A `token` source for the same cluster as `endpoint`, authenticating with `token`. */
export function tokenSource(endpoint: ClusterEndpoint, token: string): KubeSource {
  return {
    mode: 'token',
    server: endpoint.server,
    token,
    ...(endpoint.caData !== undefined ? { caData: endpoint.caData } : {}),
    insecureSkipTlsVerify: endpoint.insecureSkipTlsVerify,
  };
}
