/**
 * A tiny document model for the model card, rendered twice: to Markdown (README.md) and to one
 * self-contained HTML page (model-card.html). Text is data, never markup: every string that may come
 * from the user (column names, levels, class labels, file names, warnings) is escaped for the
 * format it lands in — Markdown punctuation and raw-HTML characters backslash-escaped, HTML entities
 * in the page — so a column called `<img onerror=...>` prints as text in both. A line break in such a
 * string becomes a space (it must not start a block), and a `|` inside a table cell, even inside
 * `code`, is escaped so a class label cannot split its row (test/unit/export/card-markdown.test.ts
 * renders the card with markdown-it, raw HTML allowed, to check all of this).
 */

/** Inline content: plain text, `code`, or strong text. */
export type Inline = string | { code: string } | { strong: string };
export type Cell = Inline | Inline[];

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'table'; head: string[]; rows: Cell[][]; numeric?: boolean[] }
  | { kind: 'code'; lang: string; text: string };

export const h = (level: 1 | 2 | 3, text: string): Block => ({ kind: 'heading', level, text });
export const p = (...content: Inline[]): Block => ({ kind: 'paragraph', content });
export const list = (items: Inline[][]): Block => ({ kind: 'list', items });
export const code = (lang: string, text: string): Block => ({ kind: 'code', lang, text });
export const table = (head: string[], rows: Cell[][], numeric?: boolean[]): Block => ({ kind: 'table', head, rows, numeric });

// ---------------------------------------------------------------------------------------------
// Markdown

/**
 * Escapes text so Markdown shows it literally (and renders no raw HTML from it): every character
 * CommonMark or GFM gives a meaning inline (`\ ` * _ [ ] < > | & ~ # $`) gets a backslash. `blockStart`:
 * the text opens a paragraph or list item, where "1." or "-" would start a list, "#" a heading and
 * leading spaces a code block.
 */
export function escapeMarkdown(s: string, blockStart = false): string {
  let t = oneLine(s);
  if (blockStart) t = t.trimStart();
  t = t.replace(/[\\`*_[\]<>|&~#$]/g, (c) => `\\${c}`);
  return blockStart ? t.replace(/^(\d+)([.)])/, '$1\\$2').replace(/^([+\-=])/, '\\$1') : t;
}

/**
 * A code span showing `s` as it is: a fence longer than any run of backticks in it, padded with a
 * space where CommonMark strips one (text starting or ending with a backtick, or with a space at
 * both ends). In a table cell (`inTable`) a "|" would end the cell even inside code: GFM reads "\|"
 * there as a plain "|", which works while no backslash stands before it; otherwise the text is
 * written as escaped plain text instead.
 */
function mdCodeSpan(s: string, inTable = false): string {
  let text = oneLine(s);
  if (inTable && text.includes('|')) {
    if (text.includes('\\')) return escapeMarkdown(text);
    text = text.replace(/\|/g, '\\|');
  }
  let fence = '`';
  while (text.includes(fence)) fence += '`';
  const blank = text.trim() === '';
  const pad = text === '' || (!blank && (text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')))) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function mdInline(content: Inline[], blockStart = false, inTable = false): string {
  let out = '';
  for (const part of coalesceCode(content)) {
    // The block's start is where its first output goes (an empty first part does not count).
    const atStart = blockStart && out === '';
    if (typeof part === 'string') out += escapeMarkdown(part, atStart);
    else if ('code' in part) out += mdCodeSpan(part.code, inTable);
    else {
      // "** x**" is no strong emphasis, and "****" alone is a thematic break: trim, skip empty.
      const strong = escapeMarkdown(part.strong.trim());
      if (strong) out += `**${strong}**`;
    }
  }
  return out;
}

/** Adjacent code parts as one: "`a``b`" would read as one span holding "a``b". */
function coalesceCode(content: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const part of content) {
    const last = out[out.length - 1];
    if (typeof part === 'object' && 'code' in part && typeof last === 'object' && 'code' in last)
      out[out.length - 1] = { code: oneLine(last.code) + oneLine(part.code) };
    else out.push(part);
  }
  return out;
}

const cellContent = (c: Cell): Inline[] => (Array.isArray(c) ? c : [c]);

export function renderMarkdown(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
        out.push(`${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`);
        break;
      case 'paragraph':
        out.push(mdInline(b.content, true));
        break;
      case 'list':
        out.push(b.items.map((item) => `- ${mdInline(item, true)}`).join('\n'));
        break;
      case 'table': {
        const align = b.head.map((_, j) => (b.numeric?.[j] ? '---:' : '---'));
        const lines = [`| ${b.head.map((x) => escapeMarkdown(x)).join(' | ')} |`, `| ${align.join(' | ')} |`];
        for (const row of b.rows) lines.push(`| ${row.map((c) => mdInline(cellContent(c), false, true) || ' ').join(' | ')} |`);
        out.push(lines.join('\n'));
        break;
      }
      case 'code': {
        let fence = '```';
        while (b.text.includes(fence)) fence += '`';
        out.push(`${fence}${b.lang}\n${b.text.replace(/\n$/, '')}\n${fence}`);
        break;
      }
    }
  }
  return `${out.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// HTML

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function htmlInline(content: Inline[]): string {
  return content
    .map((part) => {
      if (typeof part === 'string') return escapeHtml(part);
      if ('code' in part) return `<code>${escapeHtml(part.code)}</code>`;
      return `<strong>${escapeHtml(part.strong)}</strong>`;
    })
    .join('');
}

const STYLE = `
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b2330;max-width:60rem;margin:2rem auto;padding:0 1.25rem}
h1{font-size:1.7rem;margin-bottom:.3rem}h2{margin-top:2.2rem;border-bottom:1px solid #d6dde8;padding-bottom:.2rem}h3{margin-top:1.5rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.92rem}th,td{border:1px solid #d6dde8;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f1f4f9}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code{font:.88em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f4f9;padding:.05rem .25rem;border-radius:3px;overflow-wrap:anywhere}
pre{background:#f6f8fb;border:1px solid #d6dde8;border-radius:6px;padding:.8rem 1rem;overflow:auto}pre code{background:none;padding:0}
`;

/** One self-contained page: inline styles, no script, no external resource. */
export function renderHtml(blocks: Block[], title: string): string {
  const body: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
        body.push(`<h${b.level}>${escapeHtml(oneLine(b.text))}</h${b.level}>`);
        break;
      case 'paragraph':
        body.push(`<p>${htmlInline(b.content)}</p>`);
        break;
      case 'list':
        body.push(`<ul>\n${b.items.map((item) => `<li>${htmlInline(item)}</li>`).join('\n')}\n</ul>`);
        break;
      case 'table': {
        const cls = (j: number) => (b.numeric?.[j] ? ' class="num"' : '');
        const head = b.head.map((c, j) => `<th${cls(j)}>${escapeHtml(c)}</th>`).join('');
        const rows = b.rows.map((row) => `<tr>${row.map((c, j) => `<td${cls(j)}>${htmlInline(cellContent(c))}</td>`).join('')}</tr>`);
        body.push(`<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`);
        break;
      }
      case 'code':
        body.push(`<pre><code class="language-${escapeHtml(b.lang)}">${escapeHtml(b.text.replace(/\n$/, ''))}</code></pre>`);
        break;
    }
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(oneLine(title))}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}
