import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { RuleBroken, ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { composeServices, type FeatureManifest } from '@maatlat/shared/features';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { Organisations } from '@maatlat/organisations/data-access';
import { modelCatalogueFeature } from '@maatlat/model-catalogue/feature';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { assessmentsFeature, type AssessmentsServices } from '@maatlat/assessments/feature';
import { insightsFeature } from '@maatlat/insights/feature';
import { respondentsFeature } from '@maatlat/respondents/feature';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import { reportStreamId, type ReportEvent } from '@maatlat/reports/domain';
import { reportsFeature, type ReportsServices } from '@maatlat/reports/feature';

const KEY = 'datagedreven-overheid';
const model = SHIPPED_MODELS['2026.1'];
const metadata = (actor: string): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });
const justificationOf = (respondent: number, question: string) => `Toelichting ${respondent} bij ${question}: besproken in het MT van maart.`;
const evidenceOf = (respondent: number, question: string) => ({ kind: 'url' as const, reference: `https://intranet.example.nl/bewijs/${respondent}/${question}`, title: `Bewijsstuk ${respondent}-${question}` });

/** A number as the report writes it (nl: decimal comma), back to a number. */
const parse = (text: string) => (text === '–' ? null : Number(text.replace(/\./g, '').replace(',', '.')));
const parseEn = (text: string) => (text === '–' ? null : Number(text.replace(/,/g, '')));
const cells = (html: string, attribute: string) => [...html.matchAll(new RegExp(`${attribute}="([^"]+)"[^>]*>([^<]*)<`, 'g'))].map((m) => [m[1], m[2]] as const);

describe('reports of an assessment, on the event store, printed by Chromium', () => {
  let database: TestDatabase;
  let services: AssessmentsServices & ReportsServices & Record<string, unknown>;
  let store: PostgresEventStore;
  let assessmentId: string;
  let openAssessmentId: string;
  const pseudonyms: string[] = [];
  const secrets: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'reports-'));

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 10 });
    store = new PostgresEventStore(database.db, database.pool);
    const features = [modelCatalogueFeature, organisationsFeature, respondentsFeature, assessmentsFeature, insightsFeature, reportsFeature] as FeatureManifest[];
    services = composeServices(features, database.db, store, testConfig({ DATABASE_URL: database.url })) as typeof services;
    const catalogue = services.catalogue as ModelCatalogue;
    await catalogue.draft({ document: model }, metadata('admin'));
    await catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01' }, metadata('admin'));
    const organisations = services.organisations as Organisations;
    const organisationId = (await organisations.register({ name: 'Gemeente Lingewaard', organisationType: 'municipality', sizeBand: 'medium' }, metadata('admin'))).organisationId;
    const respondents = services.respondents as { register(organisationId: string, person: { name: string; email: string }, meta: CommandMetadata): Promise<{ respondentId: string }> };
    const open = (period: string) =>
      services.assessments.open({ organisationId, scope: { kind: 'organisation', organisationId }, period, model: { key: KEY, version: '2026.1' }, layers: ['strategic', 'tactical', 'operational'] }, metadata('coord'));
    assessmentId = (await open('2026')).assessmentId;
    openAssessmentId = (await open('2027')).assessmentId;
    // Three strategic and tactical respondents, one operational: the operational cells stay out of the public variant.
    const layers: LayerId[] = ['strategic', 'strategic', 'strategic', 'tactical', 'tactical', 'tactical', 'operational'];
    const questions = model.factors.flatMap((f) => f.questions.map((q) => q.id));
    for (const [i, layer] of layers.entries()) {
      const respondentId = (await respondents.register(organisationId, { name: `Respondent ${i}`, email: `r${i}@lingewaard.example.nl` }, metadata('coord'))).respondentId;
      pseudonyms.push(respondentId);
      await services.assessments.invite(assessmentId, respondentId, layer, metadata('coord'));
      for (const [q, questionId] of questions.entries()) {
        const answer = (i + q) % 7 === 6 ? { dontKnow: true as const } : { level: (i * 2 + q) % 6 };
        const withTexts = q % 5 === 0;
        if (withTexts) secrets.push(justificationOf(i, questionId), evidenceOf(i, questionId).reference, evidenceOf(i, questionId).title);
        await services.assessments.recordAnswer(
          assessmentId,
          respondentId,
          { questionId, answer, ...(withTexts ? { justification: justificationOf(i, questionId), evidence: [evidenceOf(i, questionId)] } : {}) },
          metadata(respondentId),
        );
      }
      await services.assessments.submit(assessmentId, respondentId, metadata(respondentId));
    }
    await services.assessments.close(assessmentId, metadata('coord'));
  }, 180_000);

  afterAll(async () => {
    await services?.reports.printer().close();
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  it('every score, stage, layer score and spread in the HTML is the one the assessment API gives', async () => {
    const api = (await services.assessments.get(assessmentId)).score!;
    for (const [lang, read] of [['nl', parse], ['en', parseEn]] as const) {
      const { html } = await services.reports.html(assessmentId, { lang, audience: 'internal' });
      const scores = new Map(cells(html, 'data-score'));
      expect(scores.size).toBe(model.factors.length + 1);
      expect(read(scores.get('overall')!)).toBe(api.overall.score);
      for (const factor of api.factors) {
        expect({ factor: factor.factorId, score: read(scores.get(factor.factorId)!) }).toEqual({ factor: factor.factorId, score: factor.score });
        expect(cells(html, 'data-stage').find(([id]) => id === factor.factorId)![1]).toMatch(new RegExp(`^${factor.stage} `));
        expect(read(cells(html, 'data-spread').find(([id]) => id === factor.factorId)![1])).toBe(factor.spread);
      }
      const layerScores = cells(html, 'data-layer-score');
      expect(layerScores).toHaveLength(model.factors.length * 3);
      for (const [key, text] of layerScores) {
        const [factorId, layer] = key.split(':') as [string, LayerId];
        expect({ key, value: read(text) }).toEqual({ key, value: api.factors.find((f) => f.factorId === factorId)!.byLayer[layer]?.value ?? null });
      }
      expect(html).toContain(`npm run cli -- verify --assessment ${assessmentId}`);
      expect(html).toContain(api.model.contentHash);
      for (const risk of api.risks) expect(html).toContain(risk.message[lang].replace(/'/g, '&#39;'));
      // The internal report lists the respondents by pseudonym.
      for (const pseudonym of pseudonyms) expect(html).toContain(pseudonym);
    }
  });

  it('the public variant holds no pseudonym, justification or evidence, and no layer cell of fewer than 3 respondents', async () => {
    const { html } = await services.reports.html(assessmentId, { lang: 'nl', audience: 'public' });
    expect(secrets.length).toBeGreaterThan(20);
    for (const secret of [...pseudonyms, ...secrets]) expect({ secret, found: html.includes(secret) }).toEqual({ secret, found: false });
    const operational = cells(html, 'data-layer-score').filter(([key]) => key.endsWith(':operational'));
    expect(operational.length).toBe(model.factors.length);
    for (const [, text] of operational) expect(text).toBe('niet getoond (minder dan 3 respondenten)');
    expect(cells(html, 'data-layer-score').filter(([key, text]) => key.endsWith(':strategic') && parse(text) !== null).length).toBeGreaterThan(0);
  });

  it('refuses an unknown language, an unknown audience and a report of an open assessment, naming each', async () => {
    expect(() => services.reports.parseOptions({ lang: 'fr' })).toThrow(ValidationFailed);
    expect(() => services.reports.parseOptions({ lang: 'fr' })).toThrow(/^lang: must be one of nl, en$/);
    expect(() => services.reports.parseOptions({ audience: 'press' })).toThrow(/^audience: must be one of internal, public$/);
    expect(services.reports.parseOptions({})).toEqual({ lang: 'nl', audience: 'internal' });
    const refused = services.reports.request(openAssessmentId, { lang: 'nl', audience: 'internal' }, metadata('coord'));
    await expect(refused).rejects.toBeInstanceOf(RuleBroken);
    await expect(refused).rejects.toMatchObject({ code: 'report.assessment-open', details: { field: 'assessmentId', assessmentId: openAssessmentId } });
    expect(await store.readStream(reportStreamId(openAssessmentId))).toEqual([]);
  });

  it('a requested PDF is printed by the job, recorded with its SHA-256, holds every factor name and score, and renders', async () => {
    const requested = await services.reports.request(assessmentId, { lang: 'en', audience: 'internal' }, metadata('coord'));
    expect(requested).toMatchObject({ status: 'queued', lang: 'en', audience: 'internal', requestedBy: 'coord' });
    const done = await services.reports.generate(requested.reportId, assessmentId, metadata('system:reports'));
    expect(done.status).toBe('done');
    // Run again (a re-delivered job): nothing new is recorded.
    await services.reports.generate(requested.reportId, assessmentId, metadata('system:reports'));
    const events = await store.readStream<ReportEvent>(reportStreamId(assessmentId));
    expect(events.map((e) => e.type)).toEqual(['ReportRequested', 'ReportGenerated']);
    const api = await services.assessments.get(assessmentId);
    expect(events[1].data).toMatchObject({
      reportId: requested.reportId,
      language: 'en',
      audience: 'internal',
      requestedBy: 'coord',
      source: { streamId: `assessment-${assessmentId}`, version: api.scoreEvent!.version, eventId: api.scoreEvent!.eventId, hash: api.scoreEvent!.hash },
      pdfSha256: done.pdfSha256,
    });

    const { pdf } = await services.reports.pdf(assessmentId, requested.reportId);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const factor of model.factors) {
      expect({ factor: factor.id, named: text.includes(factor.name.en) }).toEqual({ factor: factor.id, named: true });
      const score = api.score!.factors.find((f) => f.factorId === factor.id)!.score!;
      expect({ factor: factor.id, score: text.includes(score.toFixed(2)) }).toEqual({ factor: factor.id, score: true });
    }
    execFileSync('pdftoppm', ['-png', '-f', '1', '-l', '1', '-r', '50', file, join(dir, 'page')]);
    expect(statSync(join(dir, 'page-01.png')).size).toBeGreaterThan(1000);

    expect(await services.reports.verify(pdf)).toMatchObject({ valid: true, report: { reportId: requested.reportId, issuedBy: 'system:reports', status: 'done' }, supersededBy: null });
    const tampered = Buffer.from(pdf);
    tampered[Math.floor(tampered.length / 2)] ^= 0x01;
    expect(await services.reports.verify(tampered)).toMatchObject({ valid: false, report: null });
  }, 120_000);

  it('the public PDF holds none of the pseudonyms, justifications or evidence either', async () => {
    const requested = await services.reports.request(assessmentId, { lang: 'nl', audience: 'public' }, metadata('coord'));
    await services.reports.generate(requested.reportId, assessmentId, metadata('system:reports'));
    const { pdf } = await services.reports.pdf(assessmentId, requested.reportId);
    const file = join(dir, 'public.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    for (const secret of [...pseudonyms, ...secrets]) expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
  }, 60_000);

  it('the HTML report has no serious or critical accessibility violations (axe-core in Chromium)', async () => {
    const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    for (const audience of ['internal', 'public'] as const) {
      const { html } = await services.reports.html(assessmentId, { lang: 'nl', audience });
      const violations = await services.reports.printer().withPage(html, async (page) => {
        await page.addScriptTag({ content: axe });
        return page.evaluate(async () => {
          const result = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] });
          return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
        });
      });
      expect({ audience, violations: violations.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ audience, violations: [] });
    }
  }, 60_000);
});
