/**
 * Routing: which audiences a new story goes to, and whether it waits for an editor first. Each
 * audience names the stories it takes (sources, categories, keywords, regions) and the ones it never
 * takes; the router decides, per audience, one of
 *
 *   take  — a translation is created and machine translation starts (automatic mode)
 *   plan  — the story waits on the planning page; nothing is spent until an editor chooses
 *   skip  — no translation for this audience
 *
 * and names the rule that decided. Order: a priority story goes to every audience whose
 * `priority` is "every" (an editor's urgent call outranks standing filters, and does not wait for
 * planning); then the first `never` rule that matches skips; then the first `take` rule that matches
 * takes (no `take` rules: every story); nothing matched skips.
 *
 * Words (keywords, regions, categories) are matched as whole words after NFC and case folding. A
 * word written with diacritics matches only those letters ("lúa" is not "lửa"); one written without
 * matches the letters with any diacritics or none ("lua" matches "lúa", "lửa" and "lua"). All rules
 * of all audiences are compiled once into one index, so a story is read once whatever their number.
 */
import { z } from 'zod';

const words = z.array(z.string().trim().min(1).max(200)).min(1);

export const routingRuleSchema = z.strictObject({
  /** Shown on the planning page and recorded with the route; "take 2" / "never 1" when absent. */
  name: z.string().trim().min(1).max(80).optional(),
  /** Source ids (any of them). */
  sources: z.array(z.string().min(1)).min(1).optional(),
  /** The story's category as the source gives it (any of them). */
  categories: words.optional(),
  /** Words or phrases in the title, summary or text (any of them). */
  keywords: words.optional(),
  /** Provinces, cities or countries named in the title, summary or text (any of them). */
  regions: words.optional(),
}).refine((r) => r.sources || r.categories || r.keywords || r.regions, 'needs at least one of sources, categories, keywords or regions');

export const routingModes = ['automatic', 'planning'] as const;
export type RoutingMode = (typeof routingModes)[number];

export const routingSchema = z.strictObject({
  /** automatic: a taken story is translated at once; planning: it waits for an editor's choice. */
  mode: z.enum(routingModes).default('automatic'),
  /** A rule's criteria must all match, each by any of its values. None: every story is taken. */
  take: z.array(routingRuleSchema).default([]),
  never: z.array(routingRuleSchema).default([]),
  /** every: a priority story comes here at once whatever the rules say; rules: it is routed like any other. */
  priority: z.enum(['every', 'rules']).default('every'),
});

export type RoutingRule = z.infer<typeof routingRuleSchema>;
export type RoutingConfig = z.infer<typeof routingSchema>;

/** An audience without routing: every story, translated at once (the behaviour before routing). */
export const everyStory: RoutingConfig = Object.freeze({ mode: 'automatic', take: [], never: [], priority: 'every' });

export const routeChoices = ['take', 'plan', 'skip'] as const;
export type RouteChoice = (typeof routeChoices)[number];

export interface Route {
  audienceId: string;
  choice: RouteChoice;
  /**
   * What decided, stable for storage and the desk: "priority", "never:<name>", "take:<name>",
   * "everything" (no take rules), "no-rule" (none matched).
   */
  rule: string;
}

/** What the router reads of a story; `text` is the body as plain text. */
export interface RoutableStory {
  sourceId: string | null;
  category: string | null;
  title: string;
  summary: string;
  text: string;
  priority: boolean;
}

export interface Router {
  route(story: RoutableStory): Route[];
}

/** Lower case, NFC, with diacritics removed (đ is its own letter, not d with a mark: NFD keeps it). */
export function foldWord(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/đ/g, 'd').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * What separates words: ASCII and Latin-1 punctuation and symbols, general and CJK punctuation,
 * full-width forms. Spelled out rather than as "not a letter" (\P{L}): a Unicode-property split is
 * five times slower, and most of routing's time is reading the text.
 */
const WORD_SPLIT = /[\s\u0000-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f\ufe30-\ufe4f\uff00-\uff0f]+/;
const tokens = (text: string) => text.split(WORD_SPLIT).filter(Boolean);
const hasDiacritics = (word: string) => foldWord(word) !== word.normalize('NFC').toLowerCase();

/** All phrases of all rules by first word, exact and folded apart; each phrase gets an id. */
class PhraseIndex {
  private readonly exact = new Map<string, { rest: string[]; id: number }[]>();
  private readonly folded = new Map<string, { rest: string[]; id: number }[]>();
  private readonly ids = new Map<string, number>();

  /** The id of a phrase (the same phrase in two rules shares one); -1 for a phrase with no word. */
  add(phrase: string): number {
    const strict = hasDiacritics(phrase);
    const words = tokens(strict ? phrase.normalize('NFC').toLowerCase() : foldWord(phrase));
    if (!words.length) return -1;
    const key = `${strict ? 'e' : 'f'} ${words.join(' ')}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.ids.size;
    this.ids.set(key, id);
    const map = strict ? this.exact : this.folded;
    const list = map.get(words[0]!) ?? [];
    list.push({ rest: words.slice(1), id });
    map.set(words[0]!, list);
    return id;
  }

  get size(): number {
    return this.ids.size;
  }

  /** Marks in `found` every phrase that occurs in the text as whole words. */
  scan(text: string, found: Uint8Array): void {
    if (!this.ids.size) return;
    const lower = text.normalize('NFC').toLowerCase();
    const exact = tokens(lower);
    let folded: string[] = [];
    if (this.folded.size) {
      // folding the whole text once keeps word boundaries (letters stay letters, marks go), so
      // folded[i] is exact[i] folded; a stray mark between words would shift them: fold word by word
      folded = tokens(foldWord(lower));
      if (folded.length !== exact.length) folded = exact.map(foldWord);
    }
    const walk = (map: PhraseIndex['exact'], words: string[]) => {
      if (!map.size) return;
      for (let i = 0; i < words.length; i++) {
        const candidates = map.get(words[i]!);
        if (!candidates) continue;
        for (const c of candidates) {
          if (found[c.id]) continue;
          let ok = true;
          for (let j = 0; j < c.rest.length; j++) if (words[i + 1 + j] !== c.rest[j]) { ok = false; break; }
          if (ok) found[c.id] = 1;
        }
      }
    };
    walk(this.exact, exact);
    walk(this.folded, folded);
  }
}

interface CompiledRule {
  label: string;
  sources?: ReadonlySet<string>;
  /** Folded categories and the exact (NFC, lower case) ones written with diacritics. */
  categories?: { folded: ReadonlySet<string>; exact: ReadonlySet<string> };
  keywords?: number[];
  regions?: number[];
}

interface CompiledAudience {
  id: string;
  mode: RoutingMode;
  priorityEverywhere: boolean;
  take: CompiledRule[];
  never: CompiledRule[];
}

/** Builds the router once (at start); routing a story is then a pure function of the story. */
export function compileRouter(audiences: readonly { id: string; routing?: RoutingConfig | undefined }[]): Router {
  const index = new PhraseIndex();
  const compileRule = (kind: 'take' | 'never', rule: RoutingRule, i: number): CompiledRule => {
    const compiled: CompiledRule = { label: `${kind}:${rule.name ?? `${kind} ${i + 1}`}` };
    if (rule.sources) compiled.sources = new Set(rule.sources);
    if (rule.categories) {
      const folded = new Set<string>();
      const exact = new Set<string>();
      for (const c of rule.categories) (hasDiacritics(c) ? exact.add(c.normalize('NFC').toLowerCase().trim()) : folded.add(foldWord(c).trim()));
      compiled.categories = { folded, exact };
    }
    if (rule.keywords) compiled.keywords = rule.keywords.map((k) => index.add(k)).filter((id) => id >= 0);
    if (rule.regions) compiled.regions = rule.regions.map((k) => index.add(k)).filter((id) => id >= 0);
    return compiled;
  };
  const compiled: CompiledAudience[] = audiences.map(({ id, routing = everyStory }) => ({
    id,
    mode: routing.mode,
    priorityEverywhere: routing.priority === 'every',
    take: routing.take.map((r, i) => compileRule('take', r, i)),
    never: routing.never.map((r, i) => compileRule('never', r, i)),
  }));
  const needsText = index.size > 0;

  return {
    route(story) {
      const found = new Uint8Array(index.size);
      if (needsText) index.scan(`${story.title}\n${story.summary}\n${story.text}`, found);
      const category = story.category?.normalize('NFC').toLowerCase().trim() ?? null;
      const foldedCategory = category === null ? null : foldWord(category);
      const matches = (rule: CompiledRule) =>
        (!rule.sources || (story.sourceId !== null && rule.sources.has(story.sourceId)))
        && (!rule.categories || (category !== null && (rule.categories.exact.has(category) || rule.categories.folded.has(foldedCategory!))))
        && (!rule.keywords || rule.keywords.some((id) => found[id]))
        && (!rule.regions || rule.regions.some((id) => found[id]));
      return compiled.map((a): Route => {
        if (story.priority && a.priorityEverywhere) return { audienceId: a.id, choice: 'take', rule: 'priority' };
        const never = a.never.find(matches);
        if (never) return { audienceId: a.id, choice: 'skip', rule: never.label };
        const taken = a.take.length ? a.take.find(matches)?.label : 'everything';
        if (!taken) return { audienceId: a.id, choice: 'skip', rule: 'no-rule' };
        return { audienceId: a.id, choice: a.mode === 'planning' ? 'plan' : 'take', rule: taken };
      });
    },
  };
}
