import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../errors';
import { createInformer, type InformerChange, type ListWatch } from './informer';
import type { KubeList, KubeObject, WatchEvent } from './kube-types';
import type { WatchEnd } from './watch';

const deploy = (name: string, resourceVersion: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'chaos-dev', resourceVersion },
});

interface FakeWatch {
  resourceVersion: string;
  stopped: boolean;
  emit(event: WatchEvent): void;
  end(end: WatchEnd): void;
}

/** A scripted list+watch: each `list()` takes the next answer; each `watch()` is recorded. */
function fakeSource(answers: (KubeList | AppError)[]) {
  const watches: FakeWatch[] = [];
  let lists = 0;
  const source: ListWatch<KubeObject> = {
    async list() {
      const answer = answers[Math.min(lists++, answers.length - 1)];
      if (answer instanceof AppError) throw answer;
      if (!answer) throw new Error('no list answer scripted');
      return answer;
    },
    watch({ resourceVersion, onEvent, onEnd }) {
      const w: FakeWatch = { resourceVersion, stopped: false, emit: onEvent, end: onEnd };
      watches.push(w);
      return () => {
        w.stopped = true;
      };
    },
  };
  return { source, watches, lists: () => lists };
}

const lastWatch = (watches: FakeWatch[]): FakeWatch => {
  const w = watches.at(-1);
  if (!w) throw new Error('no watch started');
  return w;
};

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createInformer', () => {
  it('lists, then watches from the list resourceVersion and keeps the store current', async () => {
    const fake = fakeSource([{ items: [deploy('order', '5')], resourceVersion: '7' }]);
    const informer = createInformer(fake.source);
    const changes: InformerChange<KubeObject>[] = [];
    informer.onChange((c) => changes.push(c));
    await informer.start();
    expect(informer.items().map((d) => d.metadata.name)).toEqual(['order']);
    expect(lastWatch(fake.watches).resourceVersion).toBe('7');

    lastWatch(fake.watches).emit({ type: 'ADDED', object: deploy('user', '8') });
    lastWatch(fake.watches).emit({ type: 'DELETED', object: deploy('order', '9') });
    expect(informer.items().map((d) => d.metadata.name)).toEqual(['user']);
    expect(informer.store.resourceVersion).toBe('9');
    expect(changes.map((c) => c.type)).toEqual(['ADDED', 'SYNCED', 'ADDED', 'DELETED']);
    informer.stop();
  });

  it('re-lists at once on 410 Gone and reports what changed meanwhile', async () => {
    const fake = fakeSource([
      { items: [deploy('order', '5'), deploy('user', '6')], resourceVersion: '7' },
      { items: [deploy('order', '12'), deploy('payment', '11')], resourceVersion: '20' },
    ]);
    const informer = createInformer(fake.source);
    await informer.start();
    const changes: string[] = [];
    informer.onChange((c) => changes.push('object' in c ? `${c.type} ${c.object.metadata.name}` : c.type));

    lastWatch(fake.watches).end({ reason: 'gone' });
    await vi.waitFor(() => expect(fake.lists()).toBe(2));
    await vi.waitFor(() => expect(fake.watches).toHaveLength(2));
    expect(changes).toEqual(['MODIFIED order', 'ADDED payment', 'DELETED user', 'SYNCED']);
    expect(lastWatch(fake.watches).resourceVersion).toBe('20');
    expect(fake.watches[0]?.stopped).toBe(true);
    expect(informer.stats).toEqual({ lists: 2, watches: 2 });
    informer.stop();
  });

  it('resumes a watch the server closed from the last resourceVersion without listing', async () => {
    const fake = fakeSource([{ items: [], resourceVersion: '7' }]);
    const informer = createInformer(fake.source);
    await informer.start();
    lastWatch(fake.watches).emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '30' } } });
    vi.advanceTimersByTime(25_000);
    lastWatch(fake.watches).end({ reason: 'closed' });
    expect(fake.watches).toHaveLength(2);
    expect(lastWatch(fake.watches).resourceVersion).toBe('30');
    expect(fake.lists()).toBe(1);
    informer.stop();
  });

  it('re-lists with a doubling backoff after a dropped connection, reset by a successful list', async () => {
    const down = new AppError('CG_KUBE_UNAVAILABLE', 'connection refused');
    const fake = fakeSource([
      { items: [], resourceVersion: '7' },
      down,
      down,
      { items: [deploy('order', '9')], resourceVersion: '9' },
    ]);
    const informer = createInformer(fake.source, { backoff: { initialMs: 100, maxMs: 1000 } });
    const errors: number[] = [];
    informer.onChange((c) => {
      if (c.type === 'ERROR') errors.push(c.retryInMs);
    });
    await informer.start();
    lastWatch(fake.watches).end({ reason: 'failed', error: down });
    expect(errors).toEqual([100]);
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toEqual([100, 200]);
    await vi.advanceTimersByTimeAsync(200);
    expect(errors).toEqual([100, 200, 400]);
    await vi.advanceTimersByTimeAsync(400);
    expect(fake.lists()).toBe(4);
    expect(informer.items().map((d) => d.metadata.name)).toEqual(['order']);
    expect(lastWatch(fake.watches).resourceVersion).toBe('9');

    vi.advanceTimersByTime(5000);
    lastWatch(fake.watches).end({ reason: 'failed', error: down });
    expect(errors.at(-1)).toBe(100);
    informer.stop();
  });

  it('backs off instead of looping when a fresh watch is gone again at once', async () => {
    const fake = fakeSource([{ items: [], resourceVersion: '7' }]);
    const informer = createInformer(fake.source, { backoff: { initialMs: 100 } });
    const errors: InformerChange<KubeObject>[] = [];
    informer.onChange((c) => c.type === 'ERROR' && errors.push(c));
    await informer.start();
    lastWatch(fake.watches).end({ reason: 'gone' });
    await vi.waitFor(() => expect(fake.watches).toHaveLength(2));
    lastWatch(fake.watches).end({ reason: 'gone' });
    expect(errors).toHaveLength(1);
    expect(fake.lists()).toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(fake.lists()).toBe(3);
    informer.stop();
  });

  it('rejects start when the first list fails, and stops for good', async () => {
    const forbidden = new AppError('CG_KUBE_FORBIDDEN', 'forbidden');
    const fake = fakeSource([forbidden]);
    const informer = createInformer(fake.source);
    await expect(informer.start()).rejects.toBe(forbidden);
    expect(fake.watches).toHaveLength(0);
  });

  it('stops watching and retrying when stopped', async () => {
    const fake = fakeSource([{ items: [], resourceVersion: '7' }]);
    const informer = createInformer(fake.source);
    await informer.start();
    const watch = lastWatch(fake.watches);
    informer.stop();
    expect(watch.stopped).toBe(true);
    watch.end({ reason: 'failed', error: new AppError('CG_KUBE_UNAVAILABLE', 'x') });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.lists()).toBe(1);
    expect(fake.watches).toHaveLength(1);
  });
});
