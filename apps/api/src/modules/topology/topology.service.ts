import {
  isEmptyLabelSelector,
  matchesLabelSelector,
  SELECTOR_PREVIEW_POD_LIMIT,
  type SelectorPreviewRequest,
  type SelectorPreviewResponse,
  type Topology,
} from '@chaosgate/shared';
import { AppError } from '../../errors';
import type { PolicyRepository } from '../policy/policy.repo';
import { assertNamespaceInScope } from './namespace-access';
import type { TopologyFeed } from './topology-feed';
import type { FeedKey, TopologyFeeds } from './topology-feeds';

export interface TopologyServiceDeps {
  environments: Pick<PolicyRepository, 'findEnvironment'>;
  feeds: Pick<TopologyFeeds, 'acquire'>;
  forbiddenNamespaces: readonly string[];
}

/**
 * The service map of an environment's namespaces and the blast radius of a selector, both read
 * from the watch-backed feeds. Every call checks the environment and the namespace first.
 */
export function createTopologyService(deps: TopologyServiceDeps) {
  /** The feed key for a request; throws the policy errors before any cluster call. */
  async function scope(environment: string, namespace: string | undefined): Promise<FeedKey> {
    const env = await deps.environments.findEnvironment(environment);
    if (!env) throw new AppError('CG_ENV_NOT_FOUND', `unknown environment "${environment}"`);
    const target = namespace ?? env.targetNamespaces[0];
    if (target === undefined) {
      throw new AppError('CG_POLICY_NAMESPACE_OUTSIDE_ENV', `environment ${environment} has no target namespaces`);
    }
    assertNamespaceInScope(target, {
      environment,
      targetNamespaces: env.targetNamespaces,
      forbiddenNamespaces: deps.forbiddenNamespaces,
    });
    return {
      environment,
      namespace: target,
      chaosNamespace: env.chaosNamespace,
      settings: { prometheusUrl: env.prometheusUrl ?? null },
    };
  }

  return {
    /** The current map of a namespace (default: the environment's first target namespace). */
    async getTopology(environment: string, namespace?: string): Promise<Topology> {
      const feed = await deps.feeds.acquire(await scope(environment, namespace));
      return feed.current();
    },

    /** The live feed of a namespace, for streaming; same checks as {@link getTopology}. */
    async openFeed(environment: string, namespace?: string): Promise<TopologyFeed> {
      return deps.feeds.acquire(await scope(environment, namespace));
    },

    /** The pods a selector matches in a namespace, as an experiment would hit them. */
    async previewSelector(environment: string, request: SelectorPreviewRequest): Promise<SelectorPreviewResponse> {
      const key = await scope(environment, request.namespace);
      if (isEmptyLabelSelector(request.labelSelector)) {
        throw new AppError('CG_POLICY_SELECTOR_EMPTY', 'an empty selector would select every pod of the namespace');
      }
      const feed = await deps.feeds.acquire(key);
      const matched = feed
        .pods()
        .filter((pod) => pod.namespace === key.namespace && matchesLabelSelector(request.labelSelector, pod.labels))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return {
        namespace: key.namespace,
        labelSelector: request.labelSelector,
        total: matched.length,
        pods: matched
          .slice(0, SELECTOR_PREVIEW_POD_LIMIT)
          .map((pod) => ({ name: pod.name, phase: pod.phase, ready: pod.ready, node: pod.nodeName })),
        truncated: matched.length > SELECTOR_PREVIEW_POD_LIMIT,
      };
    },
  };
}

export type TopologyService = ReturnType<typeof createTopologyService>;
