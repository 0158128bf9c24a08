import type { Environment, ProbePhase, ValidationRules } from '@chaosgate/shared';
import { checkProbes, type ProbeOutcome } from './probe-runner';
import type { RunRepository } from './runs.repo';

/** Checks the probes of one phase and records each verdict as a probe result and a timeline entry. */
export async function runProbePhase(
  runs: RunRepository,
  runId: string,
  rules: ValidationRules,
  phase: ProbePhase,
  env: Environment,
): Promise<ProbeOutcome[]> {
  const outcomes = await checkProbes(rules, phase, env.policy.probeAllowList);
  for (const o of outcomes) {
    await runs.addProbeResult({
      runId,
      probe: o.probe,
      probeType: o.probeType,
      phase: o.phase,
      ok: o.ok,
      latencyMs: o.latencyMs,
      observed: o.observed,
      message: o.message,
    });
    await runs.addEvent(runId, {
      type: 'probe',
      message: `${phase} probe ${o.probe}: ${o.ok ? 'passed' : 'failed'} (${o.message})`,
      actor: 'chaosgate',
      details: { probe: o.probe, phase, ok: o.ok, observed: o.observed, latencyMs: o.latencyMs },
    });
  }
  return outcomes;
}

/** Consecutive failures per probe, and when the "during" probes last ran. */
export interface ProbeState {
  lastRunAt: string | null;
  failures: Record<string, number>;
}

export function readProbeState(value: unknown): ProbeState {
  const v = (value ?? {}) as Partial<ProbeState>;
  return { lastRunAt: typeof v.lastRunAt === 'string' ? v.lastRunAt : null, failures: { ...(v.failures ?? {}) } };
}

/**
 * Folds one round of "during" verdicts into the failure counters (a pass resets a probe's count)
 * and names the first probe that reached `threshold` consecutive failures, if any.
 */
export function foldProbeRound(
  state: ProbeState,
  outcomes: readonly ProbeOutcome[],
  threshold: number,
  at: Date,
): { state: ProbeState; tripped: ProbeOutcome | null; count: number } {
  const failures = { ...state.failures };
  let tripped: ProbeOutcome | null = null;
  let count = 0;
  for (const o of outcomes) {
    failures[o.probe] = o.ok ? 0 : (failures[o.probe] ?? 0) + 1;
    if (!tripped && (failures[o.probe] ?? 0) >= threshold) {
      tripped = o;
      count = failures[o.probe] ?? 0;
    }
  }
  return { state: { lastRunAt: at.toISOString(), failures }, tripped, count };
}
