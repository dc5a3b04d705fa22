import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { PulseError } from '../errors.ts';

// Debian's chromium: the wrapper script, or the binary behind it (which skips a harmless warning).
const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
export const CHROMIUM_INSTALL =
  'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium to drive: $PULSE_CHROMIUM, else Debian's. */
export function findChromium(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env.PULSE_CHROMIUM;
  if (configured) {
    if (!existsSync(configured)) throw new PulseError('usage', `PULSE_CHROMIUM=${configured} does not exist`);
    return configured;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new PulseError(
      'usage',
      `PDF export needs Chromium, which is not installed. Install it with: ${CHROMIUM_INSTALL} (or set PULSE_CHROMIUM to a Chromium binary)`,
    );
  }
  return found;
}

/** Prints an HTML file to PDF with the report's print stylesheet. */
export async function writePdf(htmlPath: string, pdfPath: string, chromium = findChromium()): Promise<void> {
  const { chromium: driver } = await import('playwright-core');
  const browser = await driver.launch({ executablePath: chromium, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
