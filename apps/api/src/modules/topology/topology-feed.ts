import { randomBytes } from 'node:crypto';
import {
  diffTopology,
  isEmptyTopologyPatch,
  type Topology,
  type TopologyPatch,
  type TopologyWarning,
} from '@chaosgate/shared';
import type { ChaosWatch } from './chaos-watch';
import type { NamespaceWatch } from './namespace-watch';
import type { EdgeProviderDefinition, ProviderSettings } from './providers/edge-provider';
import type { NamespaceSnapshot, PodObject } from './topology.model';
import { createTopologyContext } from './topology-context';
import { assembleTopology, runProviders } from './topology-graph';

export interface TopologyFeedOptions {
  environment: string;
  namespace: string;
  namespaceWatch: NamespaceWatch;
  chaosWatch: ChaosWatch;
  providers: readonly EdgeProviderDefinition[];
  settings: ProviderSettings;
  /** Changes within this window are drawn as one patch (default 250 ms). */
  throttleMs?: number;
  /** While someone streams and Prometheus is configured, the map is redrawn this often (default 30 s). */
  metricsRefreshMs?: number;
  now?: () => number;
}

/** Listener of a feed: receives every patch, from one revision to the next, in order. */
export type PatchListener = (patch: TopologyPatch) => void;

/**
 * The live map of one namespace of one environment, drawn from watch-backed caches: a request
 * reads the last map (redrawn only when something changed), and streams receive the patches.
 * Revisions change only when the map does.
 */
export class TopologyFeed {
  readonly environment: string;
  readonly namespace: string;
  /** When a request or a stream last used this feed (for idle eviction). */
  lastUsed: number;
  private settings: ProviderSettings;
  private last: Topology | null = null;
  private dirty = true;
  private building: Promise<Topology> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private metricsTimer: NodeJS.Timeout | undefined;
  private sequence = 0;
  private readonly epoch = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  private readonly listeners = new Set<PatchListener>();
  private readonly unsubscribes: (() => void)[];
  private readonly now: () => number;

  constructor(private readonly options: TopologyFeedOptions) {
    this.environment = options.environment;
    this.namespace = options.namespace;
    this.settings = options.settings;
    this.now = options.now ?? Date.now;
    this.lastUsed = this.now();
    const changed = () => this.markDirty();
    this.unsubscribes = [options.namespaceWatch.onChange(changed), options.chaosWatch.onChange(changed)];
  }

  /** Settings may change between requests (an SRE edits the environment's Prometheus URL). */
  updateSettings(settings: ProviderSettings): void {
    if (settings.prometheusUrl === this.settings.prometheusUrl) return;
    this.settings = settings;
    this.markDirty();
    this.syncMetricsTimer();
  }

  /** The current map; redrawn first when something changed since the last one. */
  async current(): Promise<Topology> {
    this.lastUsed = this.now();
    // Under constant churn a request takes the map after a few redraws rather than waiting for calm.
    for (let round = 0; round < 3 && (this.building || this.dirty || !this.last); round += 1) {
      this.building ??= this.redraw().finally(() => {
        this.building = null;
      });
      await this.building;
    }
    if (!this.last) throw new Error('the topology has not been drawn');
    return this.last;
  }

  /** The namespace's pods as the cache holds them (for the blast-radius preview). */
  pods(): readonly PodObject[] {
    this.lastUsed = this.now();
    return this.options.namespaceWatch.objects().pods;
  }

  /**
   * Subscribes to patches. Call right after reading {@link current}: the first patch then starts
   * at the revision just read, because redraws never interleave with a synchronous subscribe.
   */
  subscribe(listener: PatchListener): () => void {
    this.listeners.add(listener);
    this.syncMetricsTimer();
    return () => {
      this.listeners.delete(listener);
      this.lastUsed = this.now();
      this.syncMetricsTimer();
    };
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.metricsTimer);
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.listeners.clear();
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.listeners.size === 0 || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A failed redraw leaves the feed dirty; the next change or request tries again.
      this.current().catch(() => {});
    }, this.options.throttleMs ?? 250);
  }

  private syncMetricsTimer(): void {
    const wanted = this.listeners.size > 0 && this.settings.prometheusUrl !== null;
    if (wanted && !this.metricsTimer) {
      this.metricsTimer = setInterval(() => this.markDirty(), this.options.metricsRefreshMs ?? 30_000);
      this.metricsTimer.unref();
    } else if (!wanted && this.metricsTimer) {
      clearInterval(this.metricsTimer);
      this.metricsTimer = undefined;
    }
  }

  private snapshot(): NamespaceSnapshot {
    const objects = this.options.namespaceWatch.objects();
    return {
      environment: this.environment,
      namespace: this.namespace,
      ...objects,
      chaosObjects: this.options.chaosWatch.objects(),
    };
  }

  private problems(): TopologyWarning[] {
    const kube = this.options.namespaceWatch.problems().map(({ name, error }) => ({
      provider: 'kube',
      message: `${name}: ${error.message}`,
    }));
    return [...kube, ...this.options.chaosWatch.problems()];
  }

  private async redraw(): Promise<Topology> {
    this.dirty = false;
    const context = createTopologyContext(this.snapshot());
    const outcomes = await runProviders(context, this.options.providers, this.settings);
    const drawn = assembleTopology(context, outcomes, {
      revision: '',
      generatedAt: new Date(this.now()).toISOString(),
      warnings: this.problems(),
    });
    const previous = this.last;
    if (previous && isEmptyTopologyPatch(diffTopology(previous, drawn), previous)) return previous;
    const next = { ...drawn, revision: `${this.epoch}-${++this.sequence}` };
    this.last = next;
    if (previous) {
      const patch = diffTopology(previous, next);
      for (const listener of this.listeners) listener(patch);
    }
    return next;
  }
}
