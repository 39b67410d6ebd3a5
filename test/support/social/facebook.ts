/**
 * A Graph API fake for a Facebook page (developers.facebook.com/docs/pages-api/posts): POST
 * /{page-id}/feed with message and link, DELETE /{post-id}; errors in the Graph shape
 * {"error":{message,type,code,fbtrace_id}} (190 for a bad token).
 */
import { startFake, type Answer, type FakeServer } from './fake.ts';

export interface FacebookFake extends FakeServer {
  posts: { id: string; message: string; link: string; deleted: boolean }[];
}

export async function startFacebookFake(pageId = '1029384756', token = 'fb-page-token'): Promise<FacebookFake> {
  const posts: FacebookFake['posts'] = [];
  let next = 1;
  const graphError = (status: number, code: number, message: string): Answer => ({ status, body: { error: { message, type: 'OAuthException', code, fbtrace_id: 'AbC' } } });
  const fake = await startFake((req): Answer | undefined => {
    const form = new URLSearchParams(req.body.toString('utf8'));
    const accessToken = form.get('access_token') ?? req.query.get('access_token');
    if (accessToken !== token) return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (req.method === 'POST' && req.path === `/v21.0/${pageId}/feed`) {
      const id = `${pageId}_${next++}`;
      posts.push({ id, message: form.get('message') ?? '', link: form.get('link') ?? '', deleted: false });
      return { status: 200, body: { id } };
    }
    const del = /^\/v21\.0\/(\d+_\d+)$/.exec(req.path);
    if (req.method === 'DELETE' && del) {
      const p = posts.find((x) => x.id === del[1]);
      if (!p) return graphError(400, 100, 'Unsupported delete request');
      p.deleted = true;
      return { status: 200, body: { success: true } };
    }
    return undefined;
  });
  return Object.assign(fake, { posts });
}
