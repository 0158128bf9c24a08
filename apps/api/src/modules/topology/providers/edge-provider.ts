import type { EdgeProvider } from '@chaosgate/shared';
import type { ProviderOutcome } from '../topology.model';
import type { TopologyContext } from '../topology-context';

/** What a provider may know about the environment besides the namespace's objects. */
export interface ProviderSettings {
  /** `Environment.prometheusUrl`; the istio-metrics provider is disabled without it. */
  prometheusUrl: string | null;
}

/** One source of edges. A provider that throws becomes a warning, never an empty map. */
export interface EdgeProviderDefinition {
  name: EdgeProvider;
  find(context: TopologyContext, settings: ProviderSettings): ProviderOutcome | Promise<ProviderOutcome>;
}
