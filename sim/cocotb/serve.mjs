#!/usr/bin/env node
// Starts the model server (model-server.ts) for a design file: node sim/cocotb/serve.mjs <design.ts>.
// Registers tsx first, as bin/tickforge.mjs does, so it works from any working directory.
import { register } from 'tsx/esm/api';
register();
const { serve } = await import('./model-server.ts');
const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: serve.mjs <design.ts>\n');
  process.exit(2);
}
try {
  await serve(file);
} catch (e) {
  process.stderr.write(`model server: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
