import { createDisabledGateway } from './disabled-gateway';
import { createKubeGateway, type KubeGateway } from './gateway';
import type { KubeSource } from './kube-config';

/** How chaosgate reaches Kubernetes: a source, or switched off with the reason why. */
export type KubeSetting = KubeSource | { mode: 'disabled'; reason: string };

/** One readiness check result, in the shape `/readyz` reports. */
export interface KubeReadiness {
  ok: boolean;
  message?: string;
}

/** The gateways of one installation, one per kubeconfig context, created on first use. */
export interface KubeRegistry {
  readonly enabled: boolean;
  /** The gateway of `context` (null: the kubeconfig's current context). */
  forContext(context: string | null): KubeGateway;
  /** Whether the current context's API server answers `/readyz` within `timeoutMs`; never throws. */
  readiness(timeoutMs?: number): Promise<KubeReadiness>;
  /** Stops every watch and informer of every gateway. */
  close(): void;
}

export function createKubeRegistry(
  setting: KubeSetting,
  options: { timeoutMs?: number; discoveryTtlMs?: number } = {},
): KubeRegistry {
  if (setting.mode === 'disabled') {
    const off = createDisabledGateway(setting.reason);
    return {
      enabled: false,
      forContext: () => off,
      readiness: async () => ({ ok: true, message: `disabled: ${setting.reason}` }),
      close() {},
    };
  }
  const source = setting;
  const gateways = new Map<string, KubeGateway>();

  function forContext(context: string | null): KubeGateway {
    const key = context ?? '';
    let gateway = gateways.get(key);
    if (!gateway) {
      gateway = createKubeGateway({ kubeConfig: source, context, ...options });
      gateways.set(key, gateway);
    }
    return gateway;
  }

  return {
    enabled: true,
    forContext,
    async readiness(timeoutMs = 2000) {
      try {
        await forContext(null).ping(timeoutMs);
        return { ok: true };
      } catch (err) {
        return { ok: false, message: (err as Error).message };
      }
    },
    close() {
      for (const gateway of gateways.values()) gateway.close();
      gateways.clear();
    },
  };
}
