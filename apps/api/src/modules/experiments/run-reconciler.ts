import { type Environment, RUN_LABELS } from '@chaosgate/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { KubeGateway, KubeObject } from '../../kube';
import type { KubeAccess } from '../../plugins/kube';
import type { AuditRepository } from '../audit/audit.repo';
import type { PolicyService } from '../policy/policy.service';
import { discoverKinds } from './composer-cluster';
import { awaitingApply, decideRun, observeCr } from './cr-observation';
import { deleteRunCr, getRunCr } from './run-cluster';
import type { RunTransitions } from './run-transitions';
import { readObservation } from './runs.dto';
import type { RunRepository, RunRow } from './runs.repo';

export interface RunReconcilerDeps {
  runs: RunRepository;
  transitions: RunTransitions;
  audit: AuditRepository;
  policy: PolicyService;
  kube: KubeAccess;
  log: FastifyBaseLogger;
}

/** What one reconciliation repaired. */
export interface ReconcileReport {
  endedRuns: string[];
  deletedOrphans: string[];
}

/**
 * Repairs what happened while no chaosgate was watching: runs marked running whose CR is gone
 * end as completed (their duration had passed) or failed; CRs labelled with a chaosgate run key
 * but belonging to no running run are deleted, and the deletion audited. Everything it does is
 * compare-and-set or idempotent; callers still run it under an advisory lock so that replicas
 * starting together do not duplicate the work.
 */
export function createRunReconciler(deps: RunReconcilerDeps) {
  const { runs, transitions, log } = deps;

  async function endOrphanedRuns(env: Environment, gateway: KubeGateway, report: ReconcileReport): Promise<void> {
    for (const run of await runs.listByStatus('running', env.name)) {
      if (!run.crName || !run.startedAt) continue;
      if (awaitingApply(readObservation(run.crStatus), run.startedAt, new Date())) continue;
      const cr = await getRunCr(gateway, { kind: run.kind, namespace: env.chaosNamespace, name: run.crName });
      if (cr) continue;
      const verdict = decideRun(observeCr(null), {
        kind: run.kind,
        durationSeconds: run.durationSeconds,
        startedAt: run.startedAt,
        deadlineAt: run.deadlineAt ?? new Date(),
        maxDurationSeconds: env.policy.maxDurationSeconds,
        now: new Date(),
      });
      const to = verdict.action === 'complete' ? 'completed' : 'failed';
      const reason = `reconciler: ${verdict.action === 'continue' ? 'CR gone' : (verdict.reason ?? 'CR gone')}`;
      const changed = await transitions.change({
        run,
        from: 'running',
        to,
        actor: 'chaosgate',
        action: `run.${to === 'completed' ? 'complete' : 'fail'}`,
        message: `${to} (${reason})`,
        reason,
        data: { finishedAt: new Date(), leaseOwner: null },
      });
      if (changed) report.endedRuns.push(run.id);
    }
  }

  async function listLabelled(gateway: KubeGateway, namespace: string): Promise<KubeObject[]> {
    const kinds = (await discoverKinds(gateway)) ?? [];
    const lists = await Promise.all(
      kinds.map(async (kind) => {
        const ref = await gateway.chaosKind(kind);
        return (await gateway.list(ref, namespace, { labelSelector: RUN_LABELS.runId })).items;
      }),
    );
    return lists.flat();
  }

  async function deleteOrphanCrs(env: Environment, gateway: KubeGateway, report: ReconcileReport): Promise<void> {
    // CRs first, runs second: a run becomes running before its CR is applied, so a CR seen here
    // whose run is running is found below.
    const crs = (await listLabelled(gateway, env.chaosNamespace)).filter((o) => !o.metadata.deletionTimestamp);
    if (crs.length === 0) return;
    const running = new Set((await runs.listByStatus('running', env.name)).map((r: RunRow) => r.crName));
    for (const cr of crs) {
      const name = cr.metadata.name ?? '';
      if (running.has(name) || !cr.kind) continue;
      const result = await deleteRunCr(gateway, { kind: cr.kind, namespace: env.chaosNamespace, name });
      if (result === 'absent') continue;
      report.deletedOrphans.push(`${cr.kind}/${name}`);
      await deps.audit.append({
        actor: 'chaosgate',
        action: 'run.cr.orphan_deleted',
        targetType: 'chaos-object',
        targetId: `${env.chaosNamespace}/${cr.kind}/${name}`,
        environment: env.name,
        details: { kind: cr.kind, name, runKey: cr.metadata.labels?.[RUN_LABELS.runId] ?? null, result },
      });
    }
  }

  return {
    async reconcile(): Promise<ReconcileReport> {
      const report: ReconcileReport = { endedRuns: [], deletedOrphans: [] };
      if (!deps.kube.enabled) return report;
      const environments = await deps.policy.listEnvironments();
      // In parallel: one unreachable cluster must not hold up the others.
      await Promise.all(
        environments.map(async (env) => {
          try {
            const gateway = await deps.kube.forEnvironment(env.name);
            await endOrphanedRuns(env, gateway, report);
            await deleteOrphanCrs(env, gateway, report);
          } catch (err) {
            log.warn({ err, environment: env.name }, 'reconciling runs failed; retrying later');
          }
        }),
      );
      if (report.endedRuns.length + report.deletedOrphans.length > 0) log.info(report, 'runs reconciled');
      return report;
    },
  };
}

export type RunReconciler = ReturnType<typeof createRunReconciler>;
