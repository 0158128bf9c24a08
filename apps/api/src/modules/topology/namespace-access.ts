import { namespaceNameSchema } from '@chaosgate/shared';
import { AppError } from '../../errors';

/** What decides whether a namespace may be mapped: the environment's scope and the global deny list. */
export interface NamespaceScope {
  environment: string;
  targetNamespaces: readonly string[];
  forbiddenNamespaces: readonly string[];
}

/**
 * Throws unless `namespace` may be shown and targeted in the environment: 400
 * `CG_POLICY_INVALID_NAMESPACE` for a name that cannot be a namespace, 403
 * `CG_POLICY_NAMESPACE_FORBIDDEN` for the always-denied ones (whatever the environment says),
 * 403 `CG_POLICY_NAMESPACE_OUTSIDE_ENV` for one the environment does not target.
 */
export function assertNamespaceInScope(namespace: string, scope: NamespaceScope): void {
  if (!namespaceNameSchema.safeParse(namespace).success) {
    throw new AppError('CG_POLICY_INVALID_NAMESPACE', 'not a valid namespace name', { namespace });
  }
  if (scope.forbiddenNamespaces.includes(namespace)) {
    throw new AppError('CG_POLICY_NAMESPACE_FORBIDDEN', `namespace ${namespace} may never be a target`, { namespace });
  }
  if (!scope.targetNamespaces.includes(namespace)) {
    throw new AppError(
      'CG_POLICY_NAMESPACE_OUTSIDE_ENV',
      `namespace ${namespace} is not a target namespace of environment ${scope.environment}`,
      { namespace, environment: scope.environment, targetNamespaces: scope.targetNamespaces },
    );
  }
}
