// The language table of the DeepL test server, and the /v2/languages, /v3/languages and
// /v2/glossary-language-pairs views of it.
//
// Defaults follow /work/shared/reference/external-apis.md §1 and the brief: VI works as source
// and target with glossaries but WITHOUT tag handling and without formality; no LO, no KM; EN and
// PT are source-only here (as targets they are deprecated and deepl-node refuses them anyway).
// Caveat: DeepL's own vended /v3/languages snapshot in DeepLcom/api-docs
// (snippets/language-table.jsx) lists `tag_handling` for vi; pass
// `languages: [{ code: 'vi', tagHandling: true }]` to model that.
//
// /v3/languages shape, checked against that snapshot: an array of
// {lang, name, status, usable_as_source, usable_as_target, features: {<feature>: {status}}},
// with codes like `en-GB` and `zh-Hans`. `features` is an object keyed by feature name, not an array.

/** One language as the server reports it; in `languages` overrides only `code` is required. */
export interface LanguageCapabilities {
  /** `vi`, `en-GB`, `zh-Hans`… (compared case-insensitively). */
  code: string;
  name?: string;
  source?: boolean;
  target?: boolean;
  formality?: boolean;
  tagHandling?: boolean;
  glossary?: boolean;
}

export type Language = Required<LanguageCapabilities>;

const lang = (
  code: string,
  name: string,
  source: boolean,
  target: boolean,
  features: { formality?: boolean; tagHandling?: boolean; glossary?: boolean },
): Language => ({
  code,
  name,
  source,
  target,
  formality: features.formality ?? false,
  tagHandling: features.tagHandling ?? false,
  glossary: features.glossary ?? false,
});

const FULL = { formality: true, tagHandling: true, glossary: true };
const NO_FORMALITY = { tagHandling: true, glossary: true };

export const DEFAULT_LANGUAGES: readonly Language[] = [
  lang('vi', 'Vietnamese', true, true, { glossary: true }),
  lang('en', 'English', true, false, NO_FORMALITY),
  lang('en-GB', 'English (British)', false, true, NO_FORMALITY),
  lang('en-US', 'English (American)', false, true, NO_FORMALITY),
  lang('fr', 'French', true, true, FULL),
  lang('es', 'Spanish', true, true, FULL),
  lang('ru', 'Russian', true, true, FULL),
  lang('zh', 'Chinese', true, true, NO_FORMALITY),
  lang('zh-Hans', 'Chinese (simplified)', false, true, NO_FORMALITY),
  lang('zh-Hant', 'Chinese (traditional)', false, true, NO_FORMALITY),
  lang('ja', 'Japanese', true, true, FULL),
  lang('ko', 'Korean', true, true, NO_FORMALITY),
  lang('de', 'German', true, true, FULL),
  lang('pt', 'Portuguese', true, false, FULL),
  lang('pt-PT', 'Portuguese (European)', false, true, FULL),
  lang('pt-BR', 'Portuguese (Brazilian)', false, true, FULL),
];

/** Defaults with `overrides` merged in by code; unknown codes are added (name defaults to the code). */
export function buildLanguageTable(overrides: readonly LanguageCapabilities[] = []): Language[] {
  const table = DEFAULT_LANGUAGES.map((l) => ({ ...l }));
  for (const override of overrides) {
    const existing = table.find((l) => l.code.toLowerCase() === override.code.toLowerCase());
    const defined = Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined));
    if (existing) Object.assign(existing, defined, { code: existing.code });
    else table.push({ ...lang(override.code, override.code, false, false, {}), ...defined });
  }
  return table;
}

export function findLanguage(table: readonly Language[], code: string): Language | undefined {
  const wanted = code.toLowerCase();
  return table.find((l) => l.code.toLowerCase() === wanted);
}

/** `en-GB` → `en`; `ZH-HANS` → `zh`. */
export function baseCode(code: string): string {
  return (code.split('-')[0] ?? code).toLowerCase();
}

/** GET /v2/languages?type=source|target → [{language: 'EN-GB', name, supports_formality?}]. */
export function v2Languages(table: readonly Language[], type: 'source' | 'target'): unknown[] {
  return table
    .filter((l) => (type === 'source' ? l.source : l.target))
    .map((l) =>
      type === 'source'
        ? { language: l.code.toUpperCase(), name: l.name }
        : { language: l.code.toUpperCase(), name: l.name, supports_formality: l.formality },
    );
}

/** GET /v3/languages?resource=translate_text|glossary. */
export function v3Languages(table: readonly Language[], resource: 'translate_text' | 'glossary'): unknown[] {
  const stable = { status: 'stable' };
  const rows = resource === 'glossary' ? glossaryLanguages(table) : table.filter((l) => l.source || l.target);
  return rows.map((l) => {
    const features: Record<string, { status: string }> = {};
    if (resource === 'translate_text') {
      if (l.source) features['auto_detection'] = stable;
      if (l.formality) features['formality'] = stable;
      if (l.glossary) features['glossary'] = stable;
      if (l.tagHandling) features['tag_handling'] = stable;
    }
    const both = resource === 'glossary';
    return {
      lang: l.code,
      name: l.name,
      status: 'stable',
      usable_as_source: both || l.source,
      usable_as_target: both || l.target,
      features,
    };
  });
}

/** Base languages (no region) that can be used in v2 glossaries. */
export function glossaryLanguages(table: readonly Language[]): Language[] {
  return table.filter((l) => l.glossary && !l.code.includes('-'));
}

/** GET /v2/glossary-language-pairs: every ordered pair of distinct glossary languages. */
export function glossaryPairs(table: readonly Language[]): Array<{ source_lang: string; target_lang: string }> {
  const codes = glossaryLanguages(table).map((l) => l.code.toLowerCase());
  return codes.flatMap((s) => codes.filter((t) => t !== s).map((t) => ({ source_lang: s, target_lang: t })));
}
