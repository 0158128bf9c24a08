import type { ServerResponse } from 'node:http';
import { RUN_STREAM_EVENTS } from '@chaosgate/shared';
import type { FastifyBaseLogger } from 'fastify';
import { readObservation, toRunDto, toTimelineEvent } from './runs.dto';
import type { RunRepository } from './runs.repo';

/** Timeline events sent on connect when the client names no last event. */
const BACKLOG = 50;

export interface RunStreamDeps {
  repo: RunRepository;
  log: FastifyBaseLogger;
}

function send(raw: ServerResponse, event: string, data: unknown, id?: string): void {
  raw.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * One open event stream of one run. `refresh` re-reads the run and sends what changed since the
 * last refresh: the run (when any field changed), its records and conditions (when they changed)
 * and the timeline events after the last one sent. Refreshes never overlap; one asked for while
 * another runs happens right after it.
 */
export function createRunStream(raw: ServerResponse, runId: string, lastEventId: bigint | null, deps: RunStreamDeps) {
  let lastSeq = lastEventId;
  let lastRun = '';
  let lastRecords = '';
  let busy = false;
  let again = false;

  async function sendChanges(): Promise<void> {
    const row = await deps.repo.findById(runId);
    if (!row || raw.destroyed) return;
    const run = toRunDto(row);
    const runText = JSON.stringify(run);
    if (runText !== lastRun) send(raw, RUN_STREAM_EVENTS.run, run);
    lastRun = runText;
    const { records, conditions } = readObservation(row.crStatus);
    const recordsText = JSON.stringify({ records, conditions });
    if (recordsText !== lastRecords) send(raw, RUN_STREAM_EVENTS.records, { records, conditions });
    lastRecords = recordsText;
    const events = await deps.repo.listEvents(runId, lastSeq ?? undefined);
    for (const e of lastSeq === null ? events.slice(-BACKLOG) : events) {
      send(raw, RUN_STREAM_EVENTS.timeline, toTimelineEvent(e), e.seq.toString());
    }
    lastSeq = events.at(-1)?.seq ?? lastSeq ?? 0n;
  }

  async function refresh(): Promise<void> {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      await sendChanges();
    } catch (err) {
      deps.log.warn({ err, runId }, 'run stream refresh failed');
    } finally {
      busy = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  return { refresh, heartbeat: () => raw.write(': heartbeat\n\n') };
}
