/**
 * The review benchmark's desk (review.bench.ts): 100,000 stories from 20 sources over the last ten
 * weeks, 800,000 translations in 8 audiences (one in ten stories still open, one in 97 a priority
 * story), the machine revision of every open draft, a year of work by one translator (lan: 8,000
 * drafts edited and submitted) and 100,000 audit entries. Every story says the same words but its
 * number, and the oldest 2,000 also name a typhoon, so that search meets a word in every story,
 * one in a single story and one in a few old ones. The state of a desk that has been
 * running: every publication already harvested into the translation memory and no machine work
 * waiting (the drafts are the configured audiences' own, manual).
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../src/store/db.ts';
import { importTerms, parseGlossaryTsv } from '../src/store/glossary.ts';

export const STORIES = 100_000;
export const audiences = [['en', 'en'], ['fr', 'fr'], ['es', 'es'], ['ru', 'ru'], ['zh', 'zh-Hans'], ['ja', 'ja'], ['ko', 'ko'], ['lo', 'lo']] as const;
export const SOURCES = 20;
/** The oldest 2,000 stories (and their translations) name a typhoon: a word of a few, all far back. */
export const YAGI = 2000;
export const now = new Date('2026-11-27T08:00:00Z');

export async function seedDesk(db: Db, stories = STORIES): Promise<void> {
  await sql`INSERT INTO sources (id, name, url) SELECT 'source-' || n, 'Báo ' || n, 'https://example.vn/' || n || '/rss' FROM generate_series(1, ${SOURCES}::int) AS n`.execute(db);
  await sql`INSERT INTO stories (guid, source_id, title, summary, body_html, content_hash, priority, ingested_at, updated_at)
    SELECT 'b' || n, 'source-' || (1 + n % ${SOURCES}), 'Tin số ' || n || ': Người phát ngôn Bộ Ngoại giao thông tin về công tác bảo hộ công dân',
           'Trong 10 tháng đầu năm 2026, các cơ quan đại diện Việt Nam ở nước ngoài đã xử lý 1.245 vụ việc, hỗ trợ hơn 3.600 lượt công dân.'
             || CASE WHEN n <= ${YAGI} THEN ' Bão Yagi gây thiệt hại nặng ở miền Bắc.' ELSE '' END,
           repeat('<p>Chiều ngày 12/11/2026, Người phát ngôn Bộ Ngoại giao Đỗ Thanh Vân cho biết Bộ Ngoại giao đã chỉ đạo các cơ quan đại diện duy trì đường dây nóng, tăng 12,5% so với cùng kỳ.</p>', 5),
           md5(n::text), n % 97 = 0, ${now}::timestamptz - make_interval(mins => ${stories} - n), ${now}::timestamptz - make_interval(mins => ${stories} - n)
    FROM generate_series(1, ${stories}::int) AS n`.execute(db);
  const values = sql.join(audiences.map(([id, lang]) => sql`(${id}, ${lang})`));
  await sql`INSERT INTO translations (story_id, audience_id, language, state, provider, title, summary, body_html, last_editor, created_at, updated_at, memory_version)
    SELECT s.id, a.id, a.lang,
           CASE WHEN s.id % 10 = 0 OR (s.priority AND s.id > ${stories} - 20000) THEN (ARRAY['machine_translated', 'in_review', 'rejected', 'queued'])[1 + (s.id / 10) % 4] ELSE 'published' END,
           'manual', 'Story ' || s.id || ': Foreign Ministry spokesperson on citizen protection',
           'In the first 10 months of 2026, overseas missions handled 1,245 cases and assisted more than 3,600 citizens.'
             || CASE WHEN s.id <= ${YAGI} THEN ' Typhoon Yagi caused heavy damage in the north.' ELSE '' END,
           repeat('<p>On the afternoon of 12 November 2026, Foreign Ministry spokesperson Do Thanh Van said the ministry had told missions to keep their hotlines open, up 12.5% year on year.</p>', 5),
           'deepl', s.ingested_at, s.ingested_at, 1
    FROM stories s CROSS JOIN (VALUES ${values}) AS a(id, lang)`.execute(db);
  await sql`INSERT INTO revisions (translation_id, version, title, summary, body_html, author, kind)
    SELECT id, 1, title, summary, body_html, 'deepl', 'machine' FROM translations WHERE state <> 'published'`.execute(db);
  // lan's year: English drafts of every 12th story edited (version 2) and submitted
  await sql`INSERT INTO revisions (translation_id, version, title, summary, body_html, author, kind, created_at)
    SELECT t.id, 2, t.title, t.summary, t.body_html, 'lan', 'edit', t.created_at + interval '20 minutes'
    FROM translations t WHERE t.audience_id = 'en' AND t.story_id % 12 = 0`.execute(db);
  await sql`INSERT INTO translation_events (translation_id, from_state, to_state, actor, created_at)
    SELECT t.id, 'machine_translated', 'in_review', 'lan', t.created_at + interval '21 minutes'
    FROM translations t WHERE t.audience_id = 'en' AND t.story_id % 12 = 0`.execute(db);
  await sql`INSERT INTO audit_log (at, actor, action, target, status, ip)
    SELECT ${now}::timestamptz - make_interval(mins => n), (ARRAY['lan', 'minh', 'token:cms', 'hoa'])[1 + n % 4],
           'POST /ui/translations/:id', '/ui/translations/' || (n * 8) , CASE WHEN n % 50 = 0 THEN 409 ELSE 303 END, '127.0.0.1'
    FROM generate_series(1, 100000) AS n`.execute(db);
  await importTerms(db, { sourceLanguage: 'vi', targetLanguage: 'en' }, parseGlossaryTsv(readFileSync(new URL('../config/glossaries/vi-en.tsv', import.meta.url), 'utf8')), 'bench', now);
  // as autovacuum would after a bulk load: statistics, and the visibility map index-only scans need
  await sql`VACUUM ANALYZE`.execute(db);
  await sql`CHECKPOINT`.execute(db);
}
