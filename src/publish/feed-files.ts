/**
 * Feed files on disk, written atomically (temporary file, then rename) with their gzip and brotli
 * forms beside them (for this service and for a proxy's gzip_static), compressed once at write
 * time so serving costs no CPU; and read back into a
 * small in-memory copy that the web layer serves from. The files are the truth: the copy is
 * refreshed when the file's inode, size or mtime changes (checked at most once a second), so
 * another instance writing the same folder is picked up.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

export interface StoredFeed {
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** Strong validator of the identity body; the compressed forms add a suffix (RFC 9110 §8.8.3). */
  etag: string;
  lastModified: Date;
  /** lastModified as an HTTP date, made once. */
  lastModifiedHttp: string;
  type: string;
  identity: string;
  checkedAt: number;
}

const TYPES: Record<string, string> = {
  'rss.xml': 'application/rss+xml; charset=utf-8',
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
  'ninjs.json': 'application/json; charset=utf-8',
  'news-sitemap.xml': 'application/xml; charset=utf-8',
  'index.opml': 'text/x-opml; charset=utf-8',
  'index.html': 'text/html; charset=utf-8',
};

/** The content type of a feed file by its name, or undefined for a name that is not a feed file. */
export const contentTypeOf = (file: string): string | undefined => TYPES[path.basename(file)];

async function compress(body: Buffer): Promise<{ gzip: Buffer; br: Buffer }> {
  // both run on libuv's thread pool, in parallel. Levels chosen for a rebuild budget of a few ms per
  // 200 KB feed: gzip 6 (level 9: 2x the time, <1% smaller) and brotli 5 (quality 9: 5x the time)
  const [gz, br] = await Promise.all([
    gzip(body, { level: 6 }),
    brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  ]);
  return { gzip: gz, br };
}

const etagOf = (body: Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

async function writeAtomically(file: string, content: Buffer, at: Date): Promise<void> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(temp, content);
    await utimes(temp, at, at); // Last-Modified follows the service's clock
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => {}); // a full disk must not leave half a file behind
    throw err;
  }
}

/** A temporary file of writeAtomically: `<name>.<pid>.<random>.tmp`. */
const TEMP_FILE = /\.(\d+)\.[a-z0-9]*\.tmp$/;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every file under `dir`, as paths relative to it; a missing folder has none. */
async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

export class FeedFiles {
  private readonly cache = new Map<string, StoredFeed>();
  private readonly pending = new Set<Promise<unknown>>();

  /** `onError` hears of a compressed copy that could not be written (the plain file and the served bytes are fine). */
  constructor(readonly dir: string, private readonly onError?: (err: unknown, rel: string) => void, private readonly revalidateMs = 1000) {}

  /**
   * Removes the temporary files of writes that never finished (the writer was killed between the
   * write and the rename): those of a process that is gone, and any untouched for `staleAfterMs`
   * (a writer on another machine sharing the folder, or a pid taken again since). A live
   * process's recent file is left alone: another instance on this machine may be writing it.
   * Returns the files removed.
   */
  async sweep(staleAfterMs = 3_600_000): Promise<string[]> {
    const removed: string[] = [];
    for (const rel of await allFiles(this.dir)) {
      const match = TEMP_FILE.exec(rel);
      if (!match) continue;
      const pid = Number(match[1]);
      const file = path.join(this.dir, rel);
      // ctime, not mtime: writeAtomically sets the mtime to the service's clock, which may be any time
      const st = await stat(file).catch(() => undefined);
      if (!st) continue;
      const abandoned = (pid !== process.pid && !processIsAlive(pid)) || Date.now() - st.ctimeMs >= staleAfterMs;
      if (!abandoned) continue;
      await rm(file, { force: true });
      removed.push(rel);
    }
    return removed;
  }

  /** Resolves when every compressed copy started so far is on disk. */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /**
   * Writes `rel` (e.g. "en/rss.xml") atomically and makes its compressed forms; resolves when the
   * plain file is in place and the in-memory copy (with the compressed forms) is current. The .gz
   * and .br files are written after that, off the rebuild's path (`flush()` waits for them): a
   * reader elsewhere uses them only when their mtime matches the plain file's, else compresses.
   */
  async write(rel: string, content: string, at: Date): Promise<void> {
    const type = contentTypeOf(rel);
    if (!type) throw new Error(`not a feed file name: ${rel}`);
    const file = path.join(this.dir, rel);
    const body = Buffer.from(content, 'utf8');
    const packing = compress(body);
    await mkdir(path.dirname(file), { recursive: true });
    const [packed] = await Promise.all([packing, writeAtomically(file, body, at)]);
    const siblings = Promise.all([writeAtomically(`${file}.gz`, packed.gzip, at), writeAtomically(`${file}.br`, packed.br, at)])
      .catch((err) => this.onError?.(err, rel))
      .finally(() => this.pending.delete(siblings));
    this.pending.add(siblings);
    const st = await stat(file);
    const lastModified = new Date(Math.floor(at.getTime() / 1000) * 1000);
    this.cache.set(rel, { body, ...packed, etag: etagOf(body), lastModified, lastModifiedHttp: lastModified.toUTCString(), type, identity: `${st.ino}:${st.size}:${st.mtimeMs}`, checkedAt: Date.now() });
  }

  /** The in-memory copy when it was checked within the last second: the serving fast path, no I/O. */
  peek(rel: string): StoredFeed | undefined {
    const cached = this.cache.get(rel);
    return cached && Date.now() - cached.checkedAt < this.revalidateMs ? cached : undefined;
  }

  /** The file as served, or undefined when it does not exist. */
  async read(rel: string): Promise<StoredFeed | undefined> {
    const cached = this.cache.get(rel);
    const now = Date.now();
    if (cached && now - cached.checkedAt < this.revalidateMs) return cached;
    const file = path.join(this.dir, rel);
    const type = contentTypeOf(rel);
    let st;
    try {
      st = await stat(file);
    } catch {
      this.cache.delete(rel);
      return undefined;
    }
    if (!type || !st.isFile()) return undefined;
    const identity = `${st.ino}:${st.size}:${st.mtimeMs}`;
    if (cached && cached.identity === identity) {
      cached.checkedAt = now;
      return cached;
    }
    const body = await readFile(file);
    // the compressed forms are used only when written with this body (same mtime); otherwise made now
    const sibling = async (ext: string) => {
      try {
        const s = await stat(`${file}.${ext}`);
        return s.mtimeMs === st.mtimeMs ? await readFile(`${file}.${ext}`) : undefined;
      } catch {
        return undefined;
      }
    };
    const [gz, br] = await Promise.all([sibling('gz'), sibling('br')]);
    const packed = gz && br ? { gzip: gz, br } : await compress(body);
    const lastModified = new Date(Math.floor(st.mtimeMs / 1000) * 1000);
    const entry: StoredFeed = { body, ...packed, etag: etagOf(body), lastModified, lastModifiedHttp: lastModified.toUTCString(), type, identity, checkedAt: now };
    this.cache.set(rel, entry);
    return entry;
  }
}
