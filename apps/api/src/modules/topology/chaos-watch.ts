import type { TopologyWarning } from '@chaosgate/shared';
import type { Informer, KubeGateway, KubeObject } from '../../kube';
import { InformerGroup } from './informer-group';
import { memoizeMapper, toChaosObject } from './kube-mappers';
import type { ChaosObject } from './topology.model';

/** Chaos Mesh kinds that select pods (the per-pod `Pod*Chaos` bookkeeping kinds are not experiments). */
export const POD_SELECTING_CHAOS_KINDS = [
  'PodChaos',
  'NetworkChaos',
  'IOChaos',
  'StressChaos',
  'TimeChaos',
  'KernelChaos',
  'DNSChaos',
  'HTTPChaos',
  'JVMChaos',
  'BlockChaos',
] as const;

/**
 * The chaos objects of an environment's chaos namespace, which feed each node's `targetedBy`
 * until runs do. Chaos Mesh not installed means no objects; a kind that cannot be read is a
 * warning, never a failed map.
 */
export class ChaosWatch {
  private group: InformerGroup | null = null;
  private readonly mappers = new Map<string, (object: KubeObject) => ChaosObject>();
  private readonly warnings: TopologyWarning[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly gateway: KubeGateway,
    private readonly chaosNamespace: string,
  ) {}

  async start(): Promise<void> {
    let kinds: string[];
    try {
      const served = await this.gateway.discoverChaosKinds();
      const wanted = new Set<string>(POD_SELECTING_CHAOS_KINDS);
      kinds = served.filter((k) => wanted.has(k.kind) && k.verbs.includes('watch')).map((k) => k.kind);
      const informers = new Map<string, Informer<KubeObject>>();
      for (const kind of kinds) {
        const ref = served.find((k) => k.kind === kind);
        if (!ref) continue;
        informers.set(kind, this.gateway.createInformer(ref, this.chaosNamespace));
        this.mappers.set(
          kind,
          memoizeMapper((o) => toChaosObject(kind, o)),
        );
      }
      this.group = new InformerGroup(informers);
      this.group.onChange(() => this.emit());
      await this.group.start();
    } catch (error) {
      this.group = null;
      const message = error instanceof Error ? error.message : String(error);
      this.warnings.push({ provider: 'chaos-objects', message: `chaos objects cannot be read: ${message}` });
    }
  }

  objects(): ChaosObject[] {
    const group = this.group;
    if (!group) return [];
    return [...this.mappers].flatMap(([kind, map]) => group.items(kind).map(map));
  }

  /** Why the targets may be incomplete right now. */
  problems(): TopologyWarning[] {
    const watching = (this.group?.problems() ?? []).map(({ name, error }) => ({
      provider: 'chaos-objects',
      message: `${name}: ${error.message}`,
    }));
    return [...this.warnings, ...watching];
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.group?.stop();
    this.listeners.clear();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
