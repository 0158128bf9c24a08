import type { KubeGateway } from '../../kube';
import { type CrLocation, getRunCr } from './run-cluster';
import type { RunRepository } from './runs.repo';

/** How long chaosgate follows a deleted CR before reporting it stuck. */
export const RECOVERY_WATCH_MS = 60_000;
const POLL_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows a CR that was deleted while Chaos Mesh still held it (finalizers: the targets are being
 * recovered) and notes in the run's timeline when it is gone, or that it is stuck terminating.
 * Only a timeline note: the run's status was already decided.
 */
export async function followRecovery(
  runs: RunRepository,
  gateway: KubeGateway,
  runId: string,
  at: CrLocation,
  options: { timeoutMs?: number; isStopped?: () => boolean } = {},
): Promise<'recovered' | 'stuck' | 'stopped'> {
  const deadline = Date.now() + (options.timeoutMs ?? RECOVERY_WATCH_MS);
  while (Date.now() < deadline) {
    if (options.isStopped?.()) return 'stopped';
    const cr = await getRunCr(gateway, at).catch(() => undefined);
    if (cr === null) {
      await runs.addEvent(runId, {
        type: 'kube',
        actor: 'chaos-mesh',
        message: `${at.kind} ${at.namespace}/${at.name} is gone: Chaos Mesh recovered the targets`,
      });
      return 'recovered';
    }
    await sleep(POLL_MS);
  }
  await runs.addEvent(runId, {
    type: 'kube',
    actor: 'chaos-mesh',
    message: `${at.kind} ${at.namespace}/${at.name} is still terminating after ${Math.round((options.timeoutMs ?? RECOVERY_WATCH_MS) / 1000)} s: its finalizers hold it (recovery failing?); see the emergency stop's stuck list`,
  });
  return 'stuck';
}
