import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * README.md and the pages of docs/: every relative link names a file that exists, and every #anchor names a heading
 * of the page it points to (GitHub's rule: lowercase, punctuation removed, spaces → '-', repeats get -1, -2…).
 */
const ROOT = path.join(__dirname, '../..');
const DOCS = path.join(ROOT, 'docs');
const pages = [path.join(ROOT, 'README.md'), ...readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => path.join(DOCS, f))];

/** The text outside fenced code blocks, with inline code spans removed. */
function prose(markdown: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) lines.push(line);
  }
  return lines;
}

export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of prose(readFileSync(file, 'utf8'))) {
    const heading = line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
    if (!heading) continue;
    const base = slug(heading[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}

function links(file: string): string[] {
  const found: string[] = [];
  for (const line of prose(readFileSync(file, 'utf8'))) {
    const text = line.replace(/`[^`]*`/g, (code) => (/^`[^`]*`$/.test(code) ? ' ' : code));
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) found.push(m[1]);
  }
  return found;
}

describe('links between README.md and docs/', () => {
  it('computes anchors the way GitHub does', () => {
    expect(slug('Judged on a second model (`npm run bench:risk`)')).toBe('judged-on-a-second-model-npm-run-benchrisk');
    expect(slug('Risk zones (methodology v1)')).toBe('risk-zones-methodology-v1');
    expect(slug('Limits and errors')).toBe('limits-and-errors');
  });

  it.each(pages.map((p) => [path.relative(ROOT, p), p]))('%s: every relative link and anchor resolves', (_name, page) => {
    const broken: string[] = [];
    for (const link of links(page)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // http:, https:, mailto:
      const [target, anchor] = link.split('#');
      const file = target ? path.resolve(path.dirname(page), decodeURI(target)) : page;
      if (!existsSync(file)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!statSync(file).isFile() || !file.endsWith('.md')) broken.push(`${link}: an anchor into something that is not a Markdown page`);
      else if (!anchors(file).has(anchor)) broken.push(`${link}: no heading with this anchor (${[...anchors(file)].join(', ')})`);
    }
    expect(broken).toEqual([]);
  });

  it('the README links every page of docs/', () => {
    const readmeLinks = links(path.join(ROOT, 'README.md')).map((l) => l.split('#')[0]);
    for (const page of pages.slice(1)) expect(readmeLinks).toContain(`docs/${path.basename(page)}`);
  });

  it('finds links at all (the checker is not vacuous)', () => {
    expect(links(path.join(ROOT, 'README.md')).length).toBeGreaterThan(5);
    expect(pages.length).toBeGreaterThan(5);
  });
});
