/**
 * Python's feedparser (Debian python3-feedparser) as an independent reader in tests. `available()`
 * is false when python3 or the module is missing, and the tests that need it skip with a message.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { scratchDir } from './scratch.ts';

// Debian's module lives with /usr/bin/python3; a python3 earlier on PATH (pyenv) may not see it
let python: string | null | undefined;
function pythonWithFeedparser(): string | null {
  python ??= ['python3', '/usr/bin/python3'].find((exe) => spawnSync(exe, ['-c', 'import feedparser'], { stdio: 'ignore' }).status === 0) ?? null;
  return python;
}

export function feedparserAvailable(): boolean {
  return pythonWithFeedparser() !== null;
}

const SCRIPT = `
import json, sys, time, feedparser
def t(st): return time.strftime('%Y-%m-%dT%H:%M:%SZ', st) if st else None
out = []
for f in sys.argv[1:]:
    d = feedparser.parse(f)
    out.append({
        'bozo': int(d.bozo), 'bozo_exception': str(d.get('bozo_exception', '')),
        'version': d.version, 'language': d.feed.get('language'), 'title': d.feed.get('title'),
        'links': [{'rel': l.get('rel'), 'href': l.get('href')} for l in d.feed.get('links', [])],
        'entries': [{
            'id': e.get('id'), 'title': e.get('title'), 'link': e.get('link'), 'author': e.get('author'),
            'created': t(e.get('created_parsed')), 'tags': [x.get('term') for x in e.get('tags', [])],
            'published': t(e.get('published_parsed')), 'updated': t(e.get('updated_parsed')),
            'links': [{'rel': l.get('rel'), 'href': l.get('href'), 'hreflang': l.get('hreflang'), 'type': l.get('type'), 'length': l.get('length')} for l in e.get('links', [])],
            'enclosures': [{'href': x.get('href'), 'type': x.get('type'), 'length': x.get('length')} for x in e.get('enclosures', [])],
            'media_content': e.get('media_content', []),
            'content': [c.get('value') for c in e.get('content', [])],
        } for e in d.entries],
    })
print(json.dumps(out))
`;

export interface ParsedByFeedparser {
  bozo: number;
  bozo_exception: string;
  version: string;
  language: string | null;
  title: string | null;
  links: { rel: string; href: string }[];
  entries: {
    id: string; title: string; link: string; author: string | null; created: string | null; tags: string[];
    published: string | null; updated: string | null;
    links: { rel: string; href: string; hreflang: string | null; type: string | null; length: string | null }[];
    enclosures: { href: string; type: string; length: string }[];
    media_content: Record<string, string>[];
    content: string[];
  }[];
}

/** Parses each document (as bytes on disk, like a download) with feedparser. */
export function parseWithFeedparser(documents: string[]): ParsedByFeedparser[] {
  const dir = scratchDir('feedparser');
  const files = documents.map((doc, i) => {
    const file = path.join(dir, `feed-${i}.xml`);
    writeFileSync(file, doc);
    return file;
  });
  const result = spawnSync(pythonWithFeedparser() ?? 'python3', ['-c', SCRIPT, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`feedparser failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}
