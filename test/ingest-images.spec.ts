/**
 * Images: fetched with size and type limits, stored once by content hash, with 1200×630 JPEG and
 * WebP variants served under /media; a corrupt or oversized image is recorded on the story and
 * skipped, and the story is stored all the same.
 */
import { expect } from 'chai';
import sharp from 'sharp';
import { storyImage } from '../src/ingest/images.ts';
import type { Service } from '../src/service.ts';
import { recentIngestErrors } from '../src/store/sources.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { body, startOrigin, type Origin } from './support/origin.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { eventually } from './support/wait.ts';

describe('ingest: images', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let service: Service;
  let origin: Origin;
  let editor: ReturnType<typeof apiClient>;

  before(async () => {
    origin = await startOrigin();
    const photo = await sharp({ create: { width: 2000, height: 1200, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
    const pixelBomb = await sharp({ create: { width: 5000, height: 5000, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png({ compressionLevel: 9 }).toBuffer();
    origin.routes.set('/img/lead.png', body(photo, 'image/png'));
    origin.routes.set('/img/corrupt.jpg', body(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]), 'image/jpeg'));
    origin.routes.set('/img/too-big.jpg', body(Buffer.alloc(300_000, 1), 'image/jpeg'));
    origin.routes.set('/img/pixels.png', body(pixelBomb, 'image/png'));
    origin.routes.set('/img/page.jpg', body('<html>not an image</html>', 'image/jpeg'));
    const item = (guid: string, inline: string[]) => `<item><title>Tin ảnh ${guid}</title><guid>${guid}</guid><link>https://tinh.example.vn/${guid}</link><enclosure url="${origin.url}/img/lead.png" type="image/png" length="1"/><content:encoded><![CDATA[<p>Nội dung</p>${inline.map((src) => `<img src="${origin.url}${src}">`).join('')}]]></content:encoded></item>`;
    origin.routes.set('/feed.xml', body(`<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>A</title><link>${origin.url}/</link><description>d</description>${item('img-1', ['/img/corrupt.jpg', '/img/too-big.jpg', '/img/pixels.png', '/img/page.jpg'])}${item('img-2', [])}</channel></rss>`));
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
      sources: [{ id: 'anh', name: 'Ảnh', url: `${origin.url}/feed.xml` }],
      ingest: { maxImageBytes: 200_000, maxImagePixels: 10_000_000 },
    }), database);
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await origin?.close();
  });


  it('stores the lead image once with its variants and skips bad ones with a recorded reason', async () => {
    expect((await editor('POST', '/api/v1/sources/anh/poll')).body.data).to.deep.equal({ new: 2, updated: 0, unchanged: 0, failed: 0 });
    const stories = (await editor('GET', '/api/v1/stories')).body.data as { id: number; guid: string }[];
    const one = stories.find((s) => s.guid === 'img-1')!;
    const two = stories.find((s) => s.guid === 'img-2')!;
    const card = await eventually('the first story\'s image', () => storyImage(database.db, one.id, { publicUrl: 'https://desk.example' }));
    expect(card).to.include({ mime: 'image/jpeg', width: 1200, height: 630, sourceUrl: `${origin.url}/img/lead.png` });
    expect(card.url).to.match(/^https:\/\/desk\.example\/media\/[0-9a-f]{64}-card\.jpg$/);
    expect(card.size).to.equal(card.bytes.length);
    expect((await sharp(card.bytes).metadata()).format).to.equal('jpeg');
    const webp = await storyImage(database.db, one.id, { variant: 'card-webp' });
    expect(webp).to.include({ mime: 'image/webp', width: 1200, height: 630 });

    const served = await fetch(`${service.url}${card.path}`);
    expect(served.status).to.equal(200);
    expect(served.headers.get('content-type')).to.equal('image/jpeg');
    expect(served.headers.get('cache-control')).to.contain('immutable');
    expect(Buffer.from(await served.arrayBuffer()).equals(card.bytes)).to.equal(true);
    expect((await fetch(`${service.url}/media/${'0'.repeat(64)}-card.jpg`)).status).to.equal(404);
    expect((await fetch(`${service.url}/media/../../etc/passwd`)).status).to.equal(404);

    const errors = await eventually('the image errors', async () => {
      const e = await recentIngestErrors(database.db, { storyId: one.id });
      return e.length >= 4 ? e : undefined;
    });
    const messages = errors.map((e) => `${e.code}: ${e.message}`).join('\n');
    expect(messages).to.match(/image_rejected: image .*\/img\/corrupt\.jpg was skipped: (not a readable image|the image could not be decoded)/);
    expect(messages).to.match(/image_rejected: image .*\/img\/too-big\.jpg was skipped: the answer .*over the 200000-byte limit/);
    expect(messages).to.match(/image_rejected: image .*\/img\/pixels\.png was skipped: .*pixel/i);
    expect(messages).to.match(/image_rejected: image .*\/img\/page\.jpg was skipped: not a readable image/);

    // the second story has the same lead image: stored once, shared
    const second = await eventually('the second story\'s image', () => storyImage(database.db, two.id));
    expect(second.path).to.equal(card.path);
    const count = await database.db.selectFrom('images').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).to.equal(1);
  });
});
