/** A webhook receiver: records each delivery (parsed body, key, signature) and answers with an id. */
import { jsonOf, startFake, type FakeServer } from './fake.ts';

export interface WebhookFake extends FakeServer {
  deliveries: { body: Record<string, any>; key: string | undefined; signature: string | undefined }[];
}

export async function startWebhookFake(): Promise<WebhookFake> {
  const deliveries: WebhookFake['deliveries'] = [];
  const fake = await startFake((req) => {
    if (req.method !== 'POST' || req.path !== '/hook') return undefined;
    const body = jsonOf(req);
    deliveries.push({ body, key: req.headers['idempotency-key'] as string | undefined, signature: req.headers['x-doingoai-signature'] as string | undefined });
    return { status: 200, body: { id: `hook-${deliveries.length}`, url: `https://partner.example/posts/${deliveries.length}` } };
  });
  return Object.assign(fake, { deliveries });
}
