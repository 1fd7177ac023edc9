// `npm run bench:web`: what a respondent pays to open the questionnaire. (1) The gzip size of the
// JavaScript the browser downloads for it (the entry and what it preloads; the coordinator's,
// auditor's, administrator's and chart code load only with their screens), and (2) the time from
// navigation to an interactive questionnaire of 41 questions in Chromium, over 20 fresh loads (no
// cache) against the API on a database of its own, beside a baseline measured in the same run:
// the sign-in page, the same bundle without the questionnaire's API calls. Last line: JSON.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
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

    /** One fresh load (new browser context: nothing cached), from navigation until `ready` holds. */
    async function load(url: string, ready: string): Promise<number> {
      const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForSelector(ready, { state: 'visible' });
      const elapsed = performance.now() - started;
      await context.close();
      return elapsed;
    }
    const questionnaire: number[] = [];
    const baseline: number[] = [];
    // Taking turns: a slow spell on the shared machine falls on both.
    for (let i = 0; i < LOADS + WARM_UP; i++) {
      const q = await load(`${web.base}/respond/${assessmentId}#token=${token}`, 'input[type=radio]:not([disabled])');
      const b = await load(`${web.base}/sign-in`, 'h1');
      if (i >= WARM_UP) {
        questionnaire.push(q);
        baseline.push(b);
      }
    }
    const p95 = percentile(questionnaire, 95);
    const baselineP95 = percentile(baseline, 95);
    const kb = scripts.gzipBytes / 1024;
    console.log(`respondent JavaScript: ${scripts.files.join(', ')}: ${kb.toFixed(1)} kB gzip (target <= 250 kB)`);
    console.log(`questionnaire of ${questionCount} questions interactive: p50 ${percentile(questionnaire, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms over ${LOADS} fresh loads (target <= 1000 ms)`);
    console.log(`baseline, the sign-in page: p50 ${percentile(baseline, 50).toFixed(0)} ms, p95 ${baselineP95.toFixed(0)} ms; questionnaire/baseline p95 ${(p95 / baselineP95).toFixed(2)}x`);
    console.log(
      JSON.stringify({
        respondent_js_gzip_kb: Number(kb.toFixed(1)),
        questionnaire_interactive_p95_ms: Math.round(p95),
        questionnaire_interactive_p50_ms: Math.round(percentile(questionnaire, 50)),
        baseline_sign_in_p95_ms: Math.round(baselineP95),
        ratio_to_baseline: Number((p95 / baselineP95).toFixed(2)),
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
