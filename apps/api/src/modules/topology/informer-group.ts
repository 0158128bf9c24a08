import type { AppError } from '../../errors';
import type { Informer, KubeObject } from '../../kube';

/**
 * Several informers that start, stop and report as one: the collections one map is drawn
 * from. Watch failures after the start are retried by each informer; until it has re-listed
 * they are reported by {@link InformerGroup.problems}.
 */
export class InformerGroup {
  private readonly errors = new Map<string, AppError>();
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribes: (() => void)[] = [];

  constructor(private readonly informers: ReadonlyMap<string, Informer<KubeObject>>) {
    for (const [name, informer] of informers) {
      this.unsubscribes.push(
        informer.onChange((change) => {
          if (change.type === 'ERROR') this.errors.set(name, change.error);
          else if (change.type === 'SYNCED') this.errors.delete(name);
          for (const listener of this.listeners) listener();
        }),
      );
    }
  }

  /** Lists every collection; rejects with the first failure after stopping them all. */
  async start(): Promise<void> {
    try {
      await Promise.all([...this.informers.values()].map((informer) => informer.start()));
    } catch (error) {
      this.stop();
      throw error;
    }
  }

  /** The current store of one collection: the same value until the collection changes. */
  store(name: string): unknown {
    return this.informers.get(name)?.store;
  }

  /** The current objects of one collection. */
  items(name: string): KubeObject[] {
    return this.informers.get(name)?.items() ?? [];
  }

  /** Called after any change of any collection (several changes may share one call later). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Collections whose watch is failing right now, and why. */
  problems(): { name: string; error: AppError }[] {
    return [...this.errors].map(([name, error]) => ({ name, error }));
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const informer of this.informers.values()) informer.stop();
    this.listeners.clear();
  }
}
