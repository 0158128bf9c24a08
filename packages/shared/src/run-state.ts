import { z } from 'zod';

export const RUN_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'rejected',
  'running',
  'completed',
  'aborted',
  'failed',
] as const;
export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof runStatusSchema>;

/**
 * The run state machine. Every edge here is applied in the database as a compare-and-set on
 * the previous status, so a transition not listed can never happen, and one that is listed
 * happens at most once.
 */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  draft: ['pending_approval', 'approved'],
  pending_approval: ['approved', 'rejected'],
  approved: ['running', 'aborted'],
  rejected: [],
  running: ['completed', 'aborted', 'failed'],
  completed: [],
  aborted: [],
  failed: [],
};

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = RUN_STATUSES.filter((s) => RUN_TRANSITIONS[s].length === 0);

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}
