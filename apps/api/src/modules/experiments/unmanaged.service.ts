import {
  MANAGED_BY_VALUE,
  RUN_LABELS,
  type StopUnmanagedResponse,
  type UnmanagedChaosObject,
  type UnmanagedListResponse,
} from '@chaosgate/shared';
import { AppError } from '../../errors';
import { CHAOS_MESH_GROUP, type KubeObject } from '../../kube';
import type { KubeAccess } from '../../plugins/kube';
import type { AuditRepository } from '../audit/audit.repo';
import type { PolicyService } from '../policy/policy.service';
import { discoverKinds } from './composer-cluster';
import { deleteRunCr } from './run-cluster';

export interface UnmanagedDeps {
  kube: KubeAccess;
  policy: PolicyService;
  audit: AuditRepository;
}

const isManaged = (o: KubeObject) => o.metadata.labels?.[RUN_LABELS.managedBy] === MANAGED_BY_VALUE;
/** Children of a Schedule or Workflow belong to their owner; stopping the owner stops them. */
const isChild = (o: KubeObject) =>
  (o.metadata.ownerReferences ?? []).some((r) => r.apiVersion.startsWith(`${CHAOS_MESH_GROUP}/`));

function toUnmanaged(o: KubeObject, namespace: string): UnmanagedChaosObject {
  return {
    kind: o.kind ?? '',
    name: o.metadata.name ?? '',
    namespace: o.metadata.namespace ?? namespace,
    createdAt: o.metadata.creationTimestamp ?? null,
    labels: o.metadata.labels ?? {},
    deletingSince: o.metadata.deletionTimestamp ?? null,
  };
}

/** Chaos objects in an environment's chaos namespace that chaosgate did not create, and stopping one. */
export function createUnmanagedService(deps: UnmanagedDeps) {
  async function kindsOf(envName: string) {
    const gateway = await deps.kube.forEnvironment(envName);
    const kinds = await discoverKinds(gateway);
    if (!kinds)
      throw new AppError('CG_KUBE_UNAVAILABLE', 'the cluster does not serve chaos-mesh.org (or cannot be reached)');
    return { gateway, kinds };
  }

  return {
    async list(envName: string): Promise<UnmanagedListResponse> {
      const env = await deps.policy.getEnvironment(envName);
      const { gateway, kinds } = await kindsOf(env.name);
      const lists = await Promise.all(
        kinds.map(async (kind) => (await gateway.list(await gateway.chaosKind(kind), env.chaosNamespace)).items),
      );
      const items = lists
        .flat()
        .filter((o) => !isManaged(o) && !isChild(o))
        .map((o) => toUnmanaged(o, env.chaosNamespace))
        .sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
      return { environment: env.name, namespace: env.chaosNamespace, items };
    },

    async stop(
      envName: string,
      kind: string,
      name: string,
      actor: string,
      requestId: string,
    ): Promise<StopUnmanagedResponse> {
      const env = await deps.policy.getEnvironment(envName);
      const { gateway, kinds } = await kindsOf(env.name);
      if (!kinds.includes(kind)) throw new AppError('CG_MANIFEST_NOT_CHAOS_KIND', `${kind} is not a Chaos Mesh kind`);
      const object = await gateway.get(await gateway.chaosKind(kind), env.chaosNamespace, name);
      if (isManaged(object)) {
        throw new AppError('CG_RUN_CONFLICT', `${kind} ${name} belongs to a chaosgate run; abort the run instead`, {
          runKey: object.metadata.labels?.[RUN_LABELS.runId] ?? null,
        });
      }
      const result = await deleteRunCr(gateway, { kind, namespace: env.chaosNamespace, name });
      await deps.audit.append({
        actor,
        action: 'unmanaged.stop',
        targetType: 'chaos-object',
        targetId: `${env.chaosNamespace}/${kind}/${name}`,
        environment: env.name,
        requestId,
        details: { kind, name, result },
      });
      return { stopped: { kind, name, namespace: env.chaosNamespace }, terminating: result === 'terminating' };
    },
  };
}

export type UnmanagedService = ReturnType<typeof createUnmanagedService>;
