import {
  type createRunRequestSchema,
  type Environment,
  hasRole,
  type RunDetailDto,
  type RunDto,
  type RunListResponse,
  type runListQuerySchema,
  type User,
} from '@chaosgate/shared';
import type { z } from 'zod';
import { AppError } from '../../errors';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { AuditRepository } from '../audit/audit.repo';
import type { PolicyService } from '../policy/policy.service';
import type { ComposeOutcome, ComposerService } from './composer.service';
import { actionOf, inspectManifest, summarizeTargets } from './manifest-inspect';
import { runLimitSeconds } from './manifest-policy';
import type { RenderedManifest } from './manifest-render';
import type { RunExecutor } from './run-executor';
import { toRunDetailDto, toRunDto } from './runs.dto';
import type { RunRepository, RunRow } from './runs.repo';
import { decodeCursor, encodeCursor, UUID } from './runs-cursor';

export type CreateRunBody = z.output<typeof createRunRequestSchema>;
export type RunListQueryParsed = z.output<typeof runListQuerySchema>;

export interface RunServiceDeps {
  prisma: PrismaClient;
  runs: RunRepository;
  audit: AuditRepository;
  policy: PolicyService;
  composer: ComposerService;
  executor: RunExecutor;
}

/** Who a request comes from, for the rules and the audit trail. */
export interface RequestContext {
  user: User;
  requestId: string;
}

function requirePreviewHash(hash: string | undefined, expected: string | null): void {
  if (!hash) throw new AppError('CG_PREVIEW_HASH_REQUIRED', 'send the hash of the preview you reviewed (previewHash)');
  if (hash !== expected) {
    throw new AppError('CG_PREVIEW_HASH_STALE', 'the manifest changed since that preview; preview it again', {
      expected,
      given: hash,
    });
  }
}

function mayExecute(user: User, run: RunRow, env: Environment): boolean {
  return (
    hasRole(user, ...env.policy.executeRoles) || (env.policy.submitterMayExecute && run.createdBy === user.username)
  );
}

/** The columns of a new run, all derived from the rendered manifest. */
function newRunRow(ctx: RequestContext, body: CreateRunBody, outcome: ComposeOutcome, rendered: RenderedManifest) {
  const env = outcome.environment;
  const shape = inspectManifest(rendered.manifest);
  const targets = summarizeTargets(shape);
  const sourceName = (outcome.source?.metadata as { name?: unknown } | undefined)?.name;
  return {
    name: body.name ?? (typeof sourceName === 'string' ? sourceName : String(rendered.manifest.kind)),
    config: { source: body.manifest, rules: outcome.rules } as Prisma.InputJsonObject,
    status: 'draft' as const,
    createdBy: ctx.user.username,
    environment: env.name,
    namespace: targets[0]?.namespaces[0] ?? env.targetNamespaces[0] ?? env.chaosNamespace,
    kind: String(rendered.manifest.kind),
    action: actionOf(rendered.manifest, shape),
    manifest: rendered.manifest as Prisma.InputJsonObject,
    manifestHash: rendered.hash,
    manifestYaml: rendered.yaml,
    crName: rendered.crName,
    targets: targets as unknown as Prisma.InputJsonArray,
    durationSeconds: runLimitSeconds(rendered.manifest, shape),
    submittedAt: new Date(),
  };
}

/**
 * The rules of experiment runs: who may submit, execute and abort where, that what is submitted
 * and executed is what was previewed, and that every status change follows the state machine.
 */
export function createRunService(deps: RunServiceDeps) {
  const { runs, audit, policy, composer, executor } = deps;

  async function load(id: string): Promise<RunRow> {
    const run = UUID.test(id) ? await runs.findById(id) : null;
    if (!run) throw new AppError('CG_RUN_NOT_FOUND', `no run ${id}`);
    return run;
  }

  /** Records the run as a draft and moves it on as the environment's approval mode says. */
  function record(ctx: RequestContext, env: Environment, data: ReturnType<typeof newRunRow>): Promise<RunRow> {
    return deps.prisma.$transaction(async (tx) => {
      const run = await runs.create(data, tx);
      const audited = (actor: string, action: string, details: Record<string, unknown>) =>
        audit.appendIn(tx, {
          actor,
          action,
          details,
          targetType: 'run',
          targetId: run.id,
          environment: env.name,
          manifestHash: run.manifestHash,
          requestId: ctx.requestId,
        });
      const user = ctx.user.username;
      await runs.addEvent(
        run.id,
        { type: 'status', message: `submitted by ${user}`, toStatus: 'draft', actor: user },
        tx,
      );
      await audited(user, 'run.submit', { kind: run.kind, crName: run.crName });
      const auto = env.policy.approval === 'none';
      const to = auto ? 'approved' : 'pending_approval';
      const message = auto
        ? `auto-approved: ${env.name} needs no approval`
        : `waiting for approval (${env.policy.approval})`;
      const approved = auto ? { approvedAt: new Date() } : {};
      await runs.transition(
        { id: run.id, from: 'draft', to, data: approved, event: { message, actor: 'chaosgate' } },
        tx,
      );
      await audited('chaosgate', auto ? 'run.approve' : 'run.request_approval', {
        from: 'draft',
        to,
        approval: env.policy.approval,
      });
      return (await runs.findById(run.id, tx)) as RunRow;
    });
  }

  return {
    async createRun(ctx: RequestContext, body: CreateRunBody): Promise<RunDto> {
      const env = await policy.getEnvironment(body.environment);
      if (!hasRole(ctx.user, ...env.policy.submitRoles)) {
        throw new AppError(
          'CG_AUTH_FORBIDDEN_ROLE',
          `submitting in ${env.name} needs one of: ${env.policy.submitRoles.join(', ')}`,
        );
      }
      if (!body.previewHash) requirePreviewHash(undefined, null);
      const outcome = await composer.composeOrThrow(ctx.user, body);
      requirePreviewHash(body.previewHash, outcome.rendered.hash);
      return toRunDto(await record(ctx, env, newRunRow(ctx, body, outcome, outcome.rendered)));
    },

    async listRuns(q: RunListQueryParsed): Promise<RunListResponse> {
      const rows = await runs.list(q, q.limit, q.cursor ? decodeCursor(q.cursor) : undefined);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map(toRunDto),
        nextCursor: rows.length > q.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
      };
    },

    async getRun(id: string): Promise<RunDetailDto> {
      const run = await load(id);
      const [events, probes] = await Promise.all([runs.listEvents(run.id), runs.listProbeResults(run.id)]);
      return toRunDetailDto(run, events, probes);
    },

    async getRunDto(id: string): Promise<RunDto> {
      return toRunDto(await load(id));
    },

    async executeRun(ctx: RequestContext, id: string, previewHash: string | undefined): Promise<RunDto> {
      const run = await load(id);
      const env = await policy.getEnvironment(run.environment);
      if (!mayExecute(ctx.user, run, env)) {
        throw new AppError(
          'CG_AUTH_FORBIDDEN_ROLE',
          `executing in ${env.name} needs one of: ${env.policy.executeRoles.join(', ')}`,
        );
      }
      requirePreviewHash(previewHash, run.manifestHash);
      const running = await executor.start(run, env, ctx.user.username, ctx.requestId);
      return toRunDto(running ?? (await load(id)));
    },

    async abortRun(ctx: RequestContext, id: string, reason: string | undefined): Promise<RunDto> {
      const run = await load(id);
      const env = await policy.getEnvironment(run.environment);
      const allowed =
        run.createdBy === ctx.user.username || hasRole(ctx.user, 'sre', 'oncall', ...env.policy.executeRoles);
      if (!allowed)
        throw new AppError('CG_AUTH_FORBIDDEN_ROLE', 'only the submitter, an SRE or on-call may abort a run');
      await executor.abort(run, env, ctx.user.username, reason ?? `aborted by ${ctx.user.username}`, ctx.requestId);
      return toRunDto(await load(id));
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;
