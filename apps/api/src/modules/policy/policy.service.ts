import { type ApprovalMode, approvalModeSchema, type Environment, type Role, roleSchema } from '@chaosgate/shared';
import { AppError } from '../../errors';
import type { EnvironmentRow, PolicyRepository } from './policy.repo';

const roles = (values: string[]): Role[] => values.filter((v) => roleSchema.safeParse(v).success) as Role[];

export function toEnvironmentDto(row: EnvironmentRow): Environment {
  return {
    name: row.name,
    displayName: row.displayName,
    chaosNamespace: row.chaosNamespace,
    targetNamespaces: row.targetNamespaces,
    policy: {
      submitRoles: roles(row.submitRoles),
      approval: approvalModeSchema.parse(row.approval) as ApprovalMode,
      executeRoles: roles(row.executeRoles),
      submitterMayExecute: row.submitterMayExecute,
      maxDurationSeconds: row.maxDurationSeconds,
      maxPods: row.maxPods,
      allowedKinds: row.allowedKinds,
      probeAllowList: row.probeAllowList,
    },
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

export function createPolicyService(deps: { repo: PolicyRepository }) {
  const { repo } = deps;
  return {
    async listEnvironments(): Promise<Environment[]> {
      return (await repo.listEnvironments()).map(toEnvironmentDto);
    },
    /** The environment named `name`; 404 `CG_ENV_NOT_FOUND` when there is none. */
    async getEnvironment(name: string): Promise<Environment> {
      const row = await repo.findEnvironment(name);
      if (!row) throw new AppError('CG_ENV_NOT_FOUND', `unknown environment "${name}"`);
      return toEnvironmentDto(row);
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
