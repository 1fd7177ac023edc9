import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { RuleBroken, ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { composeServices, projectionsOf, type FeatureManifest } from '@maatlat/shared/features';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { modelVersionStreamId, SHIPPED_CROSSWALKS, SHIPPED_MODELS, type ModelVersionEvent } from '@maatlat/model-catalogue/domain';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { Organisations } from '@maatlat/organisations/data-access';
import { modelCatalogueFeature } from '@maatlat/model-catalogue/feature';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { assessmentsFeature, type AssessmentsServices, type Recalculations } from '@maatlat/assessments/feature';
import { insightsFeature, type Insights } from '@maatlat/insights/feature';
import { respondentsFeature } from '@maatlat/respondents/feature';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import { reportStreamId, textsOf, type ReportEvent } from '@maatlat/reports/domain';
import { reportsFeature, type ReportsServices } from './reports.feature';

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
  }, 180_000);
  it('a report of an older score says it was recalculated and links the newer score event, in HTML and PDF; an unknown scoreEvent is a 400 naming it', async () => {
    const recalculations = services.recalculations as Recalculations;
    const target = { key: KEY, version: '2026.1' };
    const recalculationId = await recalculations.start({ kind: 'algorithm-upgrade', algorithm: 'maatlat-scoring/v1' }, target, target, metadata('admin'));
    await recalculations.recalculateOne(recalculationId, assessmentId, metadata('system:recalculation'));
    const [closing, newer, ...more] = await services.assessments.scoreEvents(assessmentId);
    expect([closing.type, newer.type, more]).toEqual(['ScoreCalculated', 'ScoreRecalculated', []]);

    // The latest score: no notice.
    const latest = await services.reports.html(assessmentId, { lang: 'nl', audience: 'internal' });
    expect(latest.input.source).toMatchObject({ version: newer.version, eventId: newer.eventId });
    expect(latest.html).not.toContain('data-superseded');

    // The closing score, chosen by version or by event id, in either language.
    for (const [lang, scoreEvent] of [['en', { version: closing.version }], ['nl', { eventId: closing.eventId }]] as const) {
      const { html, input } = await services.reports.html(assessmentId, { lang, audience: 'internal', scoreEvent });
      expect(input.source).toEqual({ streamId: `assessment-${assessmentId}`, version: closing.version, eventId: closing.eventId, hash: closing.hash, type: 'ScoreCalculated', recordedAt: closing.recordedAt });
      expect(cells(html, 'data-field').find(([field]) => field === 'score-event-version')![1]).toBe(String(closing.version));
      expect(html).toContain(`data-superseded="${newer.version}" data-superseded-event="${newer.eventId}"`);
      expect(html).toContain(`<a href="/v1/assessments/${assessmentId}/report?scoreEvent=${newer.version}&amp;lang=${lang}&amp;audience=internal" data-field="newer-report">`);
      expect(html).toContain(lang === 'en' ? `this score was recalculated later (score event version ${newer.version},` : `deze score is later herberekend (scoregebeurtenis versie ${newer.version},`);
    }

    // scoreEvent as the API takes it: malformed or unknown, a 400 naming it.
    expect(services.reports.parseOptions({ scoreEvent: String(closing.version) })).toEqual({ lang: 'nl', audience: 'internal', scoreEvent: { version: closing.version } });
    expect(services.reports.parseOptions({ scoreEvent: closing.version })).toEqual({ lang: 'nl', audience: 'internal', scoreEvent: { version: closing.version } });
    expect(() => services.reports.parseOptions({ scoreEvent: 'latest' })).toThrow(/^scoreEvent: must be the stream version/);
    const unknown = services.reports.html(assessmentId, { lang: 'nl', audience: 'internal', scoreEvent: { version: 9999 } });
    await expect(unknown).rejects.toBeInstanceOf(ValidationFailed);
    await expect(unknown).rejects.toThrow(new RegExp(`^scoreEvent: assessment ${assessmentId} has no score event 9999`));
    await expect(services.reports.request(assessmentId, { lang: 'nl', audience: 'internal', scoreEvent: { eventId: randomUUID() } }, metadata('coord'))).rejects.toThrow(/^scoreEvent: /);

    // The PDF of the closing score: the request keeps the chosen score, the job prints it and records it as the source.
    const requested = await services.reports.request(assessmentId, { lang: 'nl', audience: 'internal', scoreEvent: { eventId: closing.eventId } }, metadata('coord'));
    expect(requested.scoreEvent).toBe(closing.version);
    const done = await services.reports.generate(requested.reportId, assessmentId, metadata('system:reports'));
    expect(done).toMatchObject({ status: 'done', scoreEvent: closing.version, source: { streamId: `assessment-${assessmentId}`, version: closing.version, eventId: closing.eventId, hash: closing.hash } });
    const { pdf } = await services.reports.pdf(assessmentId, requested.reportId);
    const file = join(dir, 'older.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text.replace(/\s+/g, ' ')).toContain(`Let op: deze score is later herberekend (scoregebeurtenis versie ${newer.version},`);
    // Ids and paths break anywhere across lines in print: compared without white space.
    const compact = text.replace(/\s+/g, '');
    expect(compact).toContain(newer.eventId);
    expect(compact).toContain(`/v1/assessments/${assessmentId}/report?scoreEvent=${newer.version}&lang=nl&audience=internal`);
    expect(await services.reports.verify(pdf)).toMatchObject({ valid: true, report: { reportId: requested.reportId, scoreEvent: closing.version }, supersededBy: { version: newer.version, eventId: newer.eventId, type: 'ScoreRecalculated' } });

    // A PDF of the latest score has no notice.
    const current = await services.reports.request(assessmentId, { lang: 'nl', audience: 'internal' }, metadata('coord'));
    expect(current.scoreEvent).toBeNull();
    expect((await services.reports.generate(current.reportId, assessmentId, metadata('system:reports'))).source).toMatchObject({ version: newer.version, eventId: newer.eventId });
    const currentFile = join(dir, 'current.pdf');
    writeFileSync(currentFile, (await services.reports.pdf(assessmentId, current.reportId)).pdf);
    expect(execFileSync('pdftotext', [currentFile, '-'], { encoding: 'utf8' })).not.toContain('later herberekend');
  }, 120_000);
});

describe('the trend and benchmark sections of a report, against peers', () => {
  let database: TestDatabase;
  let services: AssessmentsServices & ReportsServices & { insights: Insights; organisations: Organisations; catalogue: ModelCatalogue; recalculations: Recalculations };
  let focusId: string;
  let provinceId: string;
  const assessmentOf: Record<string, string> = {};

  /** A closed organisation-wide assessment with two tactical respondents answering every question from `base` up. */
  async function closed(organisationId: string, period: string, base: number, version: '2026.1' | '2027.1' = '2026.1'): Promise<string> {
    const { assessmentId } = await services.assessments.open(
      { organisationId, scope: { kind: 'organisation', organisationId }, period, model: { key: KEY, version }, layers: ['tactical'] },
      metadata('coord'),
    );
    const questions = SHIPPED_MODELS[version].factors.flatMap((f) => f.questions.map((q) => q.id));
    for (const r of [0, 1]) {
      const respondents = (services as unknown as { respondents: { register(o: string, p: { name: string; email: string }, m: CommandMetadata): Promise<{ respondentId: string }> } }).respondents;
      const { respondentId } = await respondents.register(organisationId, { name: `R ${period} ${r}`, email: `r${r}-${period}-${randomUUID()}@example.nl` }, metadata('coord'));
      await services.assessments.invite(assessmentId, respondentId, 'tactical', metadata('coord'));
      await services.assessments.recordAnswers(assessmentId, respondentId, questions.map((questionId, q) => ({ questionId, answer: { level: Math.min(5, base + ((q + r) % 3)) } })), metadata(respondentId), { submit: true });
    }
    await services.assessments.close(assessmentId, metadata('coord'));
    return assessmentId;
  }

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 10 });
    const store = new PostgresEventStore(database.db, database.pool);
    const features = [modelCatalogueFeature, organisationsFeature, respondentsFeature, assessmentsFeature, insightsFeature, reportsFeature] as FeatureManifest[];
    services = composeServices(features, database.db, store, testConfig({ DATABASE_URL: database.url })) as unknown as typeof services;
    await services.catalogue.draft({ document: model }, metadata('admin'));
    await services.catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01' }, metadata('admin'));
    // The organisation reported on, and five peers of its type and size, each with a closed 2026 assessment.
    focusId = (await services.organisations.register({ name: 'Gemeente Focus', organisationType: 'municipality', sizeBand: 'medium' }, metadata('admin'))).organisationId;
    assessmentOf['2025'] = await closed(focusId, '2025', 1);
    assessmentOf['2026'] = await closed(focusId, '2026', 2);
    for (const [i, base] of [0, 1, 2, 3, 3].entries()) {
      const { organisationId } = await services.organisations.register({ name: `Gemeente Peer ${i}`, organisationType: 'municipality', sizeBand: 'medium' }, metadata('admin'));
      await closed(organisationId, '2026', base);
    }
    // A province, the only one of its type: its peer group stays under 5.
    provinceId = (await services.organisations.register({ name: 'Provincie Apart', organisationType: 'province', sizeBand: 'medium' }, metadata('admin'))).organisationId;
    assessmentOf['province'] = await closed(provinceId, '2026', 2);
    await new ProjectionRunner(database.db, database.pool, store, projectionsOf(features)).catchUp();
  }, 300_000);

  afterAll(async () => {
    await services?.reports.printer().close();
    await database?.drop();
  });

  it('shows the peer median in the radar, the bands and the position in the benchmark, and the trend points with their kinds: the numbers the insights API gives', async () => {
    const position = await services.insights.benchmarkPosition(focusId, { modelKey: KEY, period: '2026' });
    const trends = await services.insights.organisationTrends(focusId, { modelKey: KEY });
    const type = position.groups.find((g) => g.groupBy === 'organisationType')!;
    expect(type.cell.overall).toMatchObject({ status: 'shown', organisations: 6 });
    const [series] = trends.series;
    expect(series.points.map((p) => [p.period, p.comparability])).toEqual([
      ['2025', 'native'],
      ['2026', 'native'],
    ]);

    for (const [lang, read] of [['nl', parse], ['en', parseEn]] as const) {
      const { html } = await services.reports.html(assessmentOf['2026'], { lang, audience: 'internal' });
      // Radar: the peer median per factor, in the table and as a series of the chart.
      const medians = new Map(cells(html, 'data-peer-median'));
      expect(medians.size).toBe(model.factors.length);
      for (const factor of type.cell.factors) {
        expect({ factor: factor.factorId, median: read(medians.get(factor.factorId)!) }).toEqual({ factor: factor.factorId, median: factor.status === 'shown' ? factor.p50 : null });
      }
      const radar = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
      expect(radar).toContain(lang === 'nl' ? 'Mediaan van de peergroep' : 'Peer group median');
      // Benchmark: own score, the bands of each group shown, the suppressed group said to be so, the position.
      expect(read(cells(html, 'data-field').find(([field]) => field === 'own-overall')![1])).toBe(position.own.overall);
      const bands = new Map(cells(html, 'data-band'));
      for (const group of position.groups) {
        const figure = group.cell.overall;
        if (figure.status === 'shown') {
          expect(Number(bands.get(`${group.groupBy}:organisations`))).toBe(figure.organisations);
          for (const band of ['p10', 'p25', 'p50', 'p75', 'p90'] as const) expect({ group: group.groupBy, band, value: read(bands.get(`${group.groupBy}:${band}`)!) }).toEqual({ group: group.groupBy, band, value: figure[band] });
        } else {
          const said = figure.reason === 'fewer-than-k' ? (lang === 'nl' ? 'onderdrukt (minder dan 5)' : 'suppressed (fewer than 5)') : textsOf(lang).suppressedDifferencing;
          expect(cells(html, 'data-suppressed').find(([g]) => g === group.groupBy)![1]).toBe(said);
        }
        const rank = cells(html, 'data-percentile-rank').find(([g]) => g === group.groupBy)![1];
        expect({ group: group.groupBy, rank: read(rank) }).toEqual({ group: group.groupBy, rank: group.overallPercentileRank });
      }
      // Trend: each point, its kind and its overall score.
      expect(cells(html, 'data-trend-kind').map(([kind, label]) => [kind, label])).toEqual(
        series.points.map((p) => [p.comparability, lang === 'nl' ? { native: 'oorspronkelijk', recalculated: 'herberekend', mapped: 'omgezet via crosswalk' }[p.comparability] : { native: 'native', recalculated: 'recalculated', mapped: 'mapped through a crosswalk' }[p.comparability]]),
      );
      expect(cells(html, 'data-trend-overall').map(([period, text]) => [period, read(text)])).toEqual(series.points.map((p) => [p.period, p.overall.score]));
    }
  }, 120_000);

  it('says a peer group of fewer than 5 organisations is suppressed, in the benchmark and in place of the peer median', async () => {
    const position = await services.insights.benchmarkPosition(provinceId, { modelKey: KEY, period: '2026' });
    expect(position.groups.find((g) => g.groupBy === 'organisationType')!.cell.overall).toMatchObject({ status: 'suppressed', reason: 'fewer-than-k' });
    const { html } = await services.reports.html(assessmentOf['province'], { lang: 'nl', audience: 'public' });
    expect(cells(html, 'data-suppressed').find(([g]) => g === 'organisationType')![1]).toBe('onderdrukt (minder dan 5)');
    const medians = cells(html, 'data-peer-median');
    expect(medians).toHaveLength(model.factors.length);
    for (const [, text] of medians) expect(text).toBe('onderdrukt (minder dan 5)');
    expect(cells(html, 'data-band').filter(([key]) => key.startsWith('organisationType:'))).toEqual([]);
  }, 60_000);

  // Last in this block: it publishes the successor model, which the tests above do not expect.
  it('marks the trend points scored on an earlier model version as recalculated or mapped, as the insights API does, in both languages', async () => {
    await services.catalogue.draft({ document: SHIPPED_MODELS['2027.1'] }, metadata('admin'));
    await services.catalogue.setCrosswalk(KEY, '2027.1', SHIPPED_CROSSWALKS['2026.1->2027.1'], metadata('admin'));
    await services.catalogue.publish(KEY, '2027.1', { legalBasis: 'Woo; AVG', effectiveFrom: '2027-01-01' }, metadata('admin'));
    assessmentOf['2027'] = await closed(focusId, '2027', 3, '2027.1');
    // 2026 is rescored on 2027.1 from its answers; 2025 is not, so it can only be carried over through the crosswalk.
    const target = { key: KEY, version: '2027.1' };
    const store = new PostgresEventStore(database.db, database.pool);
    const published = (await store.readStream<ModelVersionEvent>(modelVersionStreamId(KEY, '2027.1'))).find((e) => e.type === 'ModelVersionPublished')!;
    if (published.type !== 'ModelVersionPublished') throw new Error('2027.1 is published');
    const cause = { kind: 'model-published' as const, publishedEventId: published.eventId, from: `${KEY}@2026.1`, to: `${KEY}@2027.1`, crosswalkHash: published.data.crosswalkHash };
    const recalculationId = await services.recalculations.start(cause, target, { key: KEY, version: '2026.1' }, metadata('system:recalculation'));
    await services.recalculations.recalculateOne(recalculationId, assessmentOf['2026'], metadata('system:recalculation'));
    await new ProjectionRunner(database.db, database.pool, store, projectionsOf([modelCatalogueFeature, organisationsFeature, respondentsFeature, assessmentsFeature, insightsFeature, reportsFeature] as FeatureManifest[])).catchUp();

    const trends = await services.insights.organisationTrends(focusId, { modelKey: KEY });
    const series = trends.series.find((s) => s.points.some((p) => p.assessmentId === assessmentOf['2027']))!;
    expect(series.points.map((p) => [p.period, p.comparability])).toEqual([
      ['2025', 'mapped'],
      ['2026', 'recalculated'],
      ['2027', 'native'],
    ]);
    const labels = {
      nl: { native: 'oorspronkelijk', recalculated: 'herberekend', mapped: 'omgezet via crosswalk' },
      en: { native: 'native', recalculated: 'recalculated', mapped: 'mapped through a crosswalk' },
    } as const;
    for (const [lang, read] of [['nl', parse], ['en', parseEn]] as const) {
      const { html } = await services.reports.html(assessmentOf['2027'], { lang, audience: 'internal' });
      expect(cells(html, 'data-trend-kind')).toEqual(series.points.map((p) => [p.comparability, labels[lang][p.comparability]]));
      expect(cells(html, 'data-trend-overall').map(([period, text]) => [period, read(text)])).toEqual(series.points.map((p) => [p.period, p.overall.score]));
    }
  }, 180_000);
});
