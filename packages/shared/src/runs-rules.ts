import { z } from 'zod';

/**
 * Validation rules of a run (its steady-state hypothesis): HTTP probes and Prometheus queries,
 * checked before the fault is injected, during it (too many consecutive failures abort the run)
 * and after it. Part of the experiment-runs contract (`runs.ts`).
 */

/** When a probe is checked: before injection (gate), during (abort on failure), after (recovery). */
export const PROBE_PHASES = ['before', 'during', 'after'] as const;
export const probePhaseSchema = z.enum(PROBE_PHASES);
export type ProbePhase = z.infer<typeof probePhaseSchema>;

const probeNameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore');

/** An expected HTTP status: one code or an inclusive range such as `{ min: 200, max: 299 }`. */
export const expectStatusSchema = z.union([
  z.number().int().min(100).max(599),
  z
    .object({ min: z.number().int().min(100).max(599), max: z.number().int().min(100).max(599) })
    .refine((r) => r.min <= r.max, 'min must not exceed max'),
]);
export type ExpectStatus = z.infer<typeof expectStatusSchema>;

export const httpProbeSchema = z.object({
  name: probeNameSchema,
  /** Must start with one of the environment's `probeAllowList` prefixes. */
  url: z.string().url().max(2048),
  method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
  expectStatus: expectStatusSchema.default({ min: 200, max: 399 }),
  /** A slower answer counts as a failure. */
  maxLatencyMs: z.number().int().positive().max(60_000).optional(),
  timeoutMs: z.number().int().positive().max(30_000).default(2_000),
  phases: z.array(probePhaseSchema).min(1).default(['before', 'during', 'after']),
});
export type HttpProbe = z.infer<typeof httpProbeSchema>;

export const PROMETHEUS_COMPARISONS = ['<', '<=', '>', '>=', '==', '!='] as const;

export const prometheusProbeSchema = z.object({
  name: probeNameSchema,
  /** Prometheus base URL; defaults to the environment's Prometheus. Must be on the allow-list. */
  url: z.string().url().max(2048).optional(),
  /** PromQL; the first sample of the instant query is compared with `threshold`. */
  query: z.string().min(1).max(4096),
  comparison: z.enum(PROMETHEUS_COMPARISONS),
  threshold: z.number(),
  phases: z.array(probePhaseSchema).min(1).default(['before', 'during', 'after']),
});
export type PrometheusProbe = z.infer<typeof prometheusProbeSchema>;

export const validationRulesSchema = z.object({
  http: z.array(httpProbeSchema).max(20).default([]),
  prometheus: z.array(prometheusProbeSchema).max(20).default([]),
  /** Seconds between two "during" checks. */
  intervalSeconds: z.number().int().min(1).max(3600).default(10),
  /** This many consecutive failures of one probe during the run abort it. */
  failureThreshold: z.number().int().min(1).max(100).default(3),
});
/** Validation rules as stored and returned (defaults filled in). */
export type ValidationRules = z.infer<typeof validationRulesSchema>;
/** Validation rules as a client may send them (defaults optional). */
export type ValidationRulesInput = z.input<typeof validationRulesSchema>;
