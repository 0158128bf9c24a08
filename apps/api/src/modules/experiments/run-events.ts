import { EventEmitter } from 'node:events';

/**
 * In-process wake-ups for run streams: "run X changed, look again". Streams still read what
 * changed from the database, so a change made by another replica reaches them on their next
 * poll; this only makes changes made here arrive at once.
 */
export function createRunEventBus() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(runId: string): void {
      emitter.emit(runId);
    },
    subscribe(runId: string, listener: () => void): () => void {
      emitter.on(runId, listener);
      return () => emitter.off(runId, listener);
    },
  };
}

export type RunEventBus = ReturnType<typeof createRunEventBus>;
