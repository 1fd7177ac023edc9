// `npm run bench:web`: what a respondent pays to open the questionnaire. (1) The gzip size of the
// JavaScript the browser downloads for it (the entry and what it preloads; the coordinator's,
// auditor's, administrator's and chart code load only with their screens), and (2) the time from
// navigation to an interactive questionnaire of 41 questions in Chromium against the API on a
// database of its own, over 20 loads in the running browser's tab (warm, as a user's browser is:
// the target) and 20 in a new browser context each (cold, nothing cached), each beside a baseline
// measured in the same run: the sign-in page, the same bundle without the questionnaire's API
// calls. It prints where the time goes (scripts, DOMContentLoaded, each API call). Last line: JSON.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { mintLocalToken } from '@maatlat/access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { dropDatabase, prepareTemplateDatabase } from '@maatlat/shared/testing';
import { TEST_ISSUER_SECRET as SECRET } from '../support/platform';
import { startWebPlatform } from '../support/browser';
import { WEB_ROOT } from '../../apps/api/src/web-application';

const LOADS = Number(process.env.LOADS ?? 20);
const WARM_UP = 2;

function respondentScripts(): { files: string[]; gzipBytes: number } {
  const index = readFileSync(join(WEB_ROOT, 'index.html'), 'utf8');
  const files = [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const gzipBytes = files.reduce((total, file) => total + gzipSync(readFileSync(join(WEB_ROOT, file)), { level: 9 }).length, 0);
  return { files, gzipBytes };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function main() {
  await prepareTemplateDatabase();
  const scripts = respondentScripts();
  const web = await startWebPlatform();
  try {
    const http = () => web.platform.http();
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
    const admin = bearer(await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] }));
    await http().post('/v1/model-versions').set(admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(admin).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    const organisationId = (await http().post('/v1/organisations').set(admin).send({ name: 'Gemeente Bench', organisationType: 'municipality', sizeBand: 'large' }).expect(201)).body.organisationId;
    const assessmentId = (
      await http()
        .post('/v1/assessments')
        .set(admin)
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['operational'] })
        .expect(201)
    ).body.assessmentId;
    const respondentId = (await http().post(`/v1/organisations/${organisationId}/respondents`).set(admin).send({ name: 'Bench', email: 'bench@example.nl' }).expect(201)).body.respondentId;
    await http().post(`/v1/assessments/${assessmentId}/invitations`).set(admin).send({ respondentId, layer: 'operational' }).expect(201);
    const { token } = (await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set(admin).send({ assessmentId, layer: 'operational' }).expect(201)).body;
    const questionCount = SHIPPED_MODELS['2026.1'].factors.reduce((n, f) => n + f.questions.length, 0);

    type Timing = { ms: number; api: { path: string; start: number; end: number }[]; scriptsEnd: number; domContentLoaded: number };
    /** From navigation until `ready` holds, with what the page itself timed: its scripts, and its API calls (the waterfall). */
    async function measure(page: Page, url: string, ready: string): Promise<Timing> {
      const started = performance.now();
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForSelector(ready, { state: 'visible' });
      const ms = performance.now() - started;
      const timing = (await page.evaluate(`(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const resources = performance.getEntriesByType('resource');
        const api = resources.filter((r) => r.name.includes('/v1/')).map((r) => ({ path: new URL(r.name).pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/g, ':id'), start: Math.round(r.startTime), end: Math.round(r.responseEnd) }));
        const scriptsEnd = Math.round(Math.max(0, ...resources.filter((r) => r.name.endsWith('.js')).map((r) => r.responseEnd)));
        return { api, scriptsEnd, domContentLoaded: Math.round(nav ? nav.domContentLoadedEventEnd : 0) };
      })()`)) as Omit<Timing, 'ms'>;
      return { ms, ...timing };
    }
    /** A fresh load: a new browser context, nothing cached (a first visit). */
    async function cold(url: string, ready: string): Promise<Timing> {
      const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        return await measure(await context.newPage(), url, ready);
      } finally {
        await context.close();
      }
    }
    // A warm load: the running browser's tab, as a user's (its HTTP cache and compiled code kept).
    const warmContext = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const warmPage = await warmContext.newPage();
    const questionnaireUrl = `${web.base}/respond/${assessmentId}#token=${token}`;
    const READY = 'input[type=radio]:not([disabled])';
    const runs = { warm: [] as Timing[], warmBaseline: [] as Timing[], cold: [] as Timing[], coldBaseline: [] as Timing[] };
    // Taking turns: a slow spell on the shared machine falls on all of them.
    for (let i = 0; i < LOADS + WARM_UP; i++) {
      const w = await measure(warmPage, questionnaireUrl, READY);
      const wb = await measure(warmPage, `${web.base}/sign-in`, 'h1');
      const c = await cold(questionnaireUrl, READY);
      const cb = await cold(`${web.base}/sign-in`, 'h1');
      if (i >= WARM_UP) {
        runs.warm.push(w);
        runs.warmBaseline.push(wb);
        runs.cold.push(c);
        runs.coldBaseline.push(cb);
      }
    }
    await warmContext.close();
    const p = (timings: Timing[], at: number) => percentile(timings.map((t) => t.ms), at);
    const p95 = p(runs.warm, 95);
    const baselineP95 = p(runs.warmBaseline, 95);
    const coldP95 = p(runs.cold, 95);
    const coldBaselineP95 = p(runs.coldBaseline, 95);
    const kb = scripts.gzipBytes / 1024;
    const median = (values: number[]) => percentile(values, 50);
    const waterfall = (timings: Timing[]) => {
      const paths = [...new Set(timings.flatMap((t) => t.api.map((a) => a.path)))];
      return paths.map((path) => {
        const calls = timings.map((t) => t.api.find((a) => a.path === path)).filter((a): a is Timing['api'][number] => Boolean(a));
        return `${path} ${median(calls.map((a) => a.start))}..${median(calls.map((a) => a.end))} ms`;
      });
    };
    console.log(`respondent JavaScript: ${scripts.files.join(', ')}: ${kb.toFixed(1)} kB gzip (target <= 250 kB)`);
    console.log(`questionnaire of ${questionCount} questions interactive, warm (the running browser's tab): p50 ${p(runs.warm, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms over ${LOADS} loads (target <= 1000 ms)`);
    console.log(`  baseline, the sign-in page, warm: p50 ${p(runs.warmBaseline, 50).toFixed(0)} ms, p95 ${baselineP95.toFixed(0)} ms; questionnaire/baseline p95 ${(p95 / baselineP95).toFixed(2)}x`);
    console.log(`  warm, medians: scripts loaded ${median(runs.warm.map((t) => t.scriptsEnd))} ms, DOMContentLoaded ${median(runs.warm.map((t) => t.domContentLoaded))} ms; API calls (start..end since navigation): ${waterfall(runs.warm).join('; ')}`);
    console.log(`questionnaire interactive, cold (a new browser context, nothing cached): p50 ${p(runs.cold, 50).toFixed(0)} ms, p95 ${coldP95.toFixed(0)} ms; sign-in page cold p95 ${coldBaselineP95.toFixed(0)} ms`);
    console.log(`  cold, medians: scripts loaded ${median(runs.cold.map((t) => t.scriptsEnd))} ms, DOMContentLoaded ${median(runs.cold.map((t) => t.domContentLoaded))} ms; API calls: ${waterfall(runs.cold).join('; ')}`);
    console.log(
      JSON.stringify({
        respondent_js_gzip_kb: Number(kb.toFixed(1)),
        questionnaire_interactive_p95_ms: Math.round(p95),
        questionnaire_interactive_p50_ms: Math.round(p(runs.warm, 50)),
        baseline_sign_in_p95_ms: Math.round(baselineP95),
        ratio_to_baseline: Number((p95 / baselineP95).toFixed(2)),
        cold_questionnaire_interactive_p95_ms: Math.round(coldP95),
        cold_baseline_sign_in_p95_ms: Math.round(coldBaselineP95),
        questions: questionCount,
        loads: LOADS,
      }),
    );
  } finally {
    await web.stop();
    if (process.env.MAATLAT_TEST_TEMPLATE) await dropDatabase(process.env.MAATLAT_TEST_TEMPLATE);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
