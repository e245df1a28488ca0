// Every command of `countersign`; add new ones here.
import type { Command } from './command';
import { dbMigrate, dbSeed } from './commands/db';
import { start } from './commands/start';
import { tokenCreate } from './commands/token';
import { userCreate, userSetPassword } from './commands/user';
import { submit } from './commands/submit';
import { catalogImport } from './commands/catalog';
import { incidentsImport } from './commands/incidents';
import { gate } from './commands/gate';
import { riskEval } from './commands/risk';
import { auditCheckpoint, auditVerify } from './commands/audit';

export const commands: Command[] = [start, dbMigrate, dbSeed, tokenCreate, userCreate, userSetPassword, submit, catalogImport, incidentsImport, gate, riskEval, auditCheckpoint, auditVerify];
