/**
 * bench:reports: HTML report p95, PDF p95 with a warm browser (the whole job: read, render, print,
 * store, record), PDF throughput with one worker (this process, one PDF at a time), and the
 * worker's RSS growth from the 20th to the last PDF (a leak check). The baseline, measured in the
 * same run, is Chromium printing a one-line page: the floor any PDF costs here.
 * PDFS=200 by default. Ends with one JSON line.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { createTestDatabase, prepareTemplateDatabase, testConfig } from '@maatlat/shared/testing';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { composeServices, type FeatureManifest } from '@maatlat/shared/features';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { SHIPPED_MODELS, type LayerId } from '@maatlat/model-catalogue/domain';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { Organisations } from '@maatlat/organisations/data-access';
import { modelCatalogueFeature } from '@maatlat/model-catalogue/feature';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { respondentsFeature } from '@maatlat/respondents/feature';
import { assessmentsFeature, type AssessmentsServices } from '@maatlat/assessments/feature';
import { insightsFeature } from '@maatlat/insights/feature';
import { reportsFeature, type ReportsServices } from '@maatlat/reports/feature';

const PDFS = Number(process.env.PDFS ?? 200);
const HTMLS = 100;
const meta = (actor: string): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const round = (n: number) => Math.round(n * 10) / 10;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
/** Where the process's memory is: the JS heap, buffers outside it, and the rest of the RSS (native: malloc, code). */
const memory = () => {
  const m = process.memoryUsage();
  return { rss: m.rss / 2 ** 20, heapUsed: m.heapUsed / 2 ** 20, external: m.external / 2 ** 20, arrayBuffers: m.arrayBuffers / 2 ** 20 };
};
const load = () => loadavg().map((n) => n.toFixed(1)).join(' ');

async function main(): Promise<void> {
  await prepareTemplateDatabase();
  const database = await createTestDatabase({ maxConnections: 8 });
  const store = new PostgresEventStore(database.db, database.pool);
  const features = [modelCatalogueFeature, organisationsFeature, respondentsFeature, assessmentsFeature, insightsFeature, reportsFeature] as FeatureManifest[];
  const services = composeServices(features, database.db, store, testConfig({ DATABASE_URL: database.url })) as unknown as AssessmentsServices & ReportsServices & {
    catalogue: ModelCatalogue;
    organisations: Organisations;
    respondents: { register(o: string, p: { name: string; email: string }, m: CommandMetadata): Promise<{ respondentId: string }> };
  };
  try {
    const model = SHIPPED_MODELS['2026.1'];
    await services.catalogue.draft({ document: model }, meta('admin'));
    await services.catalogue.publish(model.key, '2026.1', { legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01' }, meta('admin'));
    const organisationId = (await services.organisations.register({ name: 'Gemeente Bench', organisationType: 'municipality', sizeBand: 'medium' }, meta('admin'))).organisationId;
    const { assessmentId } = await services.assessments.open(
      { organisationId, scope: { kind: 'organisation', organisationId }, period: '2026', model: { key: model.key, version: '2026.1' }, layers: ['strategic', 'tactical', 'operational'] },
      meta('coord'),
    );
    const questions = model.factors.flatMap((f) => f.questions.map((q) => q.id));
    const layers: LayerId[] = ['strategic', 'strategic', 'strategic', 'tactical', 'tactical', 'tactical', 'operational', 'operational', 'operational'];
    for (const [i, layer] of layers.entries()) {
      const { respondentId } = await services.respondents.register(organisationId, { name: `R ${i}`, email: `r${i}@bench.example.nl` }, meta('coord'));
      await services.assessments.invite(assessmentId, respondentId, layer, meta('coord'));
      await services.assessments.recordAnswers(assessmentId, respondentId, questions.map((questionId, q) => ({ questionId, answer: { level: (i + q) % 6 } })), meta(respondentId), { submit: true });
    }
    await services.assessments.close(assessmentId, meta('coord'));
    const printer = services.reports.printer();
    if (printer.unavailableReason()) throw new Error(printer.unavailableReason()!);

    console.log(`load average at start: ${load()}`);
    // The first report of each language and audience draws its charts; later ones of the same score reuse them.
    const cold: number[] = [];
    const coldCpu: number[] = [];
    for (const lang of ['nl', 'en'] as const) {
      for (const audience of ['internal', 'public'] as const) {
        const [t, c] = [performance.now(), process.cpuUsage()];
        await services.reports.html(assessmentId, { lang, audience });
        cold.push(performance.now() - t);
        coldCpu.push(cpuMs(c));
      }
    }
    for (let i = 0; i < 10; i++) await services.reports.html(assessmentId, { lang: 'nl', audience: 'internal' });
    const html: number[] = [];
    const htmlCpu = process.cpuUsage();
    for (let i = 0; i < HTMLS; i++) {
      const started = performance.now();
      await services.reports.html(assessmentId, { lang: i % 2 ? 'en' : 'nl', audience: i % 3 ? 'internal' : 'public' });
      html.push(performance.now() - started);
    }
    const htmlCpuMs = cpuMs(htmlCpu) / HTMLS;

    await printer.print('<!DOCTYPE html><html lang="en"><title>x</title><p>warm</p></html>');
    const baseline: number[] = [];
    const pdf: number[] = [];
    let rssAt20 = 0;
    let memoryAt20 = memory();
    let cpuAt20 = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < PDFS; i++) {
      // Baseline and report take turns, so a slow spell of the shared machine falls on both.
      if (i % 10 === 0) {
        const t = performance.now();
        await printer.print(`<!DOCTYPE html><html lang="en"><title>b</title><p>baseline ${i}</p></html>`);
        baseline.push(performance.now() - t);
      }
      const t = performance.now();
      const { reportId } = await services.reports.request(assessmentId, { lang: i % 2 ? 'en' : 'nl', audience: i % 3 ? 'internal' : 'public' }, meta('coord'));
      await services.reports.generate(reportId, assessmentId, meta('system:reports'));
      pdf.push(performance.now() - t);
      if (i === 19) {
        global.gc?.();
        rssAt20 = rssMb();
        memoryAt20 = memory();
        cpuAt20 = process.cpuUsage();
      }
    }
    const elapsed = performance.now() - started - baseline.reduce((s, x) => s + x, 0);
    // The worker's own CPU per PDF job (reading, rendering, storing, recording: Chromium's printing is in its processes).
    const pdfCpuMs = cpuMs(cpuAt20) / (PDFS - 20);
    global.gc?.();
    const rssEnd = rssMb();
    const memoryEnd = memory();
    const figures = {
      html_p95_ms: round(p95(html)),
      pdf_p95_ms: round(p95(pdf)),
      pdfs_per_min: round((PDFS / elapsed) * 60_000),
      worker_rss_growth_mb: round(rssEnd - rssAt20),
    };
    console.log(`HTML report, first of its language and audience (charts drawn): ${cold.map(round).join(', ')} ms; CPU ${coldCpu.map(round).join(', ')} ms`);
    console.log(`HTML report: p95 ${figures.html_p95_ms} ms, mean ${round(mean(html))} ms over ${HTMLS}, CPU ${round(htmlCpuMs)} ms each (target <= 150 ms)`);
    console.log(`PDF report (whole job, warm browser): p95 ${figures.pdf_p95_ms} ms, mean ${round(mean(pdf))} ms over ${PDFS} (target <= 1500 ms)`);
    console.log(`baseline (a one-line page printed): p95 ${round(p95(baseline))} ms; report/baseline p95 ratio ${round(figures.pdf_p95_ms / p95(baseline))}`);
    console.log(`throughput, one worker: ${figures.pdfs_per_min} PDFs/min`);
    console.log(`worker CPU per PDF job: ${round(pdfCpuMs)} ms (this process; Chromium prints in its own)`);
    console.log(`worker RSS: ${round(rssAt20)} MB after 20 PDFs, ${round(rssEnd)} MB after ${PDFS}: growth ${figures.worker_rss_growth_mb} MB (limit 50 MB)`);
    const grew = (key: keyof ReturnType<typeof memory>) => `${key} ${round(memoryAt20[key])} -> ${round(memoryEnd[key])} MB`;
    console.log(`  of which (after a full GC): ${grew('heapUsed')}, ${grew('external')} (${grew('arrayBuffers')}); outside the V8 heap and buffers: ${round(memoryAt20.rss - memoryAt20.heapUsed - memoryAt20.external)} -> ${round(memoryEnd.rss - memoryEnd.heapUsed - memoryEnd.external)} MB`);
    console.log(`load average at end: ${load()}`);
    console.log(JSON.stringify({ ...figures, baseline_pdf_p95_ms: round(p95(baseline)), html_cpu_ms: round(htmlCpuMs), pdf_job_cpu_ms: round(pdfCpuMs), pdfs: PDFS, loadavg: loadavg().map(round) }));
    await printer.close();
  } finally {
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
