import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkpointConfig, CheckpointConfigError, writeCheckpoint } from '@/lib/audit/checkpoints';
import { verifyAnchoredChain } from '@/lib/audit/verify-anchored';
import type { Command } from '../command';
import { CliError, openCliDatabase, out } from '../context';

export const auditCheckpoint: Command = {
  name: 'audit checkpoint',
  summary: 'Append a signed checkpoint of the audit chain head to AUDIT_CHECKPOINT_DIR.',
  help: [
    'Signs (HMAC-SHA256, AUDIT_SIGNING_KEY) the last event\'s id and hash, the event count and the time, and appends it',
    'to a checkpoints-YYYY-MM.jsonl file in AUDIT_CHECKPOINT_DIR (or --dir). Prints the checkpoint as JSON.',
    '',
    'Options:',
    '  --dir DIR   write here instead of AUDIT_CHECKPOINT_DIR',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({ args, options: { dir: { type: 'string' } } });
    const cfg = checkpointConfig();
    if (values.dir) cfg.dir = path.resolve(values.dir);
    const h = await openCliDatabase();
    try {
      const c = await writeCheckpoint(h.db, cfg, { force: true });
      out.line(c ? JSON.stringify(c) : 'Nothing to anchor: the audit trail is empty.');
    } catch (err) {
      if (err instanceof CheckpointConfigError) throw new CliError(err.message);
      throw err;
    }
  },
};

export const auditVerify: Command = {
  name: 'audit verify',
  summary: 'Verify the audit chain, and against signed checkpoints (offline, without the server).',
  help: [
    'Re-hashes every event and compares the chain head with the latest checkpoint whose signature is good',
    '(AUDIT_SIGNING_KEY, or a key in AUDIT_PREVIOUS_KEYS). Prints the result as JSON; exits 1 when it is not ok.',
    '',
    'Options:',
    '  --checkpoints DIR   the checkpoint folder (default AUDIT_CHECKPOINT_DIR; without either only the chain is checked)',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({ args, options: { checkpoints: { type: 'string' } } });
    const cfg = checkpointConfig();
    if (values.checkpoints) cfg.dir = path.resolve(values.checkpoints);
    const h = await openCliDatabase();
    const v = await verifyAnchoredChain(h.db, cfg);
    out.line(JSON.stringify(v, null, 2));
    return v.ok ? 0 : 1;
  },
};
