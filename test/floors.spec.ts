/**
 * The floors of src/: each folder's README says what it must never import ("**Never imports:**"
 * followed by `folder/` and `file.ts` names), and no file of the folder, spec files included, does.
 * A README may forbid more than the floors require, never less.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const entryPoints = ['service.ts', 'main.ts', 'cli.ts'];
/** Lowest first; a folder may import only from its own floor or below (and the top-level basics). */
const floors: string[][] = [['core'], ['store', 'jobs'], ['ingest', 'translate'], ['publish'], ['review', 'social'], ['ops'], ['web']];

const folders = readdirSync(src).filter((f) => statSync(path.join(src, f)).isDirectory());

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

/** What the text of `file` imports inside src/, as `folder/` or a top-level `file.ts`. */
function importsIn(file: string, text = readFileSync(file, 'utf8')): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = path.relative(src, path.resolve(path.dirname(file), m[1]!));
    if (target.startsWith('..')) continue;
    const [first, ...rest] = target.split(path.sep);
    out.add(rest.length ? `${first}/` : first!);
  }
  return out;
}

function neverImports(folder: string): string[] {
  const readme = readFileSync(path.join(src, folder, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.startsWith('**Never imports:**'));
  if (!line) throw new Error(`src/${folder}/README.md has no "**Never imports:**" line`);
  return [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((n) => n.endsWith('/') || n.endsWith('.ts'));
}

describe('floors of src/', () => {
  it('places every folder on a floor', () => {
    expect(folders.filter((f) => !floors.flat().includes(f))).to.deep.equal([]);
  });

  for (const folder of folders) {
    describe(`${folder}/`, () => {
      it('forbids, in its README, every folder above it and the entry points', () => {
        const level = floors.findIndex((names) => names.includes(folder));
        const above = floors.slice(level + 1).flat().map((f) => `${f}/`);
        expect(neverImports(folder)).to.include.members([...above, ...entryPoints]);
      });

      it('imports nothing its README forbids', () => {
        const forbidden = new Set(neverImports(folder));
        const offending = filesUnder(path.join(src, folder)).flatMap((file) =>
          [...importsIn(file)].filter((i) => forbidden.has(i)).map((i) => `${path.relative(src, file)} -> ${i}`));
        expect(offending).to.deep.equal([]);
      });
    });
  }

  it('finds static, type, dynamic, side-effect and re-export imports, not packages', () => {
    const sample = [
      "import { a } from '../core/workflow.ts';", "import type { B } from '../store/db.ts';", "const c = await import('../web/app.ts');",
      "import './local.ts';", "import x from 'kysely';", "export { d } from '../config.ts';",
    ].join('\n');
    expect([...importsIn(path.join(src, 'ingest', 'probe.ts'), sample)]).to.deep.equal(['core/', 'store/', 'web/', 'ingest/', 'config.ts']);
  });
});
