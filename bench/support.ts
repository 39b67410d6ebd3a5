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

/**
 * When each story's drafts are stored: a trigger in the benchmark's throwaway database notifies at
 * the commit that moves a translation to machine_translated, so a figure neither waits for a
 * polling tick nor counts the benchmark's own queries as the service's time.
 */
export async function watchDraftsStored(database: DatabaseHandle, draftsPerStory: number) {
  await database.pool.query(`
    CREATE FUNCTION bench_stored() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('bench_stored', NEW.story_id || ':' || NEW.id); RETURN NULL; END $$;
    CREATE TRIGGER bench_stored AFTER UPDATE OF state ON translations FOR EACH ROW
      WHEN (NEW.state = 'machine_translated' AND OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION bench_stored();`);
  const stored = new Map<number, Set<number>>();
  const storedAt = new Map<number, number>();
  let wake: (() => void) | undefined;
  const listener = await database.pool.connect();
  listener.on('notification', (n) => {
    const [storyId, translationId] = n.payload!.split(':').map(Number) as [number, number];
    const ids = stored.get(storyId) ?? new Set<number>();
    stored.set(storyId, ids.add(translationId));
    if (ids.size === draftsPerStory) storedAt.set(storyId, Date.now());
    wake?.();
  });
  await listener.query('LISTEN bench_stored');
  return {
    /** Waits for every draft of these stories; answers when the last commit was notified (Date.now()). */
    async until(storyIds: readonly number[], timeoutMs = 60_000): Promise<number> {
      const deadline = Date.now() + timeoutMs;
      while (!storyIds.every((id) => storedAt.has(id))) {
        const late = storyIds.find((id) => !storedAt.has(id))!;
        if (Date.now() > deadline) throw new Error(`story ${late}: ${stored.get(late)?.size ?? 0} of ${draftsPerStory} drafts stored after ${timeoutMs / 1000} s`);
        await new Promise<void>((r) => { wake = r; setTimeout(r, 1000); });
      }
      wake = undefined;
      return Math.max(...storyIds.map((id) => storedAt.get(id)!));
    },
    release: () => listener.release(),
  };
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const WORDS = 'hợp tác phát triển kinh tế ngoại giao đối tác chiến lược thương mại đầu tư biển đảo hòa bình an ninh khu vực quốc tế hội nghị thượng đỉnh bộ trưởng thủ tướng chủ tịch nước phái đoàn chuyến thăm chính thức ký kết hiệp định văn hóa giáo dục khoa học công nghệ năng lượng môi trường nông nghiệp du lịch lao động người dân cộng đồng kiều bào bảo hộ công dân biên giới sông Mê Kông ASEAN Liên Hợp Quốc'.split(' ');
/**
 * Distinct Vietnamese wording for a seed (a seeded generator): near-identical stories would be linked
 * as duplicates at ingestion and never translated.
 */
export function seededWords(seed: number, n: number): string {
  let x = seed * 2654435761 % 4294967296;
  return Array.from({ length: n }, () => {
    x = (x * 1664525 + 1013904223) % 4294967296;
    return WORDS[x % WORDS.length];
  }).join(' ');
}
