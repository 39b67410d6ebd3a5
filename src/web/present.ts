/** Rows to API shapes: camelCase keys, ISO 8601 times (Date serialises as ISO), no internal columns. */
import { cleanHtmlAsync } from '../core/sanitize.ts';
import type { StoryRow, TranslationRow } from '../store/schema.ts';
import type { StoryRouteRow } from '../store/schema-routing.ts';

export function presentStory(s: StoryRow) {
  return {
    id: s.id, sourceId: s.source_id, guid: s.guid, url: s.url, title: s.title, summary: s.summary, bodyHtml: s.body_html,
    author: s.author, attribution: s.attribution, category: s.category, priority: s.priority, imageUrl: s.image_url,
    version: s.version, publishedAt: s.published_at, ingestedAt: s.ingested_at, updatedAt: s.updated_at,
    // a re-run of an earlier story (another source re-posting it): linked, not translated again
    duplicateOf: s.duplicate_of, origin: s.origin,
  };
}

/**
 * A translation as the API gives it. Its body is a person's (or a machine's) HTML, stored as written:
 * `bodyHtml` is it sanitized the way publication sanitizes it (safe to render); `bodyHtmlRaw` is the
 * stored text, for editing it — to be shown as text or in an editor, never rendered as HTML. Every
 * reader of this API holds a desk role (translator or above, in the translation's language).
 */
export async function presentTranslation(t: TranslationRow) {
  return {
    id: t.id, storyId: t.story_id, audience: t.audience_id, language: t.language, state: t.state, provider: t.provider,
    title: t.title, summary: t.summary, ...(await presentBody(t.body_html)), version: t.version, storyVersion: t.story_version,
    // error: the provider's or the service's English words; errorCode (core/failure-reasons.ts) and errorValues: the same as a stable code
    lastEditor: t.last_editor, error: t.error, errorCode: t.error_code ?? null, errorValues: t.error_values ?? null, rejectReason: t.reject_reason,
    createdAt: t.created_at, updatedAt: t.updated_at, machineTranslatedAt: t.machine_translated_at,
    approvedAt: t.approved_at, approvedBy: t.approved_by, embargoUntil: t.embargo_until ?? null,
    // machine translation: when asked, parked (quota|budget), attempts, segments changed by a source update, checks to review
    machine: { requestedAt: t.mt_requested_at ?? null, waiting: t.mt_waiting ?? null, attempts: t.mt_attempts ?? 0, changedSegments: t.changed_segments ?? [], notes: t.mt_notes ?? [] },
  };
}

/** `bodyHtml` safe to render and `bodyHtmlRaw` as stored (see presentTranslation). */
export async function presentBody(raw: string) {
  // no base URL: a relative link is dropped here; publication resolves it against the story's URL
  return { bodyHtml: await cleanHtmlAsync(raw, undefined), bodyHtmlRaw: raw };
}

export function presentRoute(r: StoryRouteRow) {
  // rule: "priority", "take:<name>", "never:<name>", "everything", "no-rule", or "person" (decidedBy chose)
  return { storyId: r.story_id, audience: r.audience_id, choice: r.choice, rule: r.rule, decidedBy: r.decided_by, reason: r.reason, decidedAt: r.decided_at };
}
