import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { AppConfig } from '@maatlat/shared/config';
import { DomainError, type CommandMetadata } from '@maatlat/shared/domain';
import { modelCatalogueFeature, type Crosswalk, type ModelCatalogueServices, type ModelDocument } from '@maatlat/model-catalogue/feature';
import { UsageError, type CommandResult } from './commands';
import { withFeatures } from './features';

const { validateModelDocument, parseModelRef } = modelCatalogueFeature.offline;

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the ${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function problemsResult(title: string, error: unknown): CommandResult {
  if (error instanceof DomainError) {
    const problems = (error.details.problems as { field: string; problem: string }[] | undefined) ?? [];
    const lines = [`${title}: ${problems.length ? `${problems.length} problem(s)` : error.message}`, ...problems.map((p) => `  ${p.field}: ${p.problem}`)];
    return { output: lines.join('\n'), exitCode: 2 };
  }
  throw error;
}

export function validateModelFile(file: string | undefined): CommandResult {
  if (!file) throw new UsageError('model validate needs a FILE');
  const document = readJson(file, 'model file');
  const problems = validateModelDocument(document);
  if (problems.length === 0) {
    const model = document as ModelDocument;
    const questions = model.factors.reduce((n, f) => n + f.questions.length, 0);
    return { output: `valid: ${model.key}@${model.version}, ${model.factors.length} factors, ${questions} questions, ${model.riskRules.length} risk rules`, exitCode: 0 };
  }
  return { output: [`invalid: ${problems.length} problem(s)`, ...problems.map((p) => `  ${p.path}: ${p.message}`)].join('\n'), exitCode: 2 };
}

const withCatalogue = <T>(config: AppConfig, work: (catalogue: ModelCatalogueServices['catalogue']) => Promise<T>) =>
  withFeatures(config, [modelCatalogueFeature], ({ services }) => work(services.catalogue));

/** Drafts (or revises the draft of) a file's version, sets its crosswalk when given, and publishes it. */
export async function publishModelFile(
  config: AppConfig,
  file: string | undefined,
  options: { legalBasis?: string; effectiveFrom?: string; crosswalk?: string },
): Promise<CommandResult> {
  if (!file || !options.legalBasis || !options.effectiveFrom) {
    throw new UsageError('model publish needs FILE --legal-basis TEXT --effective-from YYYY-MM-DD [--crosswalk FILE]');
  }
  const document = readJson(file, 'model file') as ModelDocument;
  const crosswalk = options.crosswalk ? (readJson(options.crosswalk, 'crosswalk file') as Crosswalk) : undefined;
  const metadata: CommandMetadata = { now: new Date(), actor: `cli:${userInfo().username}`, correlationId: randomUUID(), reason: `published from ${file}` };
  return withCatalogue(config, async (catalogue) => {
    try {
      const existing = await catalogue.get(document.key, document.version).catch(() => undefined);
      if (existing && existing.status !== 'draft') {
        return { output: `${document.key}@${document.version} is already ${existing.status} (content hash ${existing.contentHash}); draft a new version to change it`, exitCode: 2 };
      }
      if (existing) await catalogue.revise(document.key, document.version, document, metadata);
      else await catalogue.draft({ document }, metadata);
      if (crosswalk) await catalogue.setCrosswalk(document.key, document.version, crosswalk, metadata);
      const view = await catalogue.publish(document.key, document.version, { legalBasis: options.legalBasis!, effectiveFrom: options.effectiveFrom! }, metadata);
      return {
        output: `published ${view.key}@${view.version}: content hash ${view.contentHash}, effective from ${view.effectiveFrom}${view.predecessor ? `, succeeding ${view.predecessor}` : ''}`,
        exitCode: 0,
      };
    } catch (error) {
      return problemsResult(`not published`, error);
    }
  });
}

export async function diffModelVersions(config: AppConfig, from: string | undefined, to: string | undefined): Promise<CommandResult> {
  const a = from ? parseModelRef(from) : undefined;
  const b = to ? parseModelRef(to) : undefined;
  if (!a || !b || a.key !== b.key) throw new UsageError('model diff needs KEY@A KEY@B of one model, e.g. datagedreven-overheid@2026.1 datagedreven-overheid@2027.1');
  return withCatalogue(config, async (catalogue) => {
    try {
      return { output: JSON.stringify(await catalogue.diff(a.key, a.version, b.version), null, 2), exitCode: 0 };
    } catch (error) {
      return problemsResult('cannot diff', error);
    }
  });
}
