import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WEB_ROOT } from '../../apps/api/src/web-application';
import { startPlatform, type TestPlatform } from './platform';

/** Debian's Chromium, never a downloaded browser; the flags keep it from calling home. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Where the tests leave their screenshots (kept by CI as output, ignored by git). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');

export interface WebPlatform {
  platform: TestPlatform;
  browser: Browser;
  /** The API (serving the web application) on a port of its own. */
  base: string;
  /** A page that fails the test on any script error or refused resource (a CSP violation, say). */
  newPage(options?: { width?: number; height?: number }): Promise<Page>;
  /** Problems a page reported: console errors and uncaught exceptions. */
  pageErrors: string[];
  stop(): Promise<void>;
}

/** The platform from the same code as the API (fresh database), listening, with Chromium to drive it. */
export async function startWebPlatform(options: Parameters<typeof startPlatform>[0] = {}): Promise<WebPlatform> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) throw new Error('the web application is not built: run `npm run build:web` first');
  const platform = await startPlatform(options);
  await platform.api.listen(0, '127.0.0.1');
  const { port } = platform.api.getHttpServer().address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  const pageErrors: string[] = [];
  return {
    platform,
    browser,
    base: `http://127.0.0.1:${port}`,
    pageErrors,
    async newPage({ width = 1280, height = 900 } = {}) {
      const page = await browser.newPage({ viewport: { width, height } });
      page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        // A refused request (403, 409) is logged by the browser as an error; it is what some tests ask for.
        if (message.type() === 'error' && !/status of (400|401|403|404|409|422)/.test(message.text())) pageErrors.push(`console: ${message.text()}${message.location().url ? ` (${message.location().url})` : ''}`);
      });
      return page;
    },
    async stop() {
      await browser?.close();
      await platform.stop();
    },
  };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (none is the goal). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, so the page's CSP (no inline script) does not stop it.
  await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

/** A screenshot of the whole page in `test-output/screenshots/<name>-<language>.png`. */
export async function screenshot(page: Page, name: string, language: 'nl' | 'en'): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${language}.png`), fullPage: true });
}

/** Switches the page's language with its own control. */
export async function useLanguage(page: Page, language: 'nl' | 'en'): Promise<void> {
  await page.selectOption('#language', language);
  await page.waitForFunction(`document.documentElement.lang === ${JSON.stringify(language)}`);
}
