import type { Environment, RunStatus } from '@chaosgate/shared';
import { AppError } from '../../errors';
import type { Prisma } from '../../generated/prisma/client';
import type { KubeObject } from '../../kube';
import type { KubeAccess } from '../../plugins/kube';
import { observeCr } from './cr-observation';
import type { JsonObject } from './manifest-inspect';
import type { PodCache } from './pod-cache';
import { applyRunManifest, crLocationOf, deleteRunCr } from './run-cluster';
import { runProbePhase } from './run-probes';
import { followRecovery } from './run-recovery';
import { assertTransition, type RunTransitions } from './run-transitions';
import { readRunConfig } from './runs.dto';
import type { RunRepository, RunRow } from './runs.repo';

export interface RunExecutorDeps {
  runs: RunRepository;
  transitions: RunTransitions;
  kube: KubeAccess;
  /** This replica's name, the first holder of a started run's supervision lease. */
  replicaId: string;
  /** Wakes the supervisor for a run whose state just changed. */
  wake: (runId: string) => void;
  /** How long a supervision lease lasts before another replica may take the run over. */
  leaseTtlMs: number;
  pods: PodCache;
  /** Runs follow-up work (recovery notes) that the module waits for on shutdown. */
  background: (work: Promise<unknown>) => void;
  /** True once the app is closing: background work stops early. */
  isClosing: () => boolean;
}

/** Extra seconds a run with its own duration gets for Chaos Mesh to recover its targets. */
export const RECOVERY_GRACE_SECONDS = 60;

/** When chaosgate stops the run whatever the CR says. */
export function deadlineOf(startedAt: Date, durationSeconds: number | null, env: Environment): Date {
  const seconds = durationSeconds === null ? env.policy.maxDurationSeconds : durationSeconds + RECOVERY_GRACE_SECONDS;
  return new Date(startedAt.getTime() + seconds * 1000);
}

/** A stable advisory-lock key for one CR name in one environment. */
function crLockKey(environment: string, crName: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${environment}/${crName}`) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 0x01000193);
  return h | 0;
}

/**
 * Starts and stops runs on the cluster. Starting: compare-and-set approved → running (only one
 * caller wins, however many click), the "before" probes, then the server-side apply of the stored
 * manifest. Any failure after the status change ends the run as `failed` with the reason.
 */
export function createRunExecutor(deps: RunExecutorDeps) {
  const { runs, transitions } = deps;

  async function fail(run: RunRow, reason: string, requestId?: string | null): Promise<void> {
    await transitions.change({
      run,
      from: 'running',
      to: 'failed',
      actor: 'chaosgate',
      action: 'run.fail',
      message: `failed: ${reason}`,
      reason,
      data: { finishedAt: new Date(), leaseOwner: null },
      requestId,
    });
  }

  /**
   * Starts an approved run. Returns the run as it now stands when it is running, or null when it
   * ended at once (a failed pre-check or apply: read it back for the reason).
   */
  async function start(run: RunRow, env: Environment, actor: string, requestId: string): Promise<RunRow | null> {
    assertTransition(run.id, run.status, 'approved', 'running');
    // Pods may have scaled since the run was submitted; an unreachable cluster refuses (503)
    // before anything changes.
    const gateway = await deps.kube.forEnvironment(env.name);
    const count = await deps.pods.countSelected(gateway, run.manifest as JsonObject);
    if (count > env.policy.maxPods) {
      throw new AppError(
        'CG_POLICY_LIMIT_EXCEEDED',
        `the selectors now reach ${count} pods; ${env.name} allows at most ${env.policy.maxPods}`,
      );
    }
    const startedAt = new Date();
    await transitions.changeOrThrow(run.status, {
      run,
      from: 'approved',
      to: 'running',
      actor,
      action: 'run.execute',
      requestId,
      message: `executed by ${actor}`,
      data: {
        startedAt,
        updatedAt: startedAt,
        deadlineAt: deadlineOf(startedAt, run.durationSeconds, env),
        leaseOwner: deps.replicaId,
        leaseExpiresAt: new Date(startedAt.getTime() + deps.leaseTtlMs),
      },
      guard: async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${crLockKey(env.name, run.crName ?? run.id)})`;
        const twin = await tx.experimentRun.findFirst({
          where: { environment: env.name, crName: run.crName, status: 'running', id: { not: run.id } },
          select: { id: true },
        });
        if (twin)
          throw new AppError('CG_RUN_CONFLICT', `the identical run ${twin.id} is running; abort it first`, {
            runId: twin.id,
          });
      },
    });
    const running: RunRow = { ...run, status: 'running', startedAt, updatedAt: startedAt };
    return (await launch(running, env, requestId)) ? running : null;
  }

  /** The probes and the apply of a run that just became running; false when it ended instead. */
  async function launch(run: RunRow, env: Environment, requestId: string): Promise<boolean> {
    const rules = readRunConfig(run.config).rules;
    const before = await runProbePhase(runs, run.id, rules, 'before', env);
    const failed = before.find((o) => !o.ok);
    if (failed) return end(run, `pre-check probe ${failed.probe} failed: ${failed.message}`, requestId);
    // An abort may have come in while the probes ran: then nothing is applied.
    if (before.length > 0 && (await runs.findById(run.id))?.status !== 'running') return false;
    let applied: KubeObject;
    try {
      applied = await applyRunManifest(await deps.kube.forEnvironment(env.name), run.manifest as KubeObject);
    } catch (err) {
      return end(run, `apply failed: ${(err as Error).message}`, requestId);
    }
    if (applied.metadata.deletionTimestamp) {
      const reason = `${run.crName} from an earlier run is still terminating (finalizers); retry once it is gone`;
      return end(run, reason, requestId);
    }
    await runs.updateWhile(run.id, 'running', { crStatus: observeCr(applied) as unknown as Prisma.InputJsonObject });
    await runs.addEvent(run.id, {
      type: 'kube',
      actor: 'chaosgate',
      message: `applied ${run.kind} ${env.chaosNamespace}/${run.crName}`,
      details: { uid: applied.metadata.uid ?? null, resourceVersion: applied.metadata.resourceVersion ?? null },
    });
    deps.wake(run.id);
    return true;
  }

  /** Ends a run that could not start as failed; always false (it is not running). */
  async function end(run: RunRow, reason: string, requestId: string): Promise<false> {
    await fail(run, reason, requestId);
    deps.wake(run.id);
    return false;
  }

  /**
   * Aborts an approved or running run (compare-and-set), then deletes its CR so Chaos Mesh
   * recovers the targets. A CR that cannot be deleted now is left to the reconciler.
   */
  async function abort(run: RunRow, env: Environment, actor: string, reason: string, requestId: string | null) {
    const from: RunStatus = run.status === 'approved' ? 'approved' : 'running';
    await transitions.changeOrThrow(run.status, {
      run,
      from,
      to: 'aborted',
      actor,
      action: 'run.abort',
      requestId,
      message: `aborted by ${actor}: ${reason}`,
      reason,
      data: { finishedAt: new Date(), leaseOwner: null },
    });
    if (from === 'running') await removeCr(run, env, 'abort');
    deps.wake(run.id);
  }

  /** Deletes a finished run's CR and notes what happened in its timeline. */
  async function removeCr(run: RunRow, env: Environment, why: string): Promise<void> {
    const at = crLocationOf(run, env.chaosNamespace);
    if (!at) return;
    try {
      const gateway = await deps.kube.forEnvironment(env.name);
      const result = await deleteRunCr(gateway, at);
      const message = {
        deleted: `deleted ${at.kind} ${at.namespace}/${at.name} (${why})`,
        terminating: `deleting ${at.kind} ${at.namespace}/${at.name} (${why}); Chaos Mesh is recovering the targets`,
        absent: `${at.kind} ${at.namespace}/${at.name} was already gone (${why})`,
      }[result];
      await runs.addEvent(run.id, { type: 'kube', actor: 'chaosgate', message, details: { result } });
      if (result === 'terminating') {
        deps.background(followRecovery(runs, gateway, run.id, at, { isStopped: deps.isClosing }));
      }
    } catch (err) {
      await runs.addEvent(run.id, {
        type: 'kube',
        actor: 'chaosgate',
        message: `could not delete ${at.kind} ${at.namespace}/${at.name}: ${(err as Error).message}; the reconciler retries`,
      });
    }
  }

  return { start, abort, fail, removeCr };
}

export type RunExecutor = ReturnType<typeof createRunExecutor>;
