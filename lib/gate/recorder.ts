// Group commit for gate decisions. Every gate answer is recorded (gate_decisions + its audit
// event) and durably committed before the pipeline hears it: nothing acknowledged is lost.
// The audit chain serialises appends, so one synchronous commit per call would cap the gate at
// one disk flush per request. Instead, calls that arrive while a batch is being written wait for
// the next batch, and each batch is one transaction with one flush: a few calls at low load, up
// to BATCH_MAX under a deploy storm. Callers see their own decision id once its batch commits.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { queryRows } from '@/db/client';
import { gateDecisions } from '@/db/schema';
import { appendAudit, type AuditInput } from '@/lib/audit/chain';

export interface GateRecord {
  decision: Omit<typeof gateDecisions.$inferInsert, 'id' | 'createdAt'>;
  /** The audit event, without subjectId (the decision's id, known once it is allotted). */
  audit: Omit<AuditInput, 'subjectId'>;
}

interface Pending extends GateRecord {
  resolve: (id: number) => void;
  reject: (err: unknown) => void;
}

const BATCH_MAX = 256;

class Recorder {
  private queue: Pending[] = [];
  private running = false;

  constructor(private readonly db: Db) {}

  record(r: GateRecord): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ ...r, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, BATCH_MAX);
        try {
          const ids = await this.db.transaction((tx) => writeBatch(tx, batch));
          batch.forEach((p, i) => p.resolve(ids[i]!));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          // One bad record must not fail its neighbours: write them one by one.
          for (const p of batch) {
            try {
              const [id] = await this.db.transaction((tx) => writeBatch(tx, [p]));
              p.resolve(id!);
            } catch (e) {
              p.reject(e);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/** Writes the decisions and their audit events in the caller's transaction; ids in input order. */
export async function writeBatch(tx: Tx, batch: GateRecord[]): Promise<number[]> {
  const ids = (await queryRows<{ id: string | number }>(tx, sql`select nextval(pg_get_serial_sequence('gate_decisions', 'id')) as id from generate_series(1, ${batch.length})`))
    .map((r) => Number(r.id));
  await tx.insert(gateDecisions).values(batch.map((b, i) => ({ ...b.decision, id: ids[i]! })));
  await appendAudit(tx, batch.map((b, i) => ({ ...b.audit, subjectId: ids[i]! })));
  return ids;
}

const recorders = new WeakMap<Db, Recorder>();

/** Records one gate decision with its audit event; resolves with its id once durably committed. */
export function recordGateDecision(db: Db, r: GateRecord): Promise<number> {
  let rec = recorders.get(db);
  if (!rec) recorders.set(db, (rec = new Recorder(db)));
  return rec.record(r);
}
