/** Stories, drafts and people for the review desk's specs. */
import type { Db } from '../../src/store/db.ts';
import { createUser } from '../../src/store/users.ts';

export const password = 'correct horse battery staple';

export async function people(db: Db) {
  await createUser(db, { username: 'thu', displayName: 'Thu', role: 'translator', password, languages: ['en'], locale: 'en' });
  await createUser(db, { username: 'minh', displayName: 'Minh', role: 'translator', password, languages: ['fr'], locale: 'en' });
  await createUser(db, { username: 'lan', displayName: 'Lan', role: 'editor', password, locale: 'en' });
  await createUser(db, { username: 'hoa', displayName: 'Hoa', role: 'editor', password, locale: 'vi' });
}

/** A story from the sample feed's style with a machine draft for `audience`; returns the translation id. */
export async function draft(db: Db, opts: { guid: string; audience?: string; language?: string; priority?: boolean; ingestedAt?: Date; title?: string }): Promise<number> {
  const story = await db.insertInto('stories').values({
    guid: opts.guid, title: 'Người phát ngôn Bộ Ngoại giao thông tin về công tác bảo hộ công dân',
    summary: 'Trong 10 tháng đầu năm 2026, các cơ quan đại diện đã xử lý 1.245 vụ việc.',
    body_html: '<p>Chiều ngày 12/11/2026, Người phát ngôn Bộ Ngoại giao Đỗ Thanh Vân cho biết các cơ quan đại diện đã hỗ trợ hơn 3.600 lượt công dân, tăng 12,5%.</p>\n<p>Các cơ quan đại diện đã hỗ trợ thủ tục hồi hương cho 186 công dân.</p>',
    content_hash: `h-${opts.guid}`, priority: opts.priority ?? false, ...(opts.ingestedAt ? { ingested_at: opts.ingestedAt } : {}),
  }).returning('id').executeTakeFirstOrThrow();
  const text = {
    title: opts.title ?? 'Foreign Ministry spokesperson on citizen protection',
    summary: 'In the first 10 months of 2026, overseas missions handled 1,245 cases.',
    body_html: '<p>On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.</p>\n<p>The missions helped 186 citizens with repatriation procedures.</p>',
  };
  const t = await db.insertInto('translations').values({
    story_id: story.id, audience_id: opts.audience ?? 'en', language: opts.language ?? opts.audience ?? 'en', state: 'machine_translated', provider: 'deepl', ...text,
    last_editor: 'deepl', ...(opts.ingestedAt ? { created_at: opts.ingestedAt } : {}),
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('revisions').values({ translation_id: t.id, version: 1, title: text.title, summary: text.summary, body_html: text.body_html, author: 'deepl', kind: 'machine' }).execute();
  return t.id;
}
