/** Feed files on disk: atomic writes with compressed copies, and another instance reading them. */
import { expect } from 'chai';
import { spawnSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { FeedFiles } from '../src/publish/feed-files.ts';
import { scratchDir } from './support/scratch.ts';

describe('feed files', () => {
  const at = new Date('2026-11-20T09:00:00.000Z');
  let dir: string;
  beforeEach(() => {
    dir = scratchDir('feedfiles');
  });

  it('writes the file and its gzip and brotli copies, leaving no temporary files', async () => {
    const files = new FeedFiles(dir);
    await files.write('en/rss.xml', '<rss>Tin tức</rss>', at);
    await files.flush();
    expect(readdirSync(path.join(dir, 'en')).sort()).to.deep.equal(['rss.xml', 'rss.xml.br', 'rss.xml.gz']);
    expect(zlib.gunzipSync(readFileSync(path.join(dir, 'en/rss.xml.gz'))).toString()).to.equal('<rss>Tin tức</rss>');
    expect(zlib.brotliDecompressSync(readFileSync(path.join(dir, 'en/rss.xml.br'))).toString()).to.equal('<rss>Tin tức</rss>');
    const served = files.peek('en/rss.xml')!;
    expect(served.lastModifiedHttp).to.equal('Fri, 20 Nov 2026 09:00:00 GMT');
    expect(served.type).to.equal('application/rss+xml; charset=utf-8');
  });

  it('refuses a name that is not a feed file', async () => {
    const err = await new FeedFiles(dir).write('en/evil.sh', 'x', at).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/not a feed file name/);
  });

  it('lets another instance read the files, and see a newer version once it revalidates', async () => {
    const writer = new FeedFiles(dir);
    await writer.write('en/atom.xml', '<feed>1</feed>', at);
    await writer.flush();
    const reader = new FeedFiles(dir, undefined, 0); // revalidate on every read
    const first = (await reader.read('en/atom.xml'))!;
    expect(first.body.toString()).to.equal('<feed>1</feed>');
    expect(first.etag).to.equal(writer.peek('en/atom.xml')!.etag);
    await writer.write('en/atom.xml', '<feed>22</feed>', new Date('2026-11-20T09:05:00Z'));
    const second = (await reader.read('en/atom.xml'))!;
    expect(second.body.toString()).to.equal('<feed>22</feed>');
    expect(zlib.gunzipSync(second.gzip).toString(), 'compressed copies that do not match are remade').to.equal('<feed>22</feed>');
  });

  it('does not use a compressed copy that belongs to another version of the file', async () => {
    const writer = new FeedFiles(dir);
    await writer.write('en/feed.json', '{"v":1}', at);
    await writer.flush();
    writeFileSync(path.join(dir, 'en/feed.json'), '{"v":2}'); // a new version whose copies are not written yet
    const reader = new FeedFiles(dir, undefined, 0);
    const read = (await reader.read('en/feed.json'))!;
    expect(zlib.gunzipSync(read.gzip).toString()).to.equal('{"v":2}');
    expect(zlib.brotliDecompressSync(read.br).toString()).to.equal('{"v":2}');
  });

  it('removes the temporary files of interrupted writes, and leaves those of a live writer', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid; // a process that has ended
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      mkdirSync(path.join(dir, 'en', 'topics', 'bien-dong'), { recursive: true });
      writeFileSync(path.join(dir, 'en', 'rss.xml'), '<rss/>');
      writeFileSync(path.join(dir, 'en', `rss.xml.${dead}.k2j4.tmp`), '<rss>half');
      writeFileSync(path.join(dir, 'en', 'topics', 'bien-dong', `atom.xml.gz.${dead}.x9.tmp`), 'half');
      writeFileSync(path.join(dir, 'en', `atom.xml.${live.pid}.a1.tmp`), '<feed>being written');
      const removed = await new FeedFiles(dir).sweep();
      expect(removed.sort()).to.deep.equal([`en/rss.xml.${dead}.k2j4.tmp`, `en/topics/bien-dong/atom.xml.gz.${dead}.x9.tmp`].sort());
      expect(readdirSync(path.join(dir, 'en')).sort()).to.deep.equal([`atom.xml.${live.pid}.a1.tmp`, 'rss.xml', 'topics']);
      // a live pid whose file has not changed for the stale age is someone else's (another machine, a reused pid)
      expect(await new FeedFiles(dir).sweep(0)).to.deep.equal([`en/atom.xml.${live.pid}.a1.tmp`]);
      expect(await new FeedFiles(path.join(dir, 'missing')).sweep()).to.deep.equal([]);
    } finally {
      live.kill();
    }
  });

  it('leaves no temporary file behind when a write fails', async () => {
    mkdirSync(path.join(dir, 'en', 'rss.xml', 'taken'), { recursive: true }); // the rename cannot replace a folder
    const err = await new FeedFiles(dir).write('en/rss.xml', '<rss/>', at).then(() => undefined, (e: Error) => e);
    expect(err, 'the write fails').to.be.instanceOf(Error);
    expect(readdirSync(path.join(dir, 'en')).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
  });
});
