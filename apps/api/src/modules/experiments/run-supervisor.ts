import type { Environment } from '@chaosgate/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Prisma } from '../../generated/prisma/client';
import type { PolicyService } from '../policy/policy.service';
import {
  awaitingApply,
  decideRun,
  observationChanged,
  observationEvents,
  observeCr,
  type RunVerdict,
} from './cr-observation';
import type { CrSource } from './cr-source';
import type { JsonObject } from './manifest-inspect';
import type { RunExecutor } from './run-executor';
import { foldProbeRound, readProbeState, runProbePhase } from './run-probes';
import type { RunTransitions } from './run-transitions';
import { readObservation, readRunConfig } from './runs.dto';
import type { RunRepository, RunRow } from './runs.repo';

export interface RunSupervisorDeps {
  runs: RunRepository;
  transitions: RunTransitions;
  executor: RunExecutor;
  policy: PolicyService;
  crs: CrSource;
  replicaId: string;
  leaseTtlMs: number;
  log: FastifyBaseLogger;
  /** Tells stream listeners that a run changed. */
  notify: (runId: string) => void;
}

/**
 * Supervises running runs. Each tick, for every running run whose lease this replica holds (a
 * guarded update on the run row; any replica takes over a lease its holder let expire), it maps
 * the CR's status onto the run (timeline, records, completion), runs the "during" probes on their
 * interval and aborts the run after too many consecutive failures. Status changes are still
 * compare-and-set, so even two supervisors could not end a run twice.
 */
export function createRunSupervisor(deps: RunSupervisorDeps) {
  const { runs, transitions, executor, log } = deps;
  const busy = new Set<string>();

  async function supervise(run: RunRow): Promise<void> {
    if (busy.has(run.id) || !run.crName || !run.startedAt) return;
    busy.add(run.id);
    try {
      if (!(await runs.claimLease(run.id, deps.replicaId, deps.leaseTtlMs))) return;
      const env = await deps.policy.getEnvironment(run.environment);
      const verdict = await observe(run, env);
      if (verdict.action !== 'continue') return await finish(run, env, verdict);
      await probeIfDue(run, env);
    } catch (err) {
      log.warn({ err, runId: run.id }, 'supervising a run failed; retrying on the next tick');
    } finally {
      busy.delete(run.id);
    }
  }

  async function observe(run: RunRow, env: Environment): Promise<RunVerdict> {
    const manifest = run.manifest as JsonObject;
    const reading = await deps.crs.read(env.name, env.chaosNamespace, {
      kind: run.kind,
      crName: run.crName ?? '',
      manifest,
    });
    const next = observeCr(reading.cr, reading.children);
    const prev = readObservation(run.crStatus);
    if (next.gone && awaitingApply(prev, run.startedAt ?? new Date(), new Date())) return { action: 'continue' };
    if (observationChanged(prev, next)) {
      const stored = await runs.updateWhile(run.id, 'running', { crStatus: next as unknown as Prisma.InputJsonObject });
      if (stored) for (const event of observationEvents(prev, next)) await runs.addEvent(run.id, event);
      deps.notify(run.id);
    }
    return decideRun(next, {
      kind: run.kind,
      durationSeconds: run.durationSeconds,
      startedAt: run.startedAt ?? new Date(),
      deadlineAt: run.deadlineAt ?? new Date(8.64e15),
      maxDurationSeconds: env.policy.maxDurationSeconds,
      now: new Date(),
    });
  }

  async function finish(run: RunRow, env: Environment, verdict: Exclude<RunVerdict, { action: 'continue' }>) {
    const to = verdict.action === 'complete' ? 'completed' : 'failed';
    const reason = verdict.action === 'complete' ? verdict.reason : verdict.reason;
    const changed = await transitions.change({
      run,
      from: 'running',
      to,
      actor: 'chaosgate',
      action: to === 'completed' ? 'run.complete' : 'run.fail',
      message: to === 'completed' ? `completed${reason ? `: ${reason}` : ''}` : `failed: ${reason}`,
      reason,
      data: { finishedAt: new Date(), leaseOwner: null },
    });
    if (!changed) return;
    deps.notify(run.id);
    await executor.removeCr(run, env, to === 'completed' ? 'run completed' : 'run failed');
    await afterProbes(run, env);
  }

  async function probeIfDue(run: RunRow, env: Environment): Promise<void> {
    const rules = readRunConfig(run.config).rules;
    const during = [...rules.http, ...rules.prometheus].filter((p) => p.phases.includes('during'));
    if (during.length === 0) return;
    const state = readProbeState(run.probeState);
    const last = state.lastRunAt ? Date.parse(state.lastRunAt) : (run.startedAt?.getTime() ?? 0);
    if (Date.now() - last < rules.intervalSeconds * 1000) return;
    const outcomes = await runProbePhase(runs, run.id, rules, 'during', env);
    const round = foldProbeRound(state, outcomes, rules.failureThreshold, new Date());
    await runs.updateWhile(run.id, 'running', { probeState: round.state as unknown as Prisma.InputJsonObject });
    deps.notify(run.id);
    if (!round.tripped) return;
    const reason = `probe ${round.tripped.probe} failed ${round.count} times in a row: ${round.tripped.message}`;
    const current = await runs.findById(run.id);
    if (current?.status !== 'running') return;
    await executor.abort(current, env, 'chaosgate', reason, null);
    await afterProbes(current, env);
  }

  /** The "after" probes of a finished run: recorded, never changing its status. */
  async function afterProbes(run: RunRow, env: Environment): Promise<void> {
    const rules = readRunConfig(run.config).rules;
    if (![...rules.http, ...rules.prometheus].some((p) => p.phases.includes('after'))) return;
    await runProbePhase(runs, run.id, rules, 'after', env);
    deps.notify(run.id);
  }

  return {
    supervise,
    /** One pass over every running run. */
    async tick(): Promise<void> {
      const running = await runs.listByStatus('running');
      await Promise.all(running.map((run) => supervise(run)));
    },
    /** Looks at one run now (after an execute, or when its CR changed). */
    async wake(runId: string): Promise<void> {
      const run = await runs.findById(runId);
      if (run?.status === 'running') await supervise(run);
    },
  };
}

export type RunSupervisor = ReturnType<typeof createRunSupervisor>;
