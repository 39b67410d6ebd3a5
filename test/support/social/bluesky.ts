/**
 * A Bluesky PDS fake (XRPC, lexicons com.atproto.server.* and com.atproto.repo.*): sessions with
 * access and refresh tokens (creations counted: they are rate-limited for real), blobs capped at
 * 1,000,000 bytes, posts checked against app.bsky.feed.post (≤ 300 graphemes, facets inside the
 * text's UTF-8 bytes), record keys that cannot be written twice.
 */
import { createHash, randomBytes } from 'node:crypto';
import { jsonOf, startFake, type Answer, type FakeServer } from './fake.ts';

export interface BlueskyRecord { rkey: string; uri: string; value: Record<string, any>; deleted: boolean }

export interface BlueskyFake extends FakeServer {
  records: BlueskyRecord[];
  /** A post in someone else's repo (`handle`, whose DID is made from it), read back through app.bsky.feed.getPosts; returns its record. */
  seedPost(handle: string, text: string, reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } }): BlueskyRecord & { cid: string };
  blobs: { cid: string; size: number; mimeType: string }[];
  sessionsCreated: number;
  /** Makes the current access token expire (the next call gets ExpiredToken and must refresh). */
  expireAccess(): void;
}

const b32 = 'abcdefghijklmnopqrstuvwxyz234567';
function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += b32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += b32[(value << (5 - bits)) & 31];
  return out;
}

/** A CIDv1 (raw codec, sha2-256) in base32, as a PDS names a blob. */
export function cidOf(bytes: Buffer, codec = 0x55): string {
  return `b${base32(Buffer.concat([Buffer.from([0x01, codec, 0x12, 0x20]), createHash('sha256').update(bytes).digest()]))}`;
}

const did = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';
const handle = 'desk-en.bsky.social';

export async function startBlueskyFake(identifier = handle, password = 'app-password'): Promise<BlueskyFake> {
  const records: BlueskyRecord[] = [];
  const blobs: BlueskyFake['blobs'] = [];
  let access = '';
  let refresh = '';
  let expired = false;
  let sessionsCreated = 0;
  const others = new Map<string, string>(); // did → handle of the other accounts' repos
  const issue = () => {
    access = `access-${randomBytes(8).toString('hex')}`;
    refresh = `refresh-${randomBytes(8).toString('hex')}`;
    expired = false;
    return { accessJwt: access, refreshJwt: refresh, handle, did, active: true };
  };
  const err = (status: number, error: string, message: string): Answer => ({ status, body: { error, message } });

  const fake = await startFake((req): Answer | undefined => {
    const method = req.path.replace(/^\/xrpc\//, '');
    const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (method === 'com.atproto.server.createSession') {
      const body = jsonOf<{ identifier?: string; password?: string }>(req);
      if (body.identifier !== identifier || body.password !== password) return err(401, 'AuthenticationRequired', 'Invalid identifier or password');
      sessionsCreated++;
      return { status: 200, body: issue() };
    }
    if (method === 'com.atproto.server.refreshSession') {
      if (bearer !== refresh) return err(400, 'ExpiredToken', 'Token has been revoked');
      return { status: 200, body: issue() };
    }
    if (bearer !== access) return err(401, 'AuthMissing', 'Authentication Required');
    if (expired) return err(400, 'ExpiredToken', 'Token has expired');
    if (method === 'com.atproto.identity.resolveHandle') {
      const known = [...others.entries()].find(([, h]) => h === req.query.get('handle'));
      if (req.query.get('handle') === handle) return { status: 200, body: { did } };
      return known ? { status: 200, body: { did: known[0] } } : err(400, 'InvalidRequest', 'Unable to resolve handle');
    }
    if (method === 'app.bsky.feed.getPosts') {
      const uris = req.query.getAll('uris');
      const posts = records.filter((r) => uris.includes(r.uri) && !r.deleted).map((r) => ({
        uri: r.uri, cid: cidOf(Buffer.from(JSON.stringify(r.value)), 0x71), record: r.value, indexedAt: new Date().toISOString(),
        author: { did: r.uri.split('/')[2], handle: others.get(r.uri.split('/')[2]!) ?? handle },
      }));
      return { status: 200, body: { posts } };
    }
    if (method === 'com.atproto.server.getSession') return { status: 200, body: { handle, did, active: true } };
    if (method === 'com.atproto.repo.uploadBlob') {
      if (req.body.length > 1_000_000) return err(400, 'BlobTooLarge', `This file is too large. It is ${req.body.length} bytes but the maximum size is 1000000 bytes.`);
      const blob = { cid: cidOf(req.body), size: req.body.length, mimeType: String(req.headers['content-type']) };
      blobs.push(blob);
      return { status: 200, body: { blob: { $type: 'blob', ref: { $link: blob.cid }, mimeType: blob.mimeType, size: blob.size } } };
    }
    if (method === 'com.atproto.repo.createRecord') {
      const body = jsonOf<{ repo: string; collection: string; rkey?: string; record: Record<string, any> }>(req);
      if (body.repo !== did && body.repo !== handle) return err(400, 'InvalidRequest', 'Invalid repo');
      const rkey = body.rkey ?? randomBytes(6).toString('hex');
      if (!/^[234567a-z]{13}$/.test(rkey)) return err(400, 'InvalidRequest', 'Invalid record key: not a TID');
      if (records.some((r) => r.rkey === rkey && !r.deleted)) return err(400, 'InvalidRequest', 'Record already exists');
      const text = String(body.record.text ?? '');
      const graphemes = [...new Intl.Segmenter().segment(text)].length;
      if (graphemes > 300) return err(400, 'InvalidRequest', `Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes (${graphemes})`);
      const bytes = Buffer.byteLength(text);
      for (const f of body.record.facets ?? []) {
        if (f.index.byteStart < 0 || f.index.byteEnd > bytes || f.index.byteStart >= f.index.byteEnd) return err(400, 'InvalidRequest', 'facet outside the text');
      }
      if (!body.record.createdAt) return err(400, 'InvalidRequest', 'Record/createdAt is required');
      const reply = body.record.reply;
      if (reply !== undefined) {
        // a reply's refs are strong refs to existing posts: their URI and their current CID
        for (const ref of [reply.root, reply.parent]) {
          const target = records.find((r) => r.uri === ref?.uri && !r.deleted);
          if (!target || ref.cid !== cidOf(Buffer.from(JSON.stringify(target.value)), 0x71)) return err(400, 'InvalidRequest', 'Invalid app.bsky.feed.post record: reply must name existing posts by uri and cid');
        }
      }
      const uri = `at://${did}/${body.collection}/${rkey}`;
      records.push({ rkey, uri, value: body.record, deleted: false });
      return { status: 200, body: { uri, cid: cidOf(Buffer.from(JSON.stringify(body.record)), 0x71) } };
    }
    if (method === 'com.atproto.repo.getRecord') {
      const r = records.find((x) => x.rkey === req.query.get('rkey') && x.uri.startsWith(`at://${did}/`) && !x.deleted);
      if (!r) return err(400, 'RecordNotFound', `Could not locate record: at://${did}/${req.query.get('collection')}/${req.query.get('rkey')}`);
      return { status: 200, body: { uri: r.uri, cid: cidOf(Buffer.from(JSON.stringify(r.value)), 0x71), value: r.value } };
    }
    if (method === 'com.atproto.repo.deleteRecord') {
      const body = jsonOf<{ rkey: string }>(req);
      const r = records.find((x) => x.rkey === body.rkey && !x.deleted);
      if (r) r.deleted = true;
      return { status: 200, body: {} };
    }
    return undefined;
  });
  Object.defineProperty(fake, 'sessionsCreated', { get: () => sessionsCreated });
  const seedPost: BlueskyFake['seedPost'] = (who, text, reply) => {
    const otherDid = `did:plc:${createHash('sha256').update(who).digest('hex').slice(0, 24)}`;
    others.set(otherDid, who);
    const rkey = base32(randomBytes(8)).slice(0, 13);
    const value = { $type: 'app.bsky.feed.post', text, createdAt: new Date().toISOString(), ...(reply ? { reply } : {}) };
    const record = { rkey, uri: `at://${otherDid}/app.bsky.feed.post/${rkey}`, value, deleted: false };
    records.push(record);
    return { ...record, cid: cidOf(Buffer.from(JSON.stringify(value)), 0x71) };
  };
  return Object.assign(fake as FakeServer & { sessionsCreated: number }, { records, blobs, seedPost, expireAccess() { expired = true; } });
}
