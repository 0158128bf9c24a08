import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedAuditFields {
  id: string;
  occurredAt: Date;
  actor: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  environment?: string | null;
  manifestHash?: string | null;
  requestId?: string | null;
  details?: unknown;
}

/**
 * The hash of one event: its predecessor's hash and its own fields in a fixed order, serialised
 * as RFC 8785 canonical JSON so that the database's reordering of JSONB keys does not matter.
 */
export function hashAuditEvent(prevHash: string, e: ChainedAuditFields): string {
  const canonical = canonicalize([
    prevHash,
    e.id,
    e.occurredAt.toISOString(),
    e.actor,
    e.action,
    e.targetType,
    e.targetId ?? null,
    e.environment ?? null,
    e.manifestHash ?? null,
    e.requestId ?? null,
    e.details ?? {},
  ]);
  return createHash('sha256')
    .update(canonical ?? '')
    .digest('hex');
}

export type ChainVerdict =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAt: string; reason: string };

/**
 * Recomputes the chain over events in sequence order, starting from `prevHash` (the genesis
 * hash for a full export). Any edited, removed or reordered event breaks it.
 */
export function verifyAuditChain(
  events: (ChainedAuditFields & { prevHash: string; hash: string })[],
  prevHash: string = GENESIS_HASH,
): ChainVerdict {
  let expectedPrev = prevHash;
  for (const [i, e] of events.entries()) {
    if (e.prevHash !== expectedPrev) {
      return { ok: false, checked: i, brokenAt: e.id, reason: 'links to a different predecessor' };
    }
    if (hashAuditEvent(e.prevHash, e) !== e.hash) {
      return { ok: false, checked: i, brokenAt: e.id, reason: 'content does not match its hash' };
    }
    expectedPrev = e.hash;
  }
  return { ok: true, checked: events.length };
}
