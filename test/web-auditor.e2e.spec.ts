import { mintLocalToken } from '@maatlat/access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { TEST_ISSUER_SECRET as SECRET } from './support/platform';
import { screenshot, seriousViolations, startWebPlatform, useLanguage, type WebPlatform } from './support/browser';

/**
 * The auditor in Chromium against the real API: from the overall score down the explanation to an
 * answer event in the timeline and back, the assessment as of a moment before it closed, and
 * Verify, which holds on the recorded events and fails, naming the event, once a superuser has
 * changed one in the database.
 */
describe('web: the auditor', () => {
  let web: WebPlatform;
  const http = () => web.platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  let assessmentId: string;
  let auditorToken: string;
  let beforeClose: Date;
  let afterClose: Date;

  beforeAll(async () => {
    web = await startWebPlatform();
    const admin = bearer(await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] }));
    await http().post('/v1/model-versions').set(admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(admin).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    const organisationId = (await http().post('/v1/organisations').set(admin).send({ name: 'Provincie Zeeland', organisationType: 'province', sizeBand: 'medium' }).expect(201)).body.organisationId;
    const coordinator = bearer(await mintLocalToken(SECRET, { subject: 'coordinator-z', roles: ['coordinator'], organisations: [organisationId] }));
    auditorToken = await mintLocalToken(SECRET, { subject: 'auditor-z', roles: ['auditor'], organisations: [organisationId] });
    assessmentId = (
      await http()
        .post('/v1/assessments')
        .set(coordinator)
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] })
        .expect(201)
    ).body.assessmentId;
    const respondentId = (await http().post(`/v1/organisations/${organisationId}/respondents`).set(coordinator).send({ name: 'Ada', email: 'ada@example.nl' }).expect(201)).body.respondentId;
    await http().post(`/v1/assessments/${assessmentId}/invitations`).set(coordinator).send({ respondentId, layer: 'strategic' }).expect(201);
    const { token } = (await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set(coordinator).send({ assessmentId, layer: 'strategic' }).expect(201)).body;
    for (const [i, questionId] of SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => q.id)).entries()) {
      await http().put(`/v1/assessments/${assessmentId}/answers/${questionId}`).set(bearer(token)).send({ level: (i % 5) + 1 }).expect(200);
    }
    await new Promise((r) => setTimeout(r, 1100));
    beforeClose = new Date();
    await new Promise((r) => setTimeout(r, 1100));
    await http().post(`/v1/assessments/${assessmentId}/close`).set(coordinator).expect(200);
    await new Promise((r) => setTimeout(r, 1100));
    afterClose = new Date();
  }, 240_000);
  afterAll(() => web?.stop());
  afterEach(() => expect(web.pageErrors.splice(0)).toEqual([]));

  it('goes from the overall score down to an answer event and back, uses "as of", and verifies, until the database is tampered with', async () => {
    const page = await web.newPage();
    await page.goto(`${web.base}/sign-in`);
    await page.evaluate(`sessionStorage.setItem('maatlat.session', ${JSON.stringify(auditorToken)})`);
    await page.goto(`${web.base}/assessments/${assessmentId}/audit`);
    await page.locator('[data-explanation]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    for (const language of ['nl', 'en'] as const) {
      await useLanguage(page, language);
      await screenshot(page, 'auditor', language);
    }
    await useLanguage(page, 'nl');

    // Down the tree: overall, F01, the strategic layer, F01-Q1, its answer event.
    await page.locator('[data-explanation] summary').first().click();
    await page.locator('summary', { hasText: /^F01:/ }).click();
    await page.locator('summary', { hasText: /^Strategisch:/ }).first().click();
    await page.locator('summary', { hasText: /^F01-Q1:/ }).click();
    expect(await page.locator('summary', { hasText: /^F01-Q1:/ }).locator('xpath=..').locator('.maatlat-formula').textContent()).toContain('1');
    const answerEvent = page.locator('[data-answer-event]').first();
    const version = await answerEvent.getAttribute('data-answer-event');
    // The answer is in the respondent's response stream: every stream numbers its events from 1.
    const stream = (await answerEvent.getAttribute('data-answer-stream'))!;
    expect(stream).toMatch(new RegExp(`^response-${assessmentId}:`));
    const row = `event-${stream.replace(/[^A-Za-z0-9_-]/g, '_')}-${version}`;
    await answerEvent.click();
    const focusedRow = await page.evaluate('document.activeElement && document.activeElement.id');
    expect(focusedRow).toBe(row);
    expect(await page.locator(`#${row}`).textContent()).toContain('AnswerRecorded F01-Q1 = 1');
    await page.locator(`#${row} a`, { hasText: 'Terug naar boven' }).click();
    expect(new URL(page.url()).hash).toBe('#explanation');

    // As of a moment before the close: no score yet, and the close is not in the timeline.
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    await page.getByLabel('Stand op').fill(local(beforeClose));
    await page.getByRole('button', { name: 'Tonen' }).click();
    await page.getByText('Er is (op dit moment) nog geen score.').waitFor();
    expect(await page.locator('tr[data-event-type="ScoreCalculated"]').count()).toBe(0);
    expect(await page.locator('tr[data-event-type="AnswerRecorded"]').count()).toBe(41);
    // The answers that counted then: value, pseudonym, layer and event, as the API has them.
    const auditor = bearer(auditorToken);
    const asOfBefore = new Date(local(beforeClose)).toISOString();
    const then = (await http().get(`/v1/assessments/${assessmentId}?asOf=${encodeURIComponent(asOfBefore)}`).set(auditor).expect(200)).body as {
      countedAnswers: { questionId: string; answer: { level?: number }; respondentId: string; layer: string }[];
    };
    const rows = await page.locator('[data-counted-answers] tr[data-question]').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].slice(0, 4).map((c) => c.textContent)));
    expect(rows).toEqual(then.countedAnswers.map((a) => [a.questionId, String(a.answer.level), a.respondentId, 'Strategisch']));
    expect(rows).toHaveLength(41);
    await screenshot(page, 'auditor-as-of', 'nl');

    // As of a moment after the close: the score that stood then, explained as of its event.
    await page.getByLabel('Stand op').fill(local(afterClose));
    await page.getByRole('button', { name: 'Tonen' }).click();
    await page.locator('[data-score-event]').waitFor();
    const asOfAfter = new Date(local(afterClose)).toISOString();
    const standing = (await http().get(`/v1/assessments/${assessmentId}?asOf=${encodeURIComponent(asOfAfter)}`).set(auditor).expect(200)).body as { scoreEvent: { version: number } };
    expect(Number(await page.locator('[data-score-event]').getAttribute('data-score-event'))).toBe(standing.scoreEvent.version);
    const explained = (await http().get(`/v1/assessments/${assessmentId}/scores/explain?scoreEvent=${standing.scoreEvent.version}`).set(auditor).expect(200)).body as { overall: number; stage: number };
    await page.locator('[data-explanation] summary').first().waitFor();
    expect(await page.locator('[data-explanation] summary').first().textContent()).toBe(`Totaalscore: ${explained.overall.toFixed(2)} (fase ${explained.stage})`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Nu', exact: true }).click();
    await page.locator('tr[data-event-type="ScoreCalculated"]').waitFor();

    await page.getByRole('button', { name: 'Verifiëren' }).click();
    await page.getByText('Alles klopt', { exact: false }).waitFor();

    // A superuser "improves" an answer in the database, past the append-only guard.
    const client = await web.platform.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query(`UPDATE events SET data = jsonb_set(data, '{answer}', '{"level": 5}') WHERE stream_id = $1 AND version = $2`, [stream, Number(version)]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await page.getByRole('button', { name: 'Verifiëren' }).click();
    await page.getByText('Verificatie mislukt.').waitFor();
    expect(await page.locator('[data-verify-failures]').textContent()).toContain(`De keten breekt bij gebeurtenis ${version}`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'auditor-verify-failed', 'nl');
  }, 240_000);
});
