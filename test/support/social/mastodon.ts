/**
 * A Mastodon fake (docs.joinmastodon.org/methods/statuses, /media, /accounts): the endpoints the
 * publisher uses, bearer-token auth, and Idempotency-Key kept per token as Mastodon does (a
 * repeated key returns the first status instead of posting again).
 */
import { formOf, jsonOf, startFake, type Answer, type FakeServer } from './fake.ts';

export interface MastodonStatus { id: string; /** As posted. */ text: string; content: string; language: string | null; mediaIds: string[]; url: string; idempotencyKey: string | undefined; deleted: boolean; inReplyToId: string | null; account?: string }

export interface MastodonFake extends FakeServer {
  statuses: MastodonStatus[];
  /** A status by someone else (`account`), found by its address through search; returns it. */
  seedStatus(account: string, text: string): MastodonStatus;
  media: { id: string; description: string; bytes: number; type: string }[];
  token: string;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `maxCharacters`: the instance's post limit (Mastodon's default 500; instances set their own). */
export async function startMastodonFake(token = 'mastodon-test-token', opts: { maxCharacters?: number } = {}): Promise<MastodonFake> {
  const limit = opts.maxCharacters ?? 500;
  const statuses: MastodonStatus[] = [];
  const media: MastodonFake['media'] = [];
  const byKey = new Map<string, MastodonStatus>();
  let next = 100;
  const account = { id: '7', username: 'desk_en', acct: 'desk_en', display_name: 'Desk', url: '' };
  const present = (s: MastodonStatus) => ({
    id: s.id, uri: s.url, url: s.url, content: s.content, language: s.language, visibility: 'public', created_at: new Date().toISOString(), in_reply_to_id: s.inReplyToId,
    account: s.account ? { ...account, id: '9', username: s.account, acct: s.account } : account, media_attachments: s.mediaIds.map((id) => ({ id, type: 'image' })), card: null,
  });
  let base = '';
  const fake = await startFake(async (req): Promise<Answer | undefined> => {
    if (req.headers.authorization !== `Bearer ${token}`) return { status: 401, body: { error: 'The access token is invalid' } };
    if (req.method === 'POST' && req.path === '/api/v2/media') {
      const form = await formOf(req);
      const file = form.get('file') as File | null;
      if (!file) return { status: 422, body: { error: 'Validation failed: File can\'t be blank' } };
      const m = { id: String(next++), description: String(form.get('description') ?? ''), bytes: file.size, type: file.type };
      media.push(m);
      return { status: 200, body: { id: m.id, type: 'image', url: `${base}/media/${m.id}.jpg`, preview_url: `${base}/media/${m.id}.jpg`, description: m.description } };
    }
    const mediaGet = /^\/api\/v1\/media\/(\d+)$/.exec(req.path);
    if (req.method === 'GET' && mediaGet) return { status: 200, body: { id: mediaGet[1], type: 'image', url: `${base}/media/${mediaGet[1]}.jpg` } };
    if (req.method === 'POST' && req.path === '/api/v1/statuses') {
      const key = req.headers['idempotency-key'] as string | undefined;
      const seen = key ? byKey.get(key) : undefined;
      if (seen) return { status: 200, body: present(seen) };
      const params = jsonOf<{ status?: string; media_ids?: string[]; language?: string; in_reply_to_id?: string }>(req);
      if (params.in_reply_to_id && !statuses.some((s) => s.id === params.in_reply_to_id && !s.deleted)) return { status: 404, body: { error: 'Record not found' } };
      const text = params.status ?? '';
      const length = [...new Intl.Segmenter().segment(text.replace(/https?:\/\/\S+/g, 'x'.repeat(23)))].length;
      if (!text || length > limit) return { status: 422, body: { error: `Validation failed: Text character limit of ${limit} exceeded (${length})` } };
      const id = String(next++);
      const html = text.split('\n\n').map((p) => `<p>${escape(p).replace(/https?:\/\/\S+/g, (u) => `<a href="${u}">${u}</a>`)}</p>`).join('');
      const status = { id, text, content: html, language: params.language ?? null, mediaIds: params.media_ids ?? [], url: `${base}/@desk_en/${id}`, idempotencyKey: key, deleted: false, inReplyToId: params.in_reply_to_id ?? null };
      statuses.push(status);
      if (key) byKey.set(key, status);
      return { status: 200, body: present(status) };
    }
    const del = /^\/api\/v1\/statuses\/(\d+)$/.exec(req.path);
    if (req.method === 'DELETE' && del) {
      const s = statuses.find((x) => x.id === del[1] && !x.deleted);
      if (!s) return { status: 404, body: { error: 'Record not found' } };
      s.deleted = true;
      return { status: 200, body: present(s) };
    }
    // search by a status's address (GET /api/v2/search?q=URL&type=statuses&resolve=true)
    if (req.method === 'GET' && req.path === '/api/v2/search') {
      const q = req.query.get('q') ?? '';
      const hits = req.query.get('type') === 'statuses' || !req.query.get('type') ? statuses.filter((s) => !s.deleted && s.url === q) : [];
      return { status: 200, body: { accounts: [], hashtags: [], statuses: hits.map(present) } };
    }
    if (req.method === 'GET' && req.path === '/api/v1/accounts/verify_credentials') return { status: 200, body: account };
    if (req.method === 'GET' && req.path === `/api/v1/accounts/${account.id}/statuses`) {
      const limit = Number(req.query.get('limit') ?? 20);
      return { status: 200, body: statuses.filter((s) => !s.deleted).slice().reverse().slice(0, limit).map(present) };
    }
    return undefined;
  });
  base = fake.url;
  const seedStatus = (who: string, text: string): MastodonStatus => {
    const id = String(next++);
    const status: MastodonStatus = { id, text, content: `<p>${escape(text)}</p>`, language: null, mediaIds: [], url: `${base}/@${who}/${id}`, idempotencyKey: undefined, deleted: false, inReplyToId: null, account: who };
    statuses.push(status);
    return status;
  };
  return Object.assign(fake, { statuses, media, token, seedStatus });
}
