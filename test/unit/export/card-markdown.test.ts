/**
 * The model card as a Markdown viewer shows it (issue 12, item 5): README.md is rendered by a real
 * CommonMark + GFM-tables renderer (markdown-it) with raw HTML allowed, as a permissive viewer
 * would, and no element, attribute or table cell may come from the data. Checked on a card built
 * from a real fit whose column names, levels, class labels, target and file name are hostile, and
 * as a property of the renderer on arbitrary text (fast-check). model-card.html is checked too.
 */
import fc from 'fast-check';
import MarkdownIt, { type Token } from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitFinalModel } from '../../../src/core/automl/model.ts';
import { resolveProject } from '../../../src/core/automl/project.ts';
import { profileFrame } from '../../../src/core/data/profile.ts';
import { bundleFiles } from '../../../src/core/export/bundle.ts';
import { code, h, list, p, renderHtml, renderMarkdown, table, type Block, type Inline } from '../../../src/core/export/card-doc.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { cat, frame as makeFrame, num } from '../../helpers/frames.ts';
import { bundleInput, type Fitted } from './fixtures.ts';

const md = new MarkdownIt({ html: true });

/** The elements markdown-it writes for the card's own structure, and the attributes it may give them. */
const MD_TAGS = new Set(['h1', 'h2', 'h3', 'p', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'pre', 'strong']);
const MD_ATTRS = /^(| style="text-align:right"| class="language-(js|html|sh|python|java|csharp)")$/;

/** Every tag in the rendered HTML; the text never holds a bare "<" (markdown-it writes &lt;). */
function tags(html: string): { name: string; attrs: string }[] {
  return [...html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)].map((m) => ({ name: m[1].toLowerCase(), attrs: m[2] }));
}

function expectOnlyCardMarkup(html: string): void {
  const stray = tags(html).filter((t) => !MD_TAGS.has(t.name) || !MD_ATTRS.test(t.attrs));
  expect(stray).toEqual([]);
  // What is left once the card's own tags are gone is text: no "<" that a browser would read as markup.
  expect(html.replace(/<\/?[a-z][\w-]*[^>]*>/g, '')).not.toMatch(/<[a-zA-Z!/?]/);
}

/** The text of an inline token as a reader sees it; anything but text, code and strong is flagged. */
function inlineText(tok: Token): string {
  return (tok.children ?? [])
    .map((c) => {
      if (c.type === 'text' || c.type === 'code_inline') return c.content;
      if (c.type === 'strong_open' || c.type === 'strong_close') return '';
      return `«${c.type}»`;
    })
    .join('');
}

interface RenderedTable {
  head: string[];
  rows: string[][];
}

/** The tables of a Markdown text as markdown-it parses them: the text of every cell. */
function tablesOf(markdown: string): RenderedTable[] {
  const out: RenderedTable[] = [];
  let current: RenderedTable | null = null;
  let row: string[] | null = null;
  let inHead = false;
  for (const t of md.parse(markdown, {})) {
    if (t.type === 'table_open') out.push((current = { head: [], rows: [] }));
    else if (t.type === 'thead_open') inHead = true;
    else if (t.type === 'thead_close') inHead = false;
    else if (t.type === 'tr_open') row = [];
    else if (t.type === 'tr_close' && current && row) {
      if (inHead) current.head = row;
      else current.rows.push(row);
      row = null;
    } else if (t.type === 'inline' && row) row.push(inlineText(t));
  }
  return out;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

const hostile = {
  column: 'x|<img src=x onerror=alert(1)>',
  category: 'c`|<b onmouseover=alert(2)>',
  levels: ['|<img src=x onerror=alert(3)>', 'a\n# heading\n<script>alert(4)</script>', 'plain'],
  classes: ['y|<img src=x onerror=alert(5)>', '`n|<svg onload=alert(6)>` #'],
  target: 't|<iframe src=javascript:alert(8)>',
  file: 'evil|<img src=x onerror=alert(7)>.csv',
};

describe('the model card of a fit on hostile names', () => {
  let readme: string;
  let page: string;

  beforeAll(async () => {
    const rng = new Rng(11);
    const n = 150;
    const x = Array.from({ length: n }, () => rng.normal());
    const lvl = Array.from({ length: n }, (_, i) => hostile.levels[i % 3]);
    const y = x.map((v, i) => (v + (i % 3 === 0 ? 1 : 0) > 0.3 ? hostile.classes[0] : hostile.classes[1]));
    const frame = makeFrame(num(hostile.column, x), cat(hostile.category, lvl), cat(hostile.target, y));
    const { project } = resolveProject(frame, { target: hostile.target });
    const trainRows = Int32Array.from({ length: n }, (_, i) => i);
    const model = await fitFinalModel(frame, {
      target: hostile.target,
      task: project.task,
      classes: project.classes,
      trainRows,
      seed: 0,
      members: [{ family: 'naive_bayes', params: {}, weight: 1, features: project.features }],
    });
    const fitted: Fitted = {
      data: { name: 'evil', frame, profile: profileFrame(frame), bytes: new Uint8Array([1]), target: hostile.target, exclude: [] },
      project,
      model,
      searchRows: trainRows,
      testRows: trainRows,
    };
    const input = await bundleInput(fitted, {
      dataset: { name: hostile.file, sha256: '0'.repeat(64), bytes: 1 },
      importance: {
        kind: 'permutation',
        metric: project.metric,
        items: [
          { feature: hostile.column, value: 0.1, std: 0.01 },
          { feature: hostile.category, value: 0.05 },
        ],
      },
      droppedFeatures: [{ name: 'id|<img src=x onerror=alert(9)>', reason: 'an identifier | <b>unique</b>' }],
    });
    const { files } = bundleFiles(input);
    readme = new TextDecoder().decode(files['README.md']);
    page = new TextDecoder().decode(files['model-card.html']);
  }, 60_000);

  it('renders no HTML element or attribute from the data in a Markdown viewer that allows HTML', () => {
    const html = md.render(readme);
    expectOnlyCardMarkup(html);
    expect(html).not.toMatch(/<[^>]*(onerror|onload|onmouseover|javascript:)/i);
    // The hostile text is shown, as text.
    expect(html).toContain('x|&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('y|&lt;img src=x onerror=alert(5)&gt;');
  });

  it('keeps every table row at its column count, with the hostile names whole in their cells', () => {
    const tables = tablesOf(readme);
    expect(tables.length).toBeGreaterThan(4);
    for (const t of tables) for (const r of t.rows) expect(r.length).toBe(t.head.length);
    const classes = tables.find((t) => t.head.join() === 'class,rows,share')!;
    expect(classes.rows.map((r) => r[0]).sort()).toEqual([...hostile.classes].sort());
    const inputs = tables.find((t) => t.head[0] === 'column' && t.head[1] === 'type')!;
    expect(inputs.rows.map((r) => r[0])).toEqual([hostile.column, hostile.category]);
    const category = inputs.rows[1];
    for (const level of hostile.levels) expect(category[4]).toContain(oneLine(level));
    const importance = tables.find((t) => t.head.join() === 'column,importance')!;
    expect(importance.rows.map((r) => r[0])).toEqual([hostile.column, hostile.category]);
    const dropped = tables.find((t) => t.head.join() === 'column,why')!;
    expect(dropped.rows).toEqual([['id|<img src=x onerror=alert(9)>', 'an identifier | <b>unique</b>']]);
  });

  it("a newline in a name starts no block: the headings are the card's own", () => {
    const headings = md
      .parse(readme, {})
      .filter((t) => t.type === 'heading_open')
      .map((t) => t.tag);
    const titles = [...readme.matchAll(/^#{1,3} /gm)].length;
    expect(headings.length).toBe(titles);
    expect(md.parse(readme, {}).filter((t) => t.type === 'heading_open' && t.tag === 'h1')).toHaveLength(1);
  });

  it('model-card.html carries only its own markup', () => {
    const allowed = new Set([...MD_TAGS, 'html', 'head', 'meta', 'title', 'style', 'body']);
    const stray = tags(page).filter((t) => !allowed.has(t.name) || /\son\w+=|\ssrc=|\shref=/i.test(t.attrs));
    expect(stray).toEqual([]);
    expect(page).toContain('x|&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('renderMarkdown on arbitrary text (property)', () => {
  // Every ASCII punctuation mark, whitespace and line breaks, digits and a few letters.
  const chars = fc.constantFrom(...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r0123456789abcxyzé€'.split(''));
  const text = fc.array(chars, { minLength: 1, maxLength: 24 }).map((a) => a.join(''));
  // Strong text stands between spaces, as in the card ("**x(**y" is no emphasis in CommonMark).
  const fragment: fc.Arbitrary<Inline[]> = fc.oneof(
    text.map((s) => [s]),
    text.map((s) => [{ code: s }]),
    text.map((s) => [' ', { strong: s }, ' ']),
  );
  const inlines = (max: number) => fc.array(fragment, { minLength: 1, maxLength: max }).map((f) => f.flat());
  const shown = (part: Inline): string => (typeof part === 'string' ? part : 'code' in part ? part.code : part.strong.trim()).replace(/[\r\n]+/g, ' ');

  it('shows the text as it is, in headings, paragraphs, list items and table cells, and no markup from it', () => {
    fc.assert(
      fc.property(text, inlines(4), fc.array(fc.array(inlines(2), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 3 }), (title, para, rows) => {
        // An all-blank paragraph renders as nothing, so it has no text to compare.
        fc.pre(oneLine(para.map(shown).join('')) !== '');
        const blocks: Block[] = [h(2, title), p(...para), list([para]), table(['a', title, 'c'], rows)];
        const markdown = renderMarkdown(blocks);
        const html = md.render(markdown);
        expectOnlyCardMarkup(html);
        const tokens = md.parse(markdown, {});
        const inlines = tokens.filter((t) => t.type === 'inline').map((t) => inlineText(t).trim());
        // Heading, paragraph, list item, then the table's cells row by row: each block says exactly its text.
        const expected = [title, para.map(shown).join(''), para.map(shown).join(''), 'a', title, 'c', ...rows.flat().map((cell) => cell.map(shown).join(''))];
        expect(inlines).toEqual(expected.map((s) => oneLine(s)));
        expect(tokens.filter((t) => t.type === 'tr_open')).toHaveLength(rows.length + 1);
      }),
      { numRuns: 400, seed: 12 },
    );
  });

  it('the HTML page escapes the same text', () => {
    fc.assert(
      fc.property(text, inlines(4), (title, para) => {
        const page = renderHtml([h(2, title), p(...para), table([title], [[para]]), code('sh', title)], title);
        const ownTags = new Set([...MD_TAGS, 'html', 'head', 'meta', 'title', 'style', 'body']);
        expect(tags(page).filter((t) => !ownTags.has(t.name))).toEqual([]);
        const body = page.slice(page.indexOf('<body>'));
        expect(body.replace(/<\/?[a-z][\w-]*[^>]*>/g, '')).not.toMatch(/[<>]/);
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});
