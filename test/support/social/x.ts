/**
 * An X API v2 fake (docs.x.com: POST /2/tweets, DELETE /2/tweets/:id, the v2 chunked media upload
 * and media metadata): bearer user token, 280 weighted characters checked with twitter-text,
 * duplicate text refused with 403 as X does.
 */
import twitterText from 'twitter-text';
import { formOf, jsonOf, startFake, type Answer, type FakeServer } from './fake.ts';

export interface XFake extends FakeServer {
  tweets: { id: string; text: string; mediaIds: string[]; deleted: boolean }[];
  media: { id: string; bytes: number; altText: string | null; finalized: boolean }[];
}

export async function startXFake(token = 'x-test-token'): Promise<XFake> {
  const tweets: XFake['tweets'] = [];
  const media: XFake['media'] = [];
  let next = 1_800_000_000_000_000_000n;
  const problem = (status: number, title: string, detail: string): Answer => ({ status, body: { title, detail, type: 'about:blank', status } });
  const fake = await startFake(async (req): Promise<Answer | undefined> => {
    if (req.headers.authorization !== `Bearer ${token}`) return problem(401, 'Unauthorized', 'Unauthorized');
    if (req.method === 'POST' && req.path === '/2/media/upload/initialize') {
      const id = String(next++);
      media.push({ id, bytes: 0, altText: null, finalized: false });
      return { status: 200, body: { data: { id, media_key: `3_${id}`, expires_after_secs: 86400 } } };
    }
    const chunk = /^\/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(req.path);
    if (req.method === 'POST' && chunk) {
      const m = media.find((x) => x.id === chunk[1]);
      if (!m) return problem(400, 'Invalid Request', 'unknown media id');
      if (chunk[2] === 'append') {
        const file = (await formOf(req)).get('media') as File | null;
        m.bytes += file?.size ?? 0;
        return { status: 200, body: { data: { expires_at: 0 } } };
      }
      m.finalized = true;
      return { status: 200, body: { data: { id: m.id, media_key: `3_${m.id}`, size: m.bytes } } };
    }
    if (req.method === 'POST' && req.path === '/2/media/metadata') {
      const body = jsonOf<{ id: string; metadata: { alt_text?: { text: string } } }>(req);
      const m = media.find((x) => x.id === body.id);
      if (m) m.altText = body.metadata.alt_text?.text ?? null;
      return { status: 200, body: { data: { associated_metadata: true } } };
    }
    if (req.method === 'POST' && req.path === '/2/tweets') {
      const body = jsonOf<{ text: string; media?: { media_ids: string[] } }>(req);
      const parsed = twitterText.parseTweet(body.text ?? '');
      if (!parsed.valid) return problem(400, 'Invalid Request', `text is ${parsed.weightedLength} weighted characters`);
      if (tweets.some((t) => t.text === body.text && !t.deleted)) return problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
      const id = String(next++);
      tweets.push({ id, text: body.text, mediaIds: body.media?.media_ids ?? [], deleted: false });
      return { status: 201, body: { data: { id, text: body.text, edit_history_tweet_ids: [id] } } };
    }
    const del = /^\/2\/tweets\/(\d+)$/.exec(req.path);
    if (req.method === 'DELETE' && del) {
      const t = tweets.find((x) => x.id === del[1]);
      if (t) t.deleted = true;
      return { status: 200, body: { data: { deleted: !!t } } };
    }
    return undefined;
  }, { https: true }); // twitter-api-v2 speaks only HTTPS
  return Object.assign(fake, { tweets, media });
}
