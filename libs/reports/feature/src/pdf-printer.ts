import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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

/** How many documents a kept page prints before it is closed and a fresh one opened. */
const PRINTS_PER_PAGE = 50;

/**
 * Prints HTML to PDF with one warm headless Chromium per process (launched on first use, relaunched
 * when it dies) and one browser context in it, kept (no scripts, offline: a report is one
 * self-contained document). Pages are kept too: opening one costs more than printing a short report
 * (about 400 ms against 250 ms here), while setting a page's content replaces its whole document.
 * Each print holds a page of its own (concurrent prints get one each); a page that failed is closed,
 * and every page is replaced after a number of documents, so nothing builds up in the renderer.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | undefined;
  private context: Promise<BrowserContext> | undefined;
  private idlePages: { page: Page; prints: number }[] = [];
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
        this.idlePages = [];
      };
      launching.then((browser) => browser.on('disconnected', forget), forget);
    }
    return this.browser;
  }

  private printingContext(): Promise<BrowserContext> {
    if (!this.context) {
      const opening = this.launch().then((browser) => browser.newContext({ javaScriptEnabled: false, offline: true }));
      this.context = opening;
      const forget = () => {
        if (this.context !== opening) return;
        this.context = undefined;
        this.idlePages = [];
      };
      opening.then((context) => context.on('close', forget), forget);
    }
    return this.context;
  }

  private async takePage(): Promise<{ page: Page; prints: number }> {
    for (let kept = this.idlePages.pop(); kept; kept = this.idlePages.pop()) if (!kept.page.isClosed()) return kept;
    return { page: await (await this.printingContext()).newPage(), prints: 0 };
  }

  async print(html: string): Promise<Buffer> {
    const held = await this.takePage();
    let pdf: Buffer;
    try {
      // The document is set directly (no navigation, nothing fetched); 'load' is reached once its
      // inline styles and SVGs are parsed, with the system fonts it names.
      await held.page.setContent(html, { waitUntil: 'load' });
      pdf = await held.page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, tagged: true, outline: true });
    } catch (error) {
      await held.page.close().catch(() => undefined); // a browser gone mid-print: its own error is the one to see
      throw error;
    }
    held.prints += 1;
    if (held.prints >= PRINTS_PER_PAGE) await held.page.close().catch(() => undefined);
    else this.idlePages.push(held);
    return pdf;
  }

  /** A page of the warm browser with the HTML loaded, for checks (accessibility) in tests. */
  async withPage<T>(html: string, use: (page: Page) => Promise<T>): Promise<T> {
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
    this.idlePages = [];
    if (browser) await (await browser.catch(() => undefined))?.close();
  }
}
