import { escapeHtml } from './escape.ts';

/**
 * The small Markdown a report cell writes: paragraphs, `- ` lists, `### ` headings, **bold**,
 * *italic* and `code`. Text is escaped before any markup is added, so data in a sentence can
 * never become HTML. Links and raw HTML are deliberately not supported.
 */
export function renderMarkdown(text: string): string {
  const blocks = text.trim().split(/\n\s*\n/);
  return blocks.map(renderBlock).join('\n');
}

function renderBlock(block: string): string {
  const lines = block.split('\n').map((l) => l.trim());
  if (lines.every((l) => /^[-*] /.test(l))) {
    return `<ul>${lines.map((l) => `<li>${inline(l.slice(2))}</li>`).join('')}</ul>`;
  }
  const heading = /^(#{3,4}) (.*)$/.exec(lines[0] ?? '');
  if (heading && lines.length === 1) {
    const level = heading[1]?.length ?? 3;
    return `<h${level}>${inline(heading[2] ?? '')}</h${level}>`;
  }
  return `<p>${inline(lines.join(' '))}</p>`;
}

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
}
