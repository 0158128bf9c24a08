import { formatGoDuration, type PodRecord } from '@chaosgate/shared';
import type { KubeObject } from '../../kube';
import { asObject } from './manifest-inspect';
import type { CrObservation } from './runs.dto';
import type { RunEventInput } from './runs.repo';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function toRecord(value: unknown, prefix: string): PodRecord | null {
  const r = asObject(value);
  if (!r || typeof r.id !== 'string') return null;
  const parts = r.id.split('/');
  const events = Array.isArray(r.events) ? r.events.map(asObject).filter((e) => e !== null) : [];
  const last = events.at(-1);
  return {
    id: prefix ? `${prefix}:${r.id}` : r.id,
    namespace: parts.length >= 2 ? (parts[0] ?? null) : null,
    name: parts.length >= 2 ? parts.slice(1).join('/') : r.id,
    phase: str(r.phase) ?? 'Unknown',
    selectorKey: str(r.selectorKey),
    injectedCount: num(r.injectedCount),
    recoveredCount: num(r.recoveredCount),
    lastEvent: last
      ? {
          type: str(last.type) ?? '',
          operation: str(last.operation) ?? '',
          timestamp: str(last.timestamp),
          message: str(last.message),
        }
      : null,
  };
}

function recordsOf(object: KubeObject, prefix: string): PodRecord[] {
  const experiment = asObject(asObject(object.status)?.experiment);
  const records = Array.isArray(experiment?.containerRecords) ? experiment.containerRecords : [];
  return records.map((r) => toRecord(r, prefix)).filter((r): r is PodRecord => r !== null);
}

/**
 * What a run's custom resource says now: its conditions, its per-pod records (for a Schedule or
 * Workflow, the records of the chaos objects it spawned, prefixed with their names) and whether
 * it is being deleted or gone.
 */
export function observeCr(cr: KubeObject | null, children: readonly KubeObject[] = []): CrObservation {
  if (!cr) {
    return { resourceVersion: null, conditions: [], records: [], desiredPhase: null, deleting: false, gone: true };
  }
  const status = asObject(cr.status) ?? {};
  const conditions = (Array.isArray(status.conditions) ? status.conditions : [])
    .map(asObject)
    .filter((c) => c !== null && typeof c.type === 'string')
    .map((c) => ({ type: String(c?.type), status: str(c?.status) ?? 'Unknown', reason: str(c?.reason) || null }));
  const childRecords = children.flatMap((c) => recordsOf(c, c.metadata.name ?? ''));
  return {
    resourceVersion: cr.metadata.resourceVersion ?? null,
    conditions,
    records: [...recordsOf(cr, ''), ...childRecords],
    desiredPhase: str(asObject(status.experiment)?.desiredPhase),
    deleting: Boolean(cr.metadata.deletionTimestamp),
    gone: false,
  };
}

/** Timeline entries for what changed between two observations: conditions, deletion, disappearance. */
export function observationEvents(prev: CrObservation, next: CrObservation): RunEventInput[] {
  const events: RunEventInput[] = [];
  const before = new Map(prev.conditions.map((c) => [c.type, c.status]));
  for (const c of next.conditions) {
    if (before.get(c.type) === c.status || (before.get(c.type) === undefined && c.status === 'False')) continue;
    events.push({
      type: 'condition',
      message: `${c.type}: ${c.status}${c.reason ? ` (${c.reason})` : ''}`,
      actor: 'chaos-mesh',
      details: { condition: c.type, status: c.status, reason: c.reason },
    });
  }
  if (next.deleting && !prev.deleting) {
    events.push({
      type: 'kube',
      message: 'the CR is being deleted; waiting for Chaos Mesh to recover the targets',
      actor: 'chaos-mesh',
    });
  }
  if (next.gone && !prev.gone) events.push({ type: 'kube', message: 'the CR is gone', actor: 'chaos-mesh' });
  return events;
}

/** Whether two observations differ in anything a viewer sees. */
export function observationChanged(prev: CrObservation, next: CrObservation): boolean {
  return JSON.stringify({ ...prev, resourceVersion: null }) !== JSON.stringify({ ...next, resourceVersion: null });
}

const condition = (obs: CrObservation, type: string) => obs.conditions.find((c) => c.type === type)?.status;

/** How long after a run starts its CR may still be missing (the "before" probes run first). */
export const APPLY_GRACE_MS = 60_000;

/**
 * True while a missing CR only means "not applied yet": it was never observed and the run started
 * less than `APPLY_GRACE_MS` ago. Then a missing CR must not end the run.
 */
export function awaitingApply(prev: CrObservation, startedAt: Date, now: Date): boolean {
  return prev.resourceVersion === null && now.getTime() - startedAt.getTime() < APPLY_GRACE_MS;
}

export interface RunClock {
  kind: string;
  /** `spec.duration` (0 for one-shot actions), or null when open-ended. */
  durationSeconds: number | null;
  startedAt: Date;
  deadlineAt: Date;
  maxDurationSeconds: number;
  now: Date;
}

/** What the supervisor does with a running run after an observation. */
export type RunVerdict =
  | { action: 'continue' }
  | { action: 'complete'; reason: string | null }
  | { action: 'fail'; reason: string };

/**
 * Maps an observation to the run's fate, as Chaos Mesh defines "finished": a one-shot action is
 * done once every target is injected; a timed fault once its duration passed and every target is
 * recovered; a Workflow once it is Accomplished. Past its deadline chaosgate stops the run: an
 * open-ended one completes, a timed one that never recovered fails. A CR deleted by someone else
 * fails the run, unless its duration had passed.
 */
export function decideRun(obs: CrObservation, clock: RunClock): RunVerdict {
  const elapsed = (clock.now.getTime() - clock.startedAt.getTime()) / 1000;
  const timeUp = clock.durationSeconds !== null && elapsed >= clock.durationSeconds;
  if (obs.gone) {
    return timeUp
      ? { action: 'complete', reason: 'the CR was removed after its duration' }
      : { action: 'fail', reason: 'the CR was deleted outside chaosgate' };
  }
  if (clock.kind === 'Workflow' && condition(obs, 'Accomplished') === 'True')
    return { action: 'complete', reason: null };
  if (clock.durationSeconds === 0 && condition(obs, 'AllInjected') === 'True')
    return { action: 'complete', reason: null };
  if (timeUp && clock.durationSeconds !== 0 && clock.kind !== 'Workflow') {
    if (obs.records.length === 0 && condition(obs, 'Selected') !== 'True' && obs.conditions.length > 0) {
      return { action: 'complete', reason: 'no target was selected' };
    }
    const recovered = obs.records.every((r) => r.phase !== 'Injected');
    if (recovered && obs.desiredPhase !== 'Run') return { action: 'complete', reason: null };
  }
  if (clock.now >= clock.deadlineAt) {
    return clock.durationSeconds === null
      ? {
          action: 'complete',
          reason: `stopped after the environment's maximum of ${formatGoDuration(clock.maxDurationSeconds)}`,
        }
      : { action: 'fail', reason: 'the targets did not recover in time after the duration' };
  }
  return { action: 'continue' };
}
