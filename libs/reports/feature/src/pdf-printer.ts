import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** The flags the platform runs Chromium with: headless, no sandbox in containers, nothing fetched. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** `CHROMIUM_PATH`, or the first Chromium on the PATH; null when there is none. */
export function findChromium(configured?: string, path = process.env.PATH ?? ''): string | null {
  if (configured) return existsSync(configured) ? configured : null;
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

export class ChromiumMissing extends Error {
  constructor(configured?: string) {
    super(configured ? `CHROMIUM_PATH: no Chromium at ${configured}` : 'no Chromium found on the PATH (set CHROMIUM_PATH, or install the chromium package)');
  }
}

/**
 * Prints HTML to PDF with one warm headless Chromium per process (launched on first use, relaunched
 * when it dies) and one browser context in it, kept (no scripts, offline: a report is one
 * self-contained document). Each document gets a page of its own, closed afterwards, so nothing
 * builds up on either side; a context is cheap to keep and dear to make per document.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | undefined;
  private context: Promise<BrowserContext> | undefined;
  readonly executablePath: string | null;

  constructor(private readonly configured?: string) {
    this.executablePath = findChromium(configured);
  }

  /** Why PDFs cannot be made here, or null when they can. */
  unavailableReason(): string | null {
    return this.executablePath ? null : new ChromiumMissing(this.configured).message;
  }

  private launch(): Promise<Browser> {
    if (!this.executablePath) throw new ChromiumMissing(this.configured);
    if (!this.browser) {
      const launching = chromium.launch({ executablePath: this.executablePath, args: CHROMIUM_FLAGS, headless: true });
      this.browser = launching;
      const forget = () => {
        if (this.browser !== launching) return;
        this.browser = undefined;
        this.context = undefined;
      };
      launching.then((browser) => browser.on('disconnected', forget), forget);
    }
    return this.browser;
  }

  private printingContext(): Promise<BrowserContext> {
    if (!this.context) {
      const opening = this.launch().then((browser) => browser.newContext({ javaScriptEnabled: false, offline: true }));
      this.context = opening;
      opening.then(
        (context) => context.on('close', () => (this.context === opening ? (this.context = undefined) : undefined)),
        () => (this.context === opening ? (this.context = undefined) : undefined),
      );
    }
    return this.context;
  }

  async print(html: string): Promise<Buffer> {
    const page = await (await this.printingContext()).newPage();
    try {
      // The document is set directly (no navigation, nothing fetched); 'load' is reached once its
      // inline styles and SVGs are parsed, with the system fonts it names.
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, tagged: true, outline: true });
    } finally {
      await page.close().catch(() => undefined); // a browser gone mid-print: its own error is the one to see
    }
  }

  /** A page of the warm browser with the HTML loaded, for checks (accessibility) in tests. */
  async withPage<T>(html: string, use: (page: import('playwright-core').Page) => Promise<T>): Promise<T> {
    const browser = await this.launch();
    const context = await browser.newContext({ offline: true });
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await use(page);
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    this.context = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close();
  }
}
