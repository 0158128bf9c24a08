import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../kube';
import { awaitingApply, decideRun, observationEvents, observeCr, type RunClock } from './cr-observation';

const START = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);

function cr(status: Record<string, unknown>, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'chaos-mesh.org/v1alpha1',
    kind: 'PodChaos',
    metadata: { name: 'cg-x', resourceVersion: '7', ...extra },
    status,
  };
}

const conditions = (injected: boolean, recovered: boolean) => [
  { type: 'Selected', status: 'True' },
  { type: 'AllInjected', status: injected ? 'True' : 'False' },
  { type: 'AllRecovered', status: recovered ? 'True' : 'False' },
  { type: 'Paused', status: 'False' },
];
const record = (phase: string) => ({
  id: 'chaos-dev/order-1',
  selectorKey: '.',
  phase,
  injectedCount: 1,
  recoveredCount: phase === 'Injected' ? 0 : 1,
});

const clock = (over: Partial<RunClock>): RunClock => ({
  kind: 'PodChaos',
  durationSeconds: 30,
  startedAt: START,
  deadlineAt: at(90),
  maxDurationSeconds: 3600,
  now: at(1),
  ...over,
});

describe('observeCr', () => {
  it('reads conditions, records and the desired phase', () => {
    const obs = observeCr(
      cr({
        conditions: conditions(true, false),
        experiment: { desiredPhase: 'Run', containerRecords: [record('Injected')] },
      }),
    );
    expect(obs.records).toEqual([
      expect.objectContaining({
        id: 'chaos-dev/order-1',
        namespace: 'chaos-dev',
        name: 'order-1',
        phase: 'Injected',
        injectedCount: 1,
      }),
    ]);
    expect(obs.desiredPhase).toBe('Run');
    expect(obs.conditions).toHaveLength(4);
  });

  it('collects the records of spawned children', () => {
    const child = {
      ...cr({ experiment: { containerRecords: [record('Injected')] } }),
      metadata: { name: 'sched-abc' },
    };
    expect(observeCr(cr({}), [child]).records[0]?.id).toBe('sched-abc:chaos-dev/order-1');
  });

  it('marks a missing CR as gone', () => {
    expect(observeCr(null).gone).toBe(true);
  });
});

describe('observationEvents', () => {
  it('reports condition changes, deletion and disappearance once', () => {
    const a = observeCr(cr({ conditions: conditions(false, false) }));
    const b = observeCr(cr({ conditions: conditions(true, false) }));
    expect(observationEvents(a, b).map((e) => e.message)).toEqual(['AllInjected: True']);
    expect(observationEvents(b, b)).toEqual([]);
    const deleting = observeCr(
      cr({ conditions: conditions(true, false) }, { deletionTimestamp: '2026-01-01T00:00:10Z' }),
    );
    expect(observationEvents(b, deleting).map((e) => e.type)).toEqual(['kube']);
    expect(observationEvents(deleting, observeCr(null)).map((e) => e.message)).toEqual(['the CR is gone']);
  });

  it('does not report conditions that start out False', () => {
    expect(
      observationEvents(observeCr(cr({})), observeCr(cr({ conditions: conditions(false, false) }))).map(
        (e) => e.message,
      ),
    ).toEqual(['Selected: True']);
  });
});

describe('decideRun', () => {
  const injected = observeCr(
    cr({
      conditions: conditions(true, false),
      experiment: { desiredPhase: 'Run', containerRecords: [record('Injected')] },
    }),
  );
  const recovered = observeCr(
    cr({
      conditions: conditions(false, true),
      experiment: { desiredPhase: 'Stop', containerRecords: [record('Not Injected')] },
    }),
  );

  it('keeps a timed fault running until its duration passed and the targets recovered', () => {
    expect(decideRun(injected, clock({ now: at(10) }))).toEqual({ action: 'continue' });
    expect(decideRun(injected, clock({ now: at(31) }))).toEqual({ action: 'continue' });
    expect(decideRun(recovered, clock({ now: at(31) }))).toEqual({ action: 'complete', reason: null });
  });

  it('completes a one-shot action once every target is injected', () => {
    expect(decideRun(injected, clock({ durationSeconds: 0, now: at(1) }))).toEqual({
      action: 'complete',
      reason: null,
    });
  });

  it('completes a Workflow once it is accomplished', () => {
    const wf = observeCr(cr({ conditions: [{ type: 'Accomplished', status: 'True' }] }));
    expect(decideRun(wf, clock({ kind: 'Workflow', durationSeconds: 240, now: at(100) }))).toEqual({
      action: 'complete',
      reason: null,
    });
  });

  it('stops an open-ended run at its deadline and fails a timed one that never recovered', () => {
    expect(decideRun(injected, clock({ durationSeconds: null, now: at(90) }))).toEqual({
      action: 'complete',
      reason: "stopped after the environment's maximum of 1h",
    });
    expect(decideRun(injected, clock({ now: at(90) }))).toMatchObject({ action: 'fail' });
  });

  it('fails a run whose CR someone else deleted, unless its time was up', () => {
    expect(decideRun(observeCr(null), clock({ now: at(5) }))).toMatchObject({ action: 'fail' });
    expect(decideRun(observeCr(null), clock({ now: at(40) }))).toMatchObject({ action: 'complete' });
  });

  it('completes a timed run that selected nothing', () => {
    const none = observeCr(cr({ conditions: [{ type: 'Selected', status: 'False' }] }));
    expect(decideRun(none, clock({ now: at(31) }))).toEqual({ action: 'complete', reason: 'no target was selected' });
  });
});

describe('awaitingApply', () => {
  it('keeps a run whose CR was never seen alive for a minute after it started', () => {
    const never = observeCr(null);
    expect(awaitingApply({ ...never, gone: false }, START, at(5))).toBe(true);
    expect(awaitingApply(never, START, at(61))).toBe(false);
    expect(awaitingApply(observeCr(cr({})), START, at(5))).toBe(false);
  });
});
