/**
 * Social posting: cost of formatting a post per network (pure), of placing a published
 * translation on 10 channels (advisory lock, window count, insert), and dispatcher throughput
 * (claim, send to a loopback webhook, record) for 1,000 due posts on 10 channels.
 */
import { createI18n } from '../src/i18n.ts';
import { formatBluesky } from '../src/social/format/bluesky.ts';
import type { PostContent } from '../src/social/format/content.ts';
import { formatMastodon } from '../src/social/format/mastodon.ts';
import { formatTelegram } from '../src/social/format/telegram.ts';
import { formatX } from '../src/social/format/x.ts';
import { createSocial } from '../src/social/service.ts';
import { seedPublished, socialConfig, TestClock } from '../test/support/social/harness.ts';
import { startWebhookFake } from '../test/support/social/webhook.ts';
import { testLogger } from '../test/support/logger.ts';
import { benchDatabase, percentile, report } from './support.ts';

const bench = 'social';
const url = 'https://news.example.org/read/vi/123';
const content: PostContent = {
  language: 'vi', title: 'Thủ tướng chủ trì hội nghị về phát triển kinh tế số và chuyển đổi xanh',
  summary: 'Thủ tướng chủ trì hội nghị về phát triển kinh tế số và chuyển đổi xanh tại Hà Nội, với sự tham dự của nhiều bộ ngành và địa phương trên cả nước. '.repeat(8),
  url, hashtags: ['ViệtNam', 'KinhTếSố'], strings: { readMore: `Đọc toàn bài: ${url}`, readMoreLabel: 'Đọc toàn bài' },
};

for (const [name, format] of [
  ['mastodon', () => formatMastodon(content)], ['bluesky', () => formatBluesky(content)], ['x', () => formatX(content)], ['telegram', () => formatTelegram(content, { caption: true })],
] as const) {
  for (let i = 0; i < 20; i++) format();
  const n = 200;
  const start = performance.now();
  for (let i = 0; i < n; i++) format();
  report(bench, { figure: `format_${name}_trimmed_vi`, value: Math.round(((performance.now() - start) / n) * 1000), unit: 'µs/post', target: 'well under a request to the network (~100 ms)' });
}

const database = await benchDatabase();
const hook = await startWebhookFake();
try {
  const clock = new TestClock(new Date('2026-11-27T09:00:00Z'));
  const channels = Array.from({ length: 10 }, (_, i) => ({ id: `hook-${i}`, network: 'webhook', audience: 'vi', server: `${hook.url}/hook`, windows: ['0 * * * *'], maxPostsPerWindow: 100, spacingMinutes: 0 }));
  const config = socialConfig(channels);
  const social = await createSocial({
    db: database.db, log: testLogger, i18n: await createI18n(config.localesDir), clock: clock.read, publicUrl: config.publishing.publicUrl,
    audiences: config.audiences, channels: config.channels, credentials: config.channelCredentials, settings: config.social,
  });
  const ids: number[] = [];
  for (let i = 0; i < 100; i++) ids.push(await seedPublished(database.db, { audience: 'vi', title: `Tin số ${i}`, summary: content.summary, at: clock.now }));
  const placements: number[] = [];
  for (const id of ids) {
    const t = performance.now();
    await social.onPublished(id);
    placements.push(performance.now() - t);
  }
  placements.sort((a, b) => a - b);
  report(bench, { figure: 'place_on_10_channels_p50', value: +percentile(placements, 50).toFixed(1), unit: 'ms' });
  report(bench, { figure: 'place_on_10_channels_p95', value: +percentile(placements, 95).toFixed(1), unit: 'ms' });

  clock.now = new Date('2026-11-27T12:00:00Z'); // every post is due
  const start = performance.now();
  let sent = 0;
  for (;;) {
    const c = await social.dispatchNow();
    sent += c.sent;
    if (!c.sent && !c.retrying) break;
  }
  const seconds = (performance.now() - start) / 1000;
  report(bench, { figure: 'dispatch_throughput_webhook', value: Math.round(sent / seconds), unit: 'posts/s', posts: sent, deliveries: hook.deliveries.length, target: 'far above the networks\' own limits (Mastodon 300 requests / 5 min)' });
  await social.stop();
} finally {
  await hook.close();
  await database.close();
}
