import { mintLocalToken } from '@maatlat/access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { TEST_ISSUER_SECRET as SECRET } from './support/platform';
import { screenshot, seriousViolations, startWebPlatform, useLanguage, type WebPlatform } from './support/browser';

/**
 * The coordinator in Chromium against the real API (with a worker for the read models): signs in
 * as a demo persona, opens an assessment, invites a respondent (whose link works), closes it and
 * sees the result with the same numbers the API gives; every screen free of serious accessibility
 * violations, in both languages.
 */
describe('web: the coordinator', () => {
  let web: WebPlatform;
  const http = () => web.platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  let organisationId: string;

  beforeAll(async () => {
    web = await startWebPlatform({ worker: true });
    const admin = bearer(await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] }));
    await http().post('/v1/model-versions').set(admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(admin).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    organisationId = (await http().post('/v1/organisations').set(admin).send({ name: 'Gemeente Texel', organisationType: 'municipality', sizeBand: 'small' }).expect(201)).body.organisationId;
    await http().post(`/v1/organisations/${organisationId}/units`).set(admin).send({ name: 'Burgerzaken', kind: 'department' }).expect(201);
    // The persona list reads the organisations' read model, which the worker keeps.
    for (let i = 0; i < 100 && (await http().get('/v1/demo/personas')).body.length < 3; i++) await new Promise((r) => setTimeout(r, 200));
  });
  afterAll(() => web?.stop());
  afterEach(() => expect(web.pageErrors.splice(0)).toEqual([]));

  it('opens, invites, closes and shows the result with the numbers of the API', async () => {
    const page = await web.newPage();
    await page.goto(`${web.base}/`);
    await page.getByRole('button', { name: 'Aanmelden als Coördinator van Gemeente Texel' }).click();
    await page.getByRole('link', { name: 'Organisaties en eenheden' }).click();
    await page.getByRole('link', { name: 'Gemeente Texel' }).click();
    await page.locator('.maatlat-units li', { hasText: 'Burgerzaken' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    for (const language of ['nl', 'en'] as const) {
      await useLanguage(page, language);
      await screenshot(page, 'coordinator-organisation', language);
    }
    await useLanguage(page, 'nl');
    await page.getByRole('button', { name: 'Beoordeling openen' }).click();
    await page.getByRole('heading', { name: 'Respondent uitnodigen' }).waitFor();
    const assessmentId = new URL(page.url()).pathname.split('/')[2];

    await page.getByLabel('Naam van de respondent').fill('Roos Respondent');
    await page.getByLabel('E-mailadres van de respondent').fill('roos@example.nl');
    await page.getByLabel('Laag', { exact: true }).selectOption('tactical');
    await page.getByRole('button', { name: 'Respondent uitnodigen' }).click();
    const link = await page.locator('[data-invitation-link]').inputValue();
    expect(link).toMatch(new RegExp(`/respond/${assessmentId}#token=`));
    await page.locator('td[data-layer="tactical"]', { hasText: '0 van 1 ingediend' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    for (const language of ['nl', 'en'] as const) {
      await useLanguage(page, language);
      await screenshot(page, 'coordinator-assessment-open', language);
    }
    await useLanguage(page, 'nl');

    // The respondent answers through the link's token, and submits.
    const token = new URLSearchParams(new URL(link).hash.slice(1)).get('token')!;
    const questions = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => q.id));
    for (const [i, questionId] of questions.entries()) await http().put(`/v1/assessments/${assessmentId}/answers/${questionId}`).set(bearer(token)).send({ level: i % 6 }).expect(200);
    await http().post(`/v1/assessments/${assessmentId}/submit`).set(bearer(token)).expect(200);

    await page.reload();
    await page.locator('td[data-layer="tactical"]', { hasText: '1 van 1 ingediend' }).waitFor();
    await page.getByRole('button', { name: 'Beoordeling sluiten' }).click();
    await page.locator('[data-overall]').waitFor();
    await page.locator('.maatlat-chart canvas').first().waitFor();

    const coordinator = bearer(await mintLocalToken(SECRET, { subject: 'c', roles: ['coordinator'], organisations: [organisationId] }));
    const score = (await http().get(`/v1/assessments/${assessmentId}/scores`).set(coordinator).expect(200)).body as { overall: { score: number; stage: number }; factors: { factorId: string; score: number | null }[] };
    expect(await page.locator('[data-overall]').textContent()).toBe(`Totaalscore: ${score.overall.score.toFixed(2)} (fase ${score.overall.stage})`);
    const shown = await page.locator('[data-factor-scores] tr[data-factor]').evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-factor'), row.querySelector('[data-score]')?.textContent]));
    expect(shown).toEqual(score.factors.map((f) => [f.factorId, f.score === null ? '—' : f.score.toFixed(2)]));
    expect(await seriousViolations(page)).toEqual([]);
    for (const language of ['nl', 'en'] as const) {
      await useLanguage(page, language);
      await screenshot(page, 'coordinator-result', language);
    }
  }, 240_000);
});
