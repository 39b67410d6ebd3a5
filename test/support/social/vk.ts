/**
 * A VK API fake over HTTPS (dev.vk.com: POST /method/<name>, form-encoded, `access_token` and `v`
 * in the body; answers `{"response": …}` or `{"error": {error_code, error_msg}}` with HTTP 200):
 * photos.getWallUploadServer → an upload URL on this server → photos.saveWallPhoto, wall.post
 * (message at most 15,895 characters, `guid` honoured: the same guid gives the same post),
 * wall.get and wall.delete, for one community.
 */
import { formOf, startFake, type Answer, type FakeServer, type Recorded } from './fake.ts';

export interface VkPost { id: number; ownerId: number; fromGroup: boolean; text: string; attachments: string[]; guid: string | null; deleted: boolean }

export interface VkFake extends FakeServer {
  token: string;
  groupId: number;
  posts: VkPost[];
  photos: Array<{ id: number; bytes: number; caption: string }>;
  /** The next call of `method` answers VK error `code`. */
  failMethod(method: string, code: number, message?: string): void;
}

const vkError = (code: number, msg: string): Answer => ({ status: 200, body: { error: { error_code: code, error_msg: msg, request_params: [] } } });

export async function startVkFake(token = 'vk-test-token', groupId = 222333): Promise<VkFake> {
  const posts: VkPost[] = [];
  const photos: VkFake['photos'] = [];
  const uploads = new Map<string, { bytes: number }>();
  const failures: Array<{ method: string; code: number; message: string }> = [];
  let nextPost = 100;
  let nextPhoto = 456239000;
  let url = '';
  const params = (req: Recorded) => new URLSearchParams(req.body.toString('utf8'));

  const methods: Record<string, (p: URLSearchParams) => Answer> = {
    'photos.getWallUploadServer': (p) => (Number(p.get('group_id')) !== groupId ? vkError(15, 'Access denied')
      : { status: 200, body: { response: { upload_url: `${url}/upload/wall?gid=${groupId}`, album_id: -14, user_id: 0 } } }),
    'photos.saveWallPhoto': (p) => {
      const uploaded = uploads.get(p.get('photo') ?? '');
      if (!uploaded || p.get('hash') !== 'h-ok' || Number(p.get('group_id')) !== groupId) return vkError(100, 'One of the parameters specified was missing or invalid: photo is undefined');
      const photo = { id: nextPhoto++, bytes: uploaded.bytes, caption: p.get('caption') ?? '' };
      photos.push(photo);
      return { status: 200, body: { response: [{ id: photo.id, owner_id: -groupId, album_id: -14, date: 0, text: photo.caption, sizes: [{ type: 'x', width: 1280, height: 720, url: `${url}/p/${photo.id}.jpg` }] }] } };
    },
    'wall.post': (p) => {
      const ownerId = Number(p.get('owner_id'));
      if (ownerId !== -groupId) return vkError(214, 'Access to adding post denied');
      const text = p.get('message') ?? '';
      if (text.length > 15_895) return vkError(100, 'One of the parameters specified was missing or invalid: message is too long');
      const guid = p.get('guid');
      const same = guid ? posts.find((x) => x.guid === guid) : undefined;
      if (same) return { status: 200, body: { response: { post_id: same.id } } };
      const attachments = (p.get('attachments') ?? '').split(',').filter(Boolean);
      for (const a of attachments) {
        const photo = /^photo(-?\d+)_(\d+)/.exec(a);
        if (photo && !photos.some((x) => x.id === Number(photo[2]) && Number(photo[1]) === -groupId)) return vkError(100, `invalid attachment ${a}`);
      }
      const post: VkPost = { id: nextPost++, ownerId, fromGroup: p.get('from_group') === '1', text, attachments, guid, deleted: false };
      posts.push(post);
      return { status: 200, body: { response: { post_id: post.id } } };
    },
    'wall.get': (p) => {
      const items = posts.filter((x) => x.ownerId === Number(p.get('owner_id')) && !x.deleted).reverse().slice(0, Number(p.get('count') ?? 20)).map((x) => ({
        id: x.id, owner_id: x.ownerId, from_id: x.ownerId, date: 0, text: x.text,
        attachments: x.attachments.map((a) => (a.startsWith('http') ? { type: 'link', link: { url: a, title: '' } } : { type: 'photo', photo: { id: Number(a.split('_')[1]), owner_id: -groupId } })),
      }));
      return { status: 200, body: { response: { count: items.length, items } } };
    },
    'wall.delete': (p) => {
      const post = posts.find((x) => x.id === Number(p.get('post_id')) && x.ownerId === Number(p.get('owner_id')) && !x.deleted);
      if (!post) return vkError(100, 'One of the parameters specified was missing or invalid: post_id');
      post.deleted = true;
      return { status: 200, body: { response: 1 } };
    },
  };

  const fake = await startFake(async (req): Promise<Answer | undefined> => {
    if (req.method === 'POST' && req.path === '/upload/wall') {
      const file = (await formOf(req)).get('photo') as File | null;
      if (!file) return { status: 200, body: { server: 1, photo: '[]', hash: '' } };
      const key = `ph-${uploads.size + 1}`;
      uploads.set(key, { bytes: file.size });
      return { status: 200, body: { server: 1, photo: key, hash: 'h-ok' } };
    }
    const m = /^\/method\/([\w.]+)$/.exec(req.path);
    if (req.method !== 'POST' || !m) return undefined;
    const p = params(req);
    if (p.get('access_token') !== token) return vkError(5, 'User authorization failed: invalid access_token (4).');
    if (!p.get('v')) return vkError(8, 'Invalid request: v (version) is required');
    const failure = failures.findIndex((f) => f.method === m[1]);
    if (failure >= 0) {
      const [f] = failures.splice(failure, 1);
      return vkError(f!.code, f!.message);
    }
    const handler = methods[m[1]!];
    return handler ? handler(p) : vkError(3, 'Unknown method passed');
  }, { https: true });
  url = fake.url;
  return Object.assign(fake, {
    token, groupId, posts, photos,
    failMethod(method: string, code: number, message = `injected error ${code}`) { failures.push({ method, code, message }); },
  });
}
