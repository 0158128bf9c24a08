import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../config';
import { AppError } from '../errors';
import { createKubeRegistry, type KubeGateway, type KubeReadiness } from '../kube';
import { createPolicyRepository } from '../modules/policy/policy.repo';

/** What the app knows about its clusters. */
export interface KubeAccess {
  /** False when Kubernetes is switched off (`CHAOSGATE_KUBE=none`) or no cluster is configured. */
  readonly enabled: boolean;
  /**
   * The gateway of an environment's cluster: its `kubeContext`, or the kubeconfig's current
   * context when that is empty. 404 `CG_ENV_NOT_FOUND` for an unknown environment.
   */
  forEnvironment(envName: string): Promise<KubeGateway>;
  /** Whether the default cluster answers within `timeoutMs`; never throws. */
  readiness(timeoutMs?: number): Promise<KubeReadiness>;
}

declare module 'fastify' {
  interface FastifyInstance {
    kube: KubeAccess;
  }
}

/** One gateway per kubeconfig context, shared by every module; watches stop when the app closes. */
async function kubePlugin(app: FastifyInstance, opts: { config: AppConfig }): Promise<void> {
  const setting = opts.config.kube;
  if (setting.mode === 'disabled') app.log.warn({ reason: setting.reason }, 'Kubernetes is disabled');
  const registry = createKubeRegistry(setting);
  const environments = createPolicyRepository(app.db.prisma);

  app.decorate('kube', {
    enabled: registry.enabled,
    async forEnvironment(envName: string) {
      const env = await environments.findEnvironment(envName);
      if (!env) throw new AppError('CG_ENV_NOT_FOUND', `unknown environment "${envName}"`);
      return registry.forContext(env.kubeContext);
    },
    readiness: (timeoutMs?: number) => registry.readiness(timeoutMs),
  } satisfies KubeAccess);
  app.addHook('onClose', async () => registry.close());
}

export default fp(kubePlugin, { name: 'chaosgate-kube', dependencies: ['chaosgate-database'] });
