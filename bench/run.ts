/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so one figure's memory and JIT
 * state do not colour the next), in name order. Each prints one JSON line per figure:
 * {"bench": "...", "figure": "...", "value": n, "unit": "...", "target"?: ..., "baseline"?: ...}.
 * `npm run bench -- feeds` runs only the files whose name contains "feeds".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort();
let failed = 0;
for (const file of files) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' } });
  if (result.status !== 0) {
    failed++;
    console.log(JSON.stringify({ bench: file.replace(/\.bench\.ts$/, ''), error: `exited with ${result.status ?? result.signal}` }));
  }
}
process.exitCode = failed ? 1 : 0;
