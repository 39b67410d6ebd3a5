/** Shared by the benchmarks: one JSON line per figure, and a throwaway embedded database. */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';

export interface Figure {
  figure: string;
  value: number;
  unit: string;
  target?: string;
  baseline?: number;
  ratio?: number;
  [extra: string]: unknown;
}

export function report(bench: string, figure: Figure): void {
  console.log(JSON.stringify({ bench, ...figure }));
}

/** A fresh embedded PostgreSQL in a temporary folder, migrated; removed on close. */
export async function benchDatabase(): Promise<DatabaseHandle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'doingoai-bench-'));
  chmodSync(dir, 0o755);
  const handle = await openDatabase({ dataDir: dir, poolSize: 10 });
  // a benchmark stopped by a signal (Ctrl-C, a timeout) stops its server too, instead of leaving it running
  const stopped = (signal: NodeJS.Signals) => void handle.close().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
  process.once('SIGINT', stopped);
  process.once('SIGTERM', stopped);
  await migrate(handle.db);
  return {
    ...handle,
    async close() {
      process.off('SIGINT', stopped);
      process.off('SIGTERM', stopped);
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
