import { expect, it } from 'vitest';
import { renderMarkdown } from '../../lib/render/markdown.ts';

it('renders paragraphs, lists, headings and emphasis', () => {
  expect(renderMarkdown('Close rate **rose** to *28 %*.\n\n- one\n- `two`\n\n### Next')).toBe(
    '<p>Close rate <strong>rose</strong> to <em>28 %</em>.</p>\n<ul><li>one</li><li><code>two</code></li></ul>\n<h3>Next</h3>',
  );
});

it('escapes text before adding markup, so data never becomes HTML', () => {
  const html = renderMarkdown('Top account: <script>alert(1)</script> & "Acme" <img src=x onerror=alert(1)>');
  expect(html).toBe(
    '<p>Top account: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Acme&quot; &lt;img src=x onerror=alert(1)&gt;</p>',
  );
});
