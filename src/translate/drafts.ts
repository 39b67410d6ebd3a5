/**
 * Storing machine drafts: exactly once, billed once. Drafts of one round are gathered
 * (draftWriter) and written together (storeDrafts): under the rows' locks, each translation is
 * checked to be still waiting (queued or outdated: both may move to machine_translated), and its
 * text, revision, state change, per-segment alignment, billed characters and memory pairs land in
 * one statement.
 */
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { storeMachineDrafts, type SegmentOrigin } from '../store/machine-drafts.ts';
import type { StoryRow } from '../store/schema.ts';
import type { ClaimedTranslation } from '../store/machine-claims.ts';
import { rebuildBody, stripMarks, type Segment } from './segments.ts';

export interface DraftDeps { db: Db; log: Logger; sourceLanguage: string; clock(): Date }

/**
 * Writes drafts as they become ready, gathering those of one round: a write starts when every
 * audience still out has answered, or `maxWaitMs` after the first waiting draft, whichever comes
 * first; drafts ready during a write go in the next one. A crash loses at most the answers of that
 * moment, and a round costs one durable commit instead of one per audience.
 */
export function draftWriter(store: (drafts: Draft[]) => Promise<Set<number>>, expected: number, maxWaitMs = 10) {
  let queue: Array<{ draft: Draft; done: (stored: boolean) => void; fail: (err: unknown) => void }> = [];
  let outstanding = expected;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    clearTimeout(timer);
    timer = undefined;
    running = true;
    while (queue.length) {
      const batch = queue;
      queue = [];
      outstanding -= batch.length;
      try {
        const stored = await store(batch.map((b) => b.draft));
        for (const b of batch) b.done(stored.has(b.draft.translation.id));
      } catch (err) {
        for (const b of batch) b.fail(err);
      }
    }
    running = false;
  };
  const maybeRun = () => {
    if (running || !queue.length) return;
    if (queue.length >= outstanding) void run();
    else timer ??= setTimeout(() => void (running || run()), maxWaitMs);
  };
  return {
    write: (draft: Draft) => new Promise<boolean>((done, fail) => {
      queue.push({ draft, done, fail });
      maybeRun();
    }),
    /** An audience finished without a draft (failed, handed to a person). */
    skip() {
      outstanding--;
      maybeRun();
    },
  };
}

/** A machine draft ready to be stored. */
export interface Draft {
  translation: ClaimedTranslation;
  /** The provider that made it. */
  provider: string;
  targets: string[];
  origins: SegmentOrigin[];
  notes: string[];
  usage: { billedCharacters: number; requests: number; memoryHits: number; memoryCharactersSaved: number };
  machineKey: string;
  memoryKeys: string[];
  log: Logger;
}

/**
 * Stores drafts of one story in one statement (one round trip and one durable commit for the
 * audiences that answered together): each translation is re-checked under its row lock and skipped
 * when another worker or a person got there first; its text, revision, state change, segments,
 * billed characters and memory pairs land together or not at all. Answers the ids stored. Should
 * the joint write fail, each draft is tried on its own.
 */
export async function storeDrafts(deps: DraftDeps, story: StoryRow, source: SegmentedStory, drafts: readonly Draft[]): Promise<Set<number>> {
  try {
    return await writeDrafts(deps, story, source, drafts);
  } catch (err) {
    if (drafts.length === 1) throw err;
    deps.log.warn({ story_id: story.id, err: (err as Error).message }, 'storing the drafts together failed; storing them one by one');
    const stored = new Set<number>();
    for (const d of drafts) for (const id of await writeDrafts(deps, story, source, [d])) stored.add(id);
    return stored;
  }
}

/** The story as it was translated: its segments and their memory keys, by position. */
export interface SegmentedStory { segments: readonly Segment[]; keys: readonly string[] }

async function writeDrafts(deps: DraftDeps, story: StoryRow, { segments, keys }: SegmentedStory, drafts: readonly Draft[]): Promise<Set<number>> {
  const ids = await storeMachineDrafts(deps.db, {
    sourceLanguage: deps.sourceLanguage, storyVersion: story.version, at: deps.clock(),
    segments: segments.map((s, i) => ({ kind: s.kind, tag: s.tag, sourceKey: keys[i]!, sourceText: s.text, links: s.links })),
    drafts: drafts.map((d) => {
      const [title = '', summary = '', ...body] = d.targets;
      return {
        translationId: d.translation.id, audienceId: d.translation.audience_id, provider: d.provider, claimedUntil: d.translation.mt_lease_until,
        text: { title: stripMarks(title), summary: stripMarks(summary), bodyHtml: rebuildBody(story.body_html, segments.slice(2), body) },
        // shown to the reviewer when the story was outdated: the segments translated again
        changed: d.origins.map((o, i) => (o === 'kept' ? -1 : i)).filter((i) => i >= 0),
        notes: d.notes, usage: d.usage,
        targets: segments.map((_, i) => ({ text: d.targets[i] ?? '', origin: d.origins[i]! })),
        memoryKeys: d.memoryKeys, machineKey: d.machineKey,
      };
    }),
  });
  for (const d of drafts) if (ids.has(d.translation.id)) d.log.info({ billed_characters: d.usage.billedCharacters, requests: d.usage.requests, memory_hits: d.usage.memoryHits, notes: d.notes.length }, 'machine draft stored');
  return ids;
}
