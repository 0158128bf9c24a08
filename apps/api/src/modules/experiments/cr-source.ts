import { MANAGED_BY_VALUE, RUN_LABELS } from '@chaosgate/shared';
import { AppError } from '../../errors';
import type { Informer, KubeGateway, KubeObject } from '../../kube';
import type { KubeAccess } from '../../plugins/kube';
import { inspectManifest, type JsonObject } from './manifest-inspect';
import { getRunCr } from './run-cluster';

/** The label Chaos Mesh puts on a Schedule's children, and on a Workflow's. */
const SCHEDULE_CHILD_LABEL = 'managed-by';
const WORKFLOW_CHILD_LABEL = 'chaos-mesh.org/workflow';

export interface CrReading {
  cr: KubeObject | null;
  children: KubeObject[];
}

/**
 * Reads the CRs of running runs: from a per (environment, kind) informer over the chaos
 * namespace that watches only objects labelled as chaosgate's, and from a direct read when the
 * informer has not seen the object (just applied, or gone: only the API server can confirm).
 */
export function createCrSource(kube: KubeAccess, onChange: (crName: string) => void) {
  const informers = new Map<string, Promise<Informer<KubeObject> | null>>();

  function informerFor(gateway: KubeGateway, env: string, namespace: string, kind: string) {
    const key = `${env}/${kind}`;
    let pending = informers.get(key);
    if (!pending) {
      pending = (async () => {
        const ref = await gateway.chaosKind(kind);
        const informer = gateway.createInformer<KubeObject>(ref, namespace, {
          labelSelector: `${RUN_LABELS.managedBy}=${MANAGED_BY_VALUE}`,
        });
        informer.onChange((change) => {
          if ('object' in change && change.object.metadata.name) onChange(change.object.metadata.name);
        });
        await informer.start();
        return informer;
      })().catch(() => {
        informers.delete(key);
        return null;
      });
      informers.set(key, pending);
    }
    return pending;
  }

  async function children(gateway: KubeGateway, namespace: string, manifest: JsonObject): Promise<KubeObject[]> {
    const kind = String(manifest.kind);
    if (kind !== 'Schedule' && kind !== 'Workflow') return [];
    const name = String((manifest.metadata as { name?: unknown } | undefined)?.name ?? '');
    const label = kind === 'Schedule' ? SCHEDULE_CHILD_LABEL : WORKFLOW_CHILD_LABEL;
    const kinds = new Set(inspectManifest(manifest).specs.map((s) => s.kind));
    const lists = await Promise.all(
      [...kinds].map(async (k) => {
        try {
          return (await gateway.list(await gateway.chaosKind(k), namespace, { labelSelector: `${label}=${name}` }))
            .items;
        } catch (err) {
          if (err instanceof AppError && err.code === 'CG_KUBE_UNKNOWN_KIND') return [];
          throw err;
        }
      }),
    );
    return lists.flat();
  }

  return {
    async read(
      env: string,
      namespace: string,
      run: { kind: string; crName: string; manifest: JsonObject },
    ): Promise<CrReading> {
      const gateway = await kube.forEnvironment(env);
      const informer = await informerFor(gateway, env, namespace, run.kind);
      const cached = informer?.get(`${namespace}/${run.crName}`);
      const cr = cached ?? (await getRunCr(gateway, { kind: run.kind, namespace, name: run.crName }));
      return { cr, children: cr ? await children(gateway, namespace, run.manifest) : [] };
    },
    close(): void {
      for (const pending of informers.values()) void pending.then((i) => i?.stop());
      informers.clear();
    },
  };
}

export type CrSource = ReturnType<typeof createCrSource>;
