import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { mintLocalToken } from '@maatlat/access';
import { eventually } from '@maatlat/shared/testing';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { TEST_ISSUER_SECRET as SECRET } from './support/platform';
import { screenshot, seriousViolations, startWebPlatform, useLanguage, type WebPlatform } from './support/browser';

/**
 * The coordinator in Chromium against the real API (with a worker for the read models): signs in
 * as a demo persona, opens an assessment, invites a respondent (whose link works), closes it and
 * sees the result with the same numbers the API gives: its score, its benchmark position among five
 * other organisations, its trend since last year's assessment; downloads the report (HTML, and the
 * PDF a job prints) and opens an assessment of a chain. Every screen free of serious accessibility
 * violations, in both languages.
 */
describe('web: the coordinator', () => {
  let web: WebPlatform;
  const http = () => web.platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  let organisationId: string;
  let admin: { Authorization: string };
  let chainId: string;

  /** A closed assessment of the organisation: one respondent per level answering two questions. */
  async function closedAssessment(ofOrganisation: string, period: string, levels: number[]): Promise<string> {
    const coordinator = bearer(await mintLocalToken(SECRET, { subject: `c-${ofOrganisation}`, roles: ['coordinator'], organisations: [ofOrganisation] }));
    const model = { key: 'datagedreven-overheid', version: '2026.1' };
    const id = (await http().post('/v1/assessments').set(coordinator).send({ organisationId: ofOrganisation, scope: { kind: 'organisation' }, period, model, layers: ['tactical'] }).expect(201)).body.assessmentId;
    for (const [i, level] of levels.entries()) {
      const respondentId = (await http().post(`/v1/organisations/${ofOrganisation}/respondents`).set(coordinator).send({ name: `R ${i}`, email: `r${period}-${i}@example.nl` }).expect(201)).body.respondentId;
      await http().post(`/v1/assessments/${id}/invitations`).set(coordinator).send({ respondentId, layer: 'tactical' }).expect(201);
      const { token } = (await http().post(`/v1/organisations/${ofOrganisation}/respondents/${respondentId}/invitations`).set(coordinator).send({ assessmentId: id, layer: 'tactical' }).expect(201)).body;
      for (const questionId of ['F01-Q1', 'F02-Q1']) await http().put(`/v1/assessments/${id}/answers/${questionId}`).set(bearer(token)).send({ level }).expect(200);
    }
    await http().post(`/v1/assessments/${id}/close`).set(coordinator).expect(200);
    return id;
  }

  beforeAll(async () => {
    web = await startWebPlatform({ worker: true });
    admin = bearer(await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] }));
    await http().post('/v1/model-versions').set(admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(admin).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    organisationId = (await http().post('/v1/organisations').set(admin).send({ name: 'Gemeente Texel', organisationType: 'municipality', sizeBand: 'small' }).expect(201)).body.organisationId;
    const unitId = (await http().post(`/v1/organisations/${organisationId}/units`).set(admin).send({ name: 'Burgerzaken', kind: 'department' }).expect(201)).body.unitId;
    chainId = (await http().post('/v1/chains').set(admin).send({ name: 'Keten Burgerzaken', description: 'Gemeenten rond burgerzaken' }).expect(201)).body.chainId;
    await http().post(`/v1/chains/${chainId}/members`).set(admin).send({ organisationId, unitId }).expect(201);
    // Last year's assessment, for the trend; and five peers with a 2026 score, for the benchmark.
    await closedAssessment(organisationId, '2025', [1, 2]);
    for (const [i, name] of ['Gemeente Urk', 'Gemeente Vlieland', 'Gemeente Wieringen', 'Gemeente Zandvoort', 'Gemeente Zeewolde'].entries()) {
      const peer = (await http().post('/v1/organisations').set(admin).send({ name, organisationType: 'municipality', sizeBand: 'small' }).expect(201)).body.organisationId;
      await closedAssessment(peer, '2026', [1 + (i % 5), 1 + ((i + 2) % 5)]);
    }
    // The persona list reads the organisations' read model, which the worker keeps.
    for (let i = 0; i < 100 && (await http().get('/v1/demo/personas')).body.length < 3; i++) await new Promise((r) => setTimeout(r, 200));
  }, 240_000);
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
    await page.getByLabel('Periode').fill('2026');
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

    // The benchmark position (once the read models hold all six organisations) with the API's numbers.
    const positionPath = `/v1/organisations/${organisationId}/benchmark-position?modelKey=datagedreven-overheid&period=2026`;
    type Figure = { status: string; organisations?: number; p10?: number; p25?: number; p50?: number; p75?: number; p90?: number };
    type Position = { own: { overall: number }; groups: { groupBy: string; cell: { overall: Figure }; overallPercentileRank: number | null }[] };
    const position = await eventually(
      async () => {
        const body = (await http().get(positionPath).set(coordinator).expect(200)).body as Position;
        expect(body.groups.find((g) => g.groupBy === 'all')?.cell.overall.organisations).toBe(6);
        return body;
      },
      { timeoutMs: 30_000 },
    );
    const trend = await eventually(
      async () => {
        const body = (await http().get(`/v1/organisations/${organisationId}/trends?modelKey=datagedreven-overheid`).set(coordinator).expect(200)).body;
        expect(body.series[0]?.points).toHaveLength(2);
        return body.series[0] as { points: { period: string; comparability: string; overall: { score: number }; changeSincePrevious: { overall: { label: string } } | null }[] };
      },
      { timeoutMs: 30_000 },
    );
    await page.reload();
    await page.locator('[data-benchmark] tr[data-group="all"]').waitFor();
    expect(await page.locator('[data-own-overall]').textContent()).toContain(position.own.overall.toFixed(2));
    for (const group of position.groups) {
      const row = page.locator(`[data-benchmark] tr[data-group="${group.groupBy}"]`);
      expect(await row.getAttribute('data-status')).toBe(group.cell.overall.status);
      if (group.cell.overall.status === 'suppressed') {
        expect(await row.locator('[data-suppressed]').textContent()).toBe('Niet getoond (minder dan 5 organisaties)');
        continue;
      }
      const figures = await row.locator('[data-figure]').evaluateAll((cells) => Object.fromEntries(cells.map((c) => [c.getAttribute('data-figure'), c.textContent])));
      const { organisations, p10, p25, p50, p75, p90 } = group.cell.overall;
      expect(figures).toEqual({
        organisations: String(organisations),
        ...Object.fromEntries(Object.entries({ p10, p25, p50, p75, p90 }).map(([k, v]) => [k, v!.toFixed(2)])),
        rank: group.overallPercentileRank === null ? '—' : `${group.overallPercentileRank.toFixed(2)}e percentiel`,
      });
    }
    expect(position.groups.find((g) => g.groupBy === 'all')?.cell.overall.status).toBe('shown');
    // The trend: the points with their score, where they come from and the change since the one before.
    const points = await page.locator('[data-trend] tr[data-point]').evaluateAll((rows) =>
      rows.map((r) => [r.getAttribute('data-point'), r.querySelector('[data-score]')?.textContent, r.getAttribute('data-comparability'), r.getAttribute('data-change')]),
    );
    expect(points).toEqual(trend.points.map((p) => [p.period, p.overall.score.toFixed(2), p.comparability, p.changeSincePrevious?.overall.label ?? '']));
    expect(trend.points[1].changeSincePrevious?.overall.label).toMatch(/^(improved|stable|declined|undetermined)$/);
    expect(await page.locator('[data-trend] tr[data-point="2026"]').textContent()).toContain('Oorspronkelijk');
    expect(await seriousViolations(page)).toEqual([]);
    for (const language of ['nl', 'en'] as const) {
      await useLanguage(page, language);
      await screenshot(page, 'coordinator-result', language);
    }
    await useLanguage(page, 'nl');

    // The report: the HTML document at once, the PDF once the job has printed it.
    const [html] = await Promise.all([page.waitForEvent('download'), page.locator('[data-report-html]').click()]);
    expect(html.suggestedFilename()).toBe(`report-${assessmentId}-nl.html`);
    expect(await readFile((await html.path())!, 'utf8')).toContain('<html');
    await page.locator('[data-report-request]').click();
    await page.locator('[data-report-status="done"]').waitFor({ timeout: 120_000 });
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('[data-report-pdf]').click()]);
    const file = await readFile((await pdf.path())!);
    expect(file.subarray(0, 5).toString()).toBe('%PDF-');
    const reports = (await http().get(`/v1/assessments/${assessmentId}/reports`).set(coordinator).expect(200)).body as { pdfSha256: string }[];
    expect(reports.map((r) => r.pdfSha256)).toContain(createHash('sha256').update(file).digest('hex'));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'coordinator-report', 'nl');

    // An assessment of a chain the organisation takes part in.
    await page.goto(`${web.base}/organisations/${organisationId}`);
    await page.getByLabel('Voor').selectOption(`chain:${chainId}`);
    await page.getByRole('button', { name: 'Beoordeling openen' }).click();
    await page.getByRole('heading', { name: 'Respondent uitnodigen' }).waitFor();
    const chainAssessment = new URL(page.url()).pathname.split('/')[2];
    await eventually(
      async () => {
        const listed = (await http().get(`/v1/organisations/${organisationId}/assessments`).set(coordinator).expect(200)).body as { assessmentId: string; scopeKind: string }[];
        expect(listed.find((a) => a.assessmentId === chainAssessment)?.scopeKind).toBe('chain');
      },
      { timeoutMs: 30_000 },
    );

    // The respondent persona: invited to the organisation's newest open assessment, it lands in its questionnaire.
    const respondent = await web.newPage();
    await respondent.goto(`${web.base}/sign-in`);
    await respondent.getByRole('button', { name: 'Aanmelden als Respondent van Gemeente Texel' }).waitFor();
    expect(await seriousViolations(respondent)).toEqual([]);
    for (const language of ['nl', 'en'] as const) {
      await useLanguage(respondent, language);
      await screenshot(respondent, 'sign-in-personas', language);
    }
    await useLanguage(respondent, 'nl');
    await respondent.getByRole('button', { name: 'Aanmelden als Respondent van Gemeente Texel' }).click();
    await respondent.getByRole('heading', { level: 2, name: /^F01/ }).waitFor();
    expect(new URL(respondent.url()).pathname).toBe(`/respond/${chainAssessment}`);
    const invitees = (await http().get(`/v1/assessments/${chainAssessment}`).set(coordinator).expect(200)).body.invitees as { layer: string }[];
    expect(invitees.map((i) => i.layer)).toEqual(['strategic']);
  }, 420_000);
});
