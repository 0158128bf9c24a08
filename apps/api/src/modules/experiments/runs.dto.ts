import {
  type CrCondition,
  crConditionSchema,
  type PodRecord,
  type ProbeResult,
  podRecordSchema,
  type RunDetailDto,
  type RunDto,
  type TargetSummary,
  type TimelineEvent,
  targetSummarySchema,
  validationRulesSchema,
} from '@chaosgate/shared';
import { z } from 'zod';
import type { ProbeResultRow, RunEventRow, RunRow } from './runs.repo';

/** A run row as lists load it: the columns of a RunDto, the large JSON columns left out. */
export type RunListRow = Pick<
  RunRow,
  | 'id'
  | 'name'
  | 'status'
  | 'createdBy'
  | 'approvedBy'
  | 'environment'
  | 'namespace'
  | 'kind'
  | 'manifestHash'
  | 'reason'
  | 'createdAt'
  | 'updatedAt'
  | 'submittedAt'
  | 'approvedAt'
  | 'rejectedAt'
  | 'startedAt'
  | 'finishedAt'
  | 'action'
  | 'crName'
  | 'targets'
  | 'durationSeconds'
>;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

const targetsSchema = z.array(targetSummarySchema);

/** The last observed status of a run's custom resource, as stored in `cr_status`. */
export const crObservationSchema = z.object({
  resourceVersion: z.string().nullable().default(null),
  conditions: z.array(crConditionSchema).default([]),
  records: z.array(podRecordSchema).default([]),
  desiredPhase: z.string().nullable().default(null),
  deleting: z.boolean().default(false),
  gone: z.boolean().default(false),
});
export type CrObservation = z.infer<typeof crObservationSchema>;

export function readObservation(value: unknown): CrObservation {
  const parsed = crObservationSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : crObservationSchema.parse({});
}

/** The stored config of a run: the submitted text and its validation rules. */
export const runConfigSchema = z.object({ source: z.string(), rules: validationRulesSchema });
export type RunConfig = z.infer<typeof runConfigSchema>;

export function readRunConfig(value: unknown): RunConfig {
  const parsed = runConfigSchema.safeParse(value);
  return parsed.success ? parsed.data : { source: '', rules: validationRulesSchema.parse({}) };
}

function targetsOf(value: unknown): TargetSummary[] {
  const parsed = targetsSchema.safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** A run as every list and stream shows it. */
export function toRunDto(row: RunListRow): RunDto {
  return {
    id: row.id,
    name: row.name,
    environment: row.environment,
    namespace: row.namespace,
    kind: row.kind,
    action: row.action,
    status: row.status,
    createdBy: row.createdBy,
    approvedBy: row.approvedBy,
    manifestHash: row.manifestHash ?? '',
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    submittedAt: iso(row.submittedAt),
    approvedAt: iso(row.approvedAt),
    rejectedAt: iso(row.rejectedAt),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    crName: row.crName,
    targets: targetsOf(row.targets),
    durationSeconds: row.durationSeconds,
  };
}

export function toTimelineEvent(row: RunEventRow): TimelineEvent {
  return {
    id: row.seq.toString(),
    runId: row.runId,
    at: row.at.toISOString(),
    type: row.type as TimelineEvent['type'],
    message: row.message,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    actor: row.actor,
    details: (row.details ?? {}) as Record<string, unknown>,
  };
}

export function toProbeResult(row: ProbeResultRow): ProbeResult {
  return {
    id: row.id,
    probe: row.probe,
    probeType: row.probeType === 'prometheus' ? 'prometheus' : 'http',
    phase: row.phase as ProbeResult['phase'],
    ok: row.ok,
    at: row.at.toISOString(),
    latencyMs: row.latencyMs,
    observed: row.observed,
    message: row.message,
  };
}

/** Everything the run detail page shows. */
export function toRunDetailDto(row: RunRow, events: RunEventRow[], probes: ProbeResultRow[]): RunDetailDto {
  const observation = readObservation(row.crStatus);
  return {
    ...toRunDto(row),
    manifest: (row.manifest ?? {}) as Record<string, unknown>,
    yaml: row.manifestYaml ?? '',
    hash: row.manifestHash ?? '',
    rules: readRunConfig(row.config).rules,
    timeline: events.map(toTimelineEvent),
    probeResults: probes.map(toProbeResult),
    records: observation.records satisfies PodRecord[],
    conditions: observation.conditions satisfies CrCondition[],
  };
}
