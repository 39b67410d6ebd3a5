/**
 * Scratch folders for tests and benchmarks, removed when the process exits: configuration files,
 * feed folders and whole PostgreSQL data folders (tens of MB each) would otherwise pile up in the
 * system's temporary folder with every run. A process killed outright leaves its folders behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder named doingoai-<purpose>-XXXXXX in the temporary folder. */
export function scratchDir(purpose: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `doingoai-${purpose}-`));
  made.push(dir);
  return dir;
}
