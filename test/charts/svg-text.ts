// What an SVG says: the text of every <text> element, entities decoded, lines (tspans) joined.

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
  '&#39;': "'",
};

export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
    decode((m[1] ?? '').replace(/<\/tspan>\s*<tspan\b[^>]*>/g, ' ').replace(/<[^>]+>/g, '')),
  );
}

function decode(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|apos|#39);/g, (e) => ENTITIES[e] ?? e);
}

/** The width and height attributes of the root <svg>. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  return {
    width: Number(/\bwidth="([\d.]+)"/.exec(root)?.[1]),
    height: Number(/\bheight="([\d.]+)"/.exec(root)?.[1]),
  };
}
