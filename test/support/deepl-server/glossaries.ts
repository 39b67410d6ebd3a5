// In-memory v2 glossaries (one language pair each) for the DeepL test server.
import { randomUUID } from 'node:crypto';
import { HttpError } from './http.ts';

export type GlossaryEntry = readonly [source: string, target: string];

export interface StoredGlossary {
  glossary_id: string;
  name: string;
  ready: boolean;
  source_lang: string;
  target_lang: string;
  creation_time: string;
  entry_count: number;
  entries: GlossaryEntry[];
}

/** The JSON DeepL answers for a glossary (everything but the entries). */
export function glossaryInfo(g: StoredGlossary): Omit<StoredGlossary, 'entries'> {
  const { entries: _entries, ...info } = g;
  return info;
}

/** One CSV line: comma-separated, fields optionally in double quotes with "" as an escaped quote. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}

/** Parses `entries` (tsv: `source<TAB>target`; csv: `source,target[,src_lang,tgt_lang]`). */
export function parseEntries(text: string, format: string): GlossaryEntry[] {
  if (format !== 'tsv' && format !== 'csv') throw new HttpError(400, 'Unsupported entry format specified.');
  const entries: GlossaryEntry[] = [];
  const seen = new Set<string>();
  for (const [index, line] of text.split(/\r\n|\n|\r/).entries()) {
    if (line.trim() === '') continue;
    const fields = format === 'tsv' ? line.split('\t') : splitCsvLine(line);
    const [source, target] = fields;
    const allowed = format === 'tsv' ? [2] : [2, 4];
    if (!allowed.includes(fields.length) || !source?.trim() || !target?.trim()) {
      throw new HttpError(400, `Invalid glossary entries: line ${index + 1} is malformed.`);
    }
    if (seen.has(source)) throw new HttpError(400, `Invalid glossary entries: duplicate source term "${source}".`);
    seen.add(source);
    entries.push([source, target]);
  }
  if (entries.length === 0) throw new HttpError(400, 'Invalid glossary entries: no entries.');
  return entries;
}

export class GlossaryStore {
  private readonly byId = new Map<string, StoredGlossary>();

  create(name: string, sourceLang: string, targetLang: string, entries: GlossaryEntry[]): StoredGlossary {
    const glossary: StoredGlossary = {
      glossary_id: randomUUID(),
      name,
      ready: true,
      source_lang: sourceLang,
      target_lang: targetLang,
      creation_time: new Date().toISOString(),
      entry_count: entries.length,
      entries,
    };
    this.byId.set(glossary.glossary_id, glossary);
    return glossary;
  }

  /** Throws DeepL's 404 when the glossary does not exist. */
  get(id: string): StoredGlossary {
    const glossary = this.byId.get(id);
    if (!glossary) throw new HttpError(404, 'Glossary not found.');
    return glossary;
  }

  find(id: string): StoredGlossary | undefined {
    return this.byId.get(id);
  }

  list(): StoredGlossary[] {
    return [...this.byId.values()];
  }

  delete(id: string): void {
    this.get(id);
    this.byId.delete(id);
  }

  clear(): void {
    this.byId.clear();
  }
}

/** Entries as DeepL returns them from GET /v2/glossaries/:id/entries. */
export function entriesToTsv(entries: readonly GlossaryEntry[]): string {
  return entries.map(([s, t]) => `${s}\t${t}`).join('\n');
}
