import { mintLocalToken } from '@maatlat/access';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { TEST_ISSUER_SECRET as SECRET } from './support/platform';
import { screenshot, seriousViolations, startWebPlatform, useLanguage, type WebPlatform } from './support/browser';

/**
 * The administrator in Chromium against the real API and a worker: a broken model version is
 * refused with its JSON path and nothing is published; the fixed one is published with its
 * crosswalk, and the recalculation of the closed assessment reaches 100% on the page.
 */
describe('web: the administrator', () => {
  let web: WebPlatform;
  const http = () => web.platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  let adminToken: string;

  beforeAll(async () => {
    web = await startWebPlatform({ worker: true });
    adminToken = await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] });
    const admin = bearer(adminToken);
    await http().post('/v1/model-versions').set(admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(admin).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    const organisationId = (await http().post('/v1/organisations').set(admin).send({ name: 'Waterschap Rijn', organisationType: 'water-board', sizeBand: 'medium' }).expect(201)).body.organisationId;
    const assessmentId = (
      await http()
        .post('/v1/assessments')
        .set(admin)
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] })
        .expect(201)
    ).body.assessmentId;
    const respondentId = (await http().post(`/v1/organisations/${organisationId}/respondents`).set(admin).send({ name: 'Bo', email: 'bo@example.nl' }).expect(201)).body.respondentId;
    await http().post(`/v1/assessments/${assessmentId}/invitations`).set(admin).send({ respondentId, layer: 'strategic' }).expect(201);
    const { token } = (await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set(admin).send({ assessmentId, layer: 'strategic' }).expect(201)).body;
    await http().put(`/v1/assessments/${assessmentId}/answers/F01-Q1`).set(bearer(token)).send({ level: 3 }).expect(200);
    await http().post(`/v1/assessments/${assessmentId}/close`).set(admin).expect(200);
  }, 240_000);
  afterAll(() => web?.stop());
  afterEach(() => expect(web.pageErrors.splice(0)).toEqual([]));

  it('refuses a broken model with its JSON path, publishes the fixed one and shows the recalculation reach 100%', async () => {
    const page = await web.newPage();
    await page.goto(`${web.base}/sign-in`);
    await page.evaluate(`sessionStorage.setItem('maatlat.session', ${JSON.stringify(adminToken)})`);
    await page.goto(`${web.base}/models`);
    await page.locator('[data-models]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    for (const language of ['nl', 'en'] as const) {
      await useLanguage(page, language);
      await screenshot(page, 'admin-models', language);
    }
    await useLanguage(page, 'nl');

    const fixed = SHIPPED_MODELS['2027.1'];
    const broken = { ...fixed, factors: fixed.factors.map((f, i) => (i === 0 ? { ...f, weight: 'zwaar' } : f)) };
    const file = (name: string, json: unknown) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
    await page.getByLabel('Modeldocument (JSON)').setInputFiles(file('2027.1.json', broken));
    await page.getByLabel('Crosswalk (JSON, optioneel)').setInputFiles(file('crosswalk.json', SHIPPED_CROSSWALKS['2026.1->2027.1']));
    await page.getByLabel('Wettelijke grondslag').fill('AI-verordening');
    await page.getByLabel('Geldig vanaf').fill('2027-01-01');
    await page.getByRole('button', { name: 'Publiceren' }).click();
    await page.locator('[data-problems]').waitFor();
    expect(await page.locator('[data-problems]').textContent()).toMatch(/factors.*0.*weight/);
    await screenshot(page, 'admin-refused', 'nl');
    const versions = (await http().get('/v1/model-versions').set(bearer(adminToken)).expect(200)).body as { version: string; status: string }[];
    expect(versions.filter((v) => v.status === 'published').map((v) => v.version)).toEqual(['2026.1']);

    await page.getByLabel('Modeldocument (JSON)').setInputFiles(file('2027.1.json', fixed));
    await page.getByRole('button', { name: 'Publiceren' }).click();
    await page.getByText('Gepubliceerd.', { exact: true }).waitFor();
    await page.locator('[data-recalculations] [data-percent="100"]').waitFor({ timeout: 90_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-recalculated', 'nl');

    // The semantic diff of 2027.1 against 2026.1 as a structure, with the crosswalk between them.
    await page.getByLabel('Van versie').selectOption('datagedreven-overheid@2026.1');
    await page.getByLabel('Naar versie').selectOption('datagedreven-overheid@2027.1');
    await page.locator('[data-diff-kind="factors"] [data-added]').waitFor();
    const diff = (await http().get('/v1/model-versions/datagedreven-overheid/diff?from=2026.1&to=2027.1').set(bearer(adminToken)).expect(200)).body as {
      factors: { added: string[]; removed: string[]; changed: { id: string; changes: unknown[] }[] };
      questions: { added: string[] };
    };
    expect(diff.factors.added).toContain('F07a');
    expect(await page.locator('[data-diff-kind="factors"] [data-added]').textContent()).toBe(`Toegevoegd: ${diff.factors.added.join(', ')}`);
    if (diff.factors.removed.length > 0) expect(await page.locator('[data-diff-kind="factors"] [data-removed]').textContent()).toBe(`Verwijderd: ${diff.factors.removed.join(', ')}`);
    expect(await page.locator('[data-diff-kind="factors"] [data-changed-item]').count()).toBe(diff.factors.changed.reduce((n, c) => n + c.changes.length, 0));
    await page.locator('[data-crosswalk] tr[data-crosswalk-from="F07"]').waitFor();
    expect(await page.locator('[data-crosswalk] tr[data-crosswalk-from="F07"]').textContent()).toContain('F07a');
    expect(await seriousViolations(page)).toEqual([]);
    for (const language of ['nl', 'en'] as const) {
      await useLanguage(page, language);
      await screenshot(page, 'admin-diff', language);
    }
  }, 240_000);
});
