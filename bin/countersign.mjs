#!/usr/bin/env node
// Entry of `npx countersign`: runs the TypeScript CLI through tsx, resolving the
// project's own files and path aliases wherever it is started from.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.COUNTERSIGN_ROOT ??= root;
process.env.TSX_TSCONFIG_PATH ??= path.join(root, 'tsconfig.json');

const { tsImport } = await import('tsx/esm/api');
const { main } = await tsImport(path.join(root, 'scripts/cli/index.ts'), import.meta.url);
process.exitCode = await main(process.argv.slice(2));
