// Every command of `countersign`; add new ones here.
import type { Command } from './command';
import { dbMigrate, dbSeed } from './commands/db';
import { start } from './commands/start';
import { tokenCreate } from './commands/token';

export const commands: Command[] = [start, dbMigrate, dbSeed, tokenCreate];
