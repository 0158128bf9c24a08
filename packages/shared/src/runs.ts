import { z } from 'zod';
import { environmentNameSchema } from './environments';
import { errorCodeSchema } from './errors';
import { runStatusSchema } from './run-state';
import { probePhaseSchema, validationRulesSchema } from './runs-rules';

export * from './runs-duration';
export * from './runs-rules';
export * from './runs-unmanaged';

/**
 * The experiment-runs API contract: composing (validate, preview), submitting, executing,
 * aborting and watching runs, plus the chaos objects chaosgate did not create. The API parses
 * with these schemas and the SPA types its client from them.
 */

/** Largest manifest text accepted by validate/preview/submit (bytes of UTF-8). */
export const MANIFEST_MAX_BYTES = 64 * 1024;
/** The only API group/version chaosgate applies. */
export const CHAOS_API_VERSION = 'chaos-mesh.org/v1alpha1';

/** Labels and annotations chaosgate puts on every object it applies. */
export const RUN_LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  runId: 'chaosgate.dev/run-id',
  environment: 'chaosgate.dev/environment',
  submittedBy: 'chaosgate.dev/submitted-by',
} as const;
export const MANAGED_BY_VALUE = 'chaosgate';

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex');

// ---------------------------------------------------------------------------------------------
// composing: validate, preview, submit

export const composeRequestSchema = z.object({
  environment: environmentNameSchema,
  /** YAML or JSON text of exactly one chaos-mesh.org object. */
  manifest: z.string().min(1),
  rules: validationRulesSchema.optional(),
  /** Human name of the run; defaults to the manifest's `metadata.name`, else its kind. */
  name: z.string().min(1).max(128).optional(),
});
export type ComposeRequest = z.input<typeof composeRequestSchema>;

/**
 * One problem with a composed experiment. `path` is a JSON path into the manifest
 * (`spec.selector.namespaces[0]`) or into the rules (`rules.http[0].url`); `$` is the whole text.
 */
export const manifestIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
  code: errorCodeSchema,
});
export type ManifestIssue = z.infer<typeof manifestIssueSchema>;

/** `POST /api/runs/validate`: always 200; problems are listed for inline display. */
export const validateResponseSchema = z.object({
  valid: z.boolean(),
  errors: z.array(manifestIssueSchema),
  warnings: z.array(z.string()),
});
export type ValidateResponse = z.infer<typeof validateResponseSchema>;

/** `POST /api/runs/preview`: the exact manifest chaosgate will apply and its hash. */
export const previewResponseSchema = z.object({
  manifest: z.record(z.string(), z.unknown()),
  yaml: z.string(),
  /** SHA-256 of the RFC 8785 canonical JSON of `manifest`; submit and execute must echo it. */
  hash: sha256HexSchema,
  warnings: z.array(z.string()),
});
export type PreviewResponse = z.infer<typeof previewResponseSchema>;

/** `POST /api/runs`: a composed experiment plus the hash of the preview the user saw. */
export const createRunRequestSchema = composeRequestSchema.extend({
  /** Missing ⇒ 400 CG_PREVIEW_HASH_REQUIRED; different from the server's ⇒ 409 CG_PREVIEW_HASH_STALE. */
  previewHash: z.string().max(128).optional(),
});
export type CreateRunRequest = z.input<typeof createRunRequestSchema>;

export const executeRunRequestSchema = z.object({ previewHash: z.string().max(128).optional() });
export type ExecuteRunRequest = z.infer<typeof executeRunRequestSchema>;

export const abortRunRequestSchema = z.object({ reason: z.string().min(1).max(500).optional() });
export type AbortRunRequest = z.infer<typeof abortRunRequestSchema>;

/** A run id in a path; an id that is not a known run (UUID or not) answers 404 CG_RUN_NOT_FOUND. */
export const runParamsSchema = z.object({ id: z.string().min(1).max(64) });

// ---------------------------------------------------------------------------------------------
// runs as returned

export const expressionSelectorSchema = z.object({
  key: z.string(),
  operator: z.string(),
  values: z.array(z.string()).optional(),
});

/** Who one selector in the manifest reaches (a Workflow or Schedule may hold several). */
export const targetSummarySchema = z.object({
  /** JSON path of the selector in the manifest, e.g. `spec.selector`. */
  path: z.string(),
  mode: z.string().nullable(),
  value: z.string().nullable(),
  namespaces: z.array(z.string()),
  labelSelectors: z.record(z.string(), z.string()),
  expressionSelectors: z.array(expressionSelectorSchema),
  annotationSelectors: z.record(z.string(), z.string()),
  fieldSelectors: z.record(z.string(), z.string()),
  pods: z.record(z.string(), z.array(z.string())),
});
export type TargetSummary = z.infer<typeof targetSummarySchema>;

export const runDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  environment: z.string(),
  /** The target namespace (first of the selector's namespaces). */
  namespace: z.string(),
  kind: z.string(),
  /** `spec.action` (pod-kill, delay, …) or the Schedule/Workflow's inner type; null when none. */
  action: z.string().nullable(),
  status: runStatusSchema,
  createdBy: z.string(),
  approvedBy: z.string().nullable(),
  manifestHash: z.string(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  rejectedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Name of the custom resource in the chaos namespace. */
  crName: z.string().nullable(),
  targets: z.array(targetSummarySchema),
  /** `spec.duration` in seconds; null when the experiment has no duration (runs until aborted). */
  durationSeconds: z.number().nullable(),
});
export type RunDto = z.infer<typeof runDtoSchema>;

export const TIMELINE_EVENT_TYPES = ['status', 'probe', 'condition', 'kube', 'note'] as const;

/** One entry of a run's history: a status change, a probe result, a CR condition, … */
export const timelineEventSchema = z.object({
  id: z.string(),
  runId: z.string(),
  at: z.string(),
  type: z.enum(TIMELINE_EVENT_TYPES),
  message: z.string(),
  fromStatus: runStatusSchema.nullable(),
  toStatus: runStatusSchema.nullable(),
  actor: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const probeResultSchema = z.object({
  id: z.string(),
  probe: z.string(),
  probeType: z.enum(['http', 'prometheus']),
  phase: probePhaseSchema,
  ok: z.boolean(),
  at: z.string(),
  latencyMs: z.number().nullable(),
  /** The status code (HTTP) or sample value (Prometheus) seen; null when none came back. */
  observed: z.string().nullable(),
  message: z.string(),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;

/** One targeted pod as Chaos Mesh reports it in `status.experiment.containerRecords`. */
export const podRecordSchema = z.object({
  id: z.string(),
  namespace: z.string().nullable(),
  name: z.string(),
  phase: z.string(),
  selectorKey: z.string().nullable(),
  injectedCount: z.number(),
  recoveredCount: z.number(),
  lastEvent: z
    .object({
      type: z.string(),
      operation: z.string(),
      timestamp: z.string().nullable(),
      message: z.string().nullable(),
    })
    .nullable(),
});
export type PodRecord = z.infer<typeof podRecordSchema>;

export const crConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().nullable(),
});
export type CrCondition = z.infer<typeof crConditionSchema>;

export const runDetailDtoSchema = runDtoSchema.extend({
  manifest: z.record(z.string(), z.unknown()),
  yaml: z.string(),
  hash: z.string(),
  rules: validationRulesSchema,
  timeline: z.array(timelineEventSchema),
  probeResults: z.array(probeResultSchema),
  records: z.array(podRecordSchema),
  conditions: z.array(crConditionSchema),
});
export type RunDetailDto = z.infer<typeof runDetailDtoSchema>;

export const runListQuerySchema = z.object({
  environment: environmentNameSchema.optional(),
  status: runStatusSchema.optional(),
  createdBy: z.string().min(1).max(64).optional(),
  namespace: z.string().min(1).max(63).optional(),
  kind: z.string().min(1).max(63).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** Opaque; the `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type RunListQuery = z.input<typeof runListQuerySchema>;

export const runListResponseSchema = z.object({
  items: z.array(runDtoSchema),
  nextCursor: z.string().nullable(),
});
export type RunListResponse = z.infer<typeof runListResponseSchema>;

/**
 * Server-sent events of `GET /api/runs/:id/stream`: `run` carries a RunDto, `timeline` one
 * TimelineEvent, `records` the pod records and conditions. A `: heartbeat` comment every 15 s.
 */
export const RUN_STREAM_EVENTS = { run: 'run', timeline: 'timeline', records: 'records' } as const;
export const runStreamRecordsSchema = z.object({
  records: z.array(podRecordSchema),
  conditions: z.array(crConditionSchema),
});
export type RunStreamRecords = z.infer<typeof runStreamRecordsSchema>;
