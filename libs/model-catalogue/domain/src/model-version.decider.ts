import { createHash } from 'node:crypto';
import { assertNever, canonicalJson, Conflict, NotFound, RuleBroken, ValidationFailed, type Decider } from '@maatlat/shared/domain';
import type { Crosswalk, ModelDocument } from './model-document';
import type { ModelVersionCommand } from './model-version.commands';
import type { ModelVersionEvent } from './model-version.events';
import { validateCrosswalk, validateModelDocument, type ModelProblem } from './validate-model';

interface VersionContent {
  key: string;
  version: string;
  document: ModelDocument;
  crosswalk: Crosswalk | null;
}

export type ModelVersionState =
  | { status: 'none' }
  | ({ status: 'draft' } & VersionContent)
  | ({ status: 'published' | 'retired'; contentHash: string; legalBasis: string; effectiveFrom: string; predecessor: string | null } & VersionContent);

/** sha256 over the canonical JSON of a document: the same content always has the same hash. */
export function documentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function refuseProblems(problems: ModelProblem[], prefix = ''): void {
  if (problems.length) throw new ValidationFailed(problems.map((p) => ({ field: `${prefix}${p.path}`, problem: p.message })));
}

/** Orders `2026.1` < `2026.2` < `2027.1`. */
export function compareVersions(a: string, b: string): number {
  const [ay, an] = a.split('.').map(Number);
  const [by, bn] = b.split('.').map(Number);
  return ay - by || an - bn;
}

function published(state: ModelVersionState, action: string): never {
  throw new Conflict(
    'model.version-published',
    `${state.status === 'none' ? 'this version' : `${(state as VersionContent).key}@${(state as VersionContent).version}`} is ${state.status} and can never change; to ${action}, draft a new version`,
  );
}

export const modelVersionDecider: Decider<ModelVersionCommand, ModelVersionState, ModelVersionEvent> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'ModelVersionDrafted':
        return { status: 'draft', key: event.data.key, version: event.data.version, document: event.data.document, crosswalk: null };
      case 'ModelDraftRevised':
        return state.status === 'draft' ? { ...state, document: event.data.document } : state;
      case 'ModelCrosswalkSet':
        return state.status === 'draft' ? { ...state, crosswalk: event.data.crosswalk } : state;
      case 'ModelVersionPublished':
        return state.status === 'draft'
          ? {
              ...state,
              status: 'published',
              contentHash: event.data.contentHash,
              legalBasis: event.data.legalBasis,
              effectiveFrom: event.data.effectiveFrom,
              predecessor: event.data.predecessor,
            }
          : state;
      case 'ModelVersionRetired':
        return state.status === 'published' ? { ...state, status: 'retired' } : state;
      default:
        return assertNever(event, 'model version event');
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'DraftModelVersion': {
        const { document, source } = command.data;
        refuseProblems(validateModelDocument(document), 'document');
        if (state.status !== 'none') {
          throw new Conflict('model.version-exists', `${document.key}@${document.version} already exists (${state.status}); revise the draft or choose another version`);
        }
        return [{ type: 'ModelVersionDrafted', data: { key: document.key, version: document.version, document, source } }];
      }
      case 'ReviseModelDraft': {
        if (state.status === 'none') throw new NotFound('model-version', `${command.data.document.key}@${command.data.document.version}`);
        if (state.status !== 'draft') published(state, 'change it');
        refuseProblems(validateModelDocument(command.data.document), 'document');
        const { key, version } = command.data.document;
        if (key !== state.key || version !== state.version) {
          throw new ValidationFailed([{ field: 'document.$.version', problem: `a revision must keep key and version ${state.key}@${state.version}` }]);
        }
        return [{ type: 'ModelDraftRevised', data: { document: command.data.document } }];
      }
      case 'SetModelCrosswalk': {
        if (state.status === 'none') throw new NotFound('model-version', 'draft');
        if (state.status !== 'draft') published(state, 'change its crosswalk');
        refuseProblems(validateCrosswalk(command.data.crosswalk, command.data.predecessor, state.document), 'crosswalk');
        return [{ type: 'ModelCrosswalkSet', data: { crosswalk: command.data.crosswalk } }];
      }
      case 'PublishModelVersion': {
        if (state.status === 'none') throw new NotFound('model-version', 'draft');
        if (state.status !== 'draft') published(state, 'publish other content');
        const { legalBasis, effectiveFrom, predecessor } = command.data;
        const problems: { field: string; problem: string }[] = [];
        if (!legalBasis.trim()) problems.push({ field: 'legalBasis', problem: 'must name the legal basis of this version' });
        if (!/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom) || Number.isNaN(Date.parse(effectiveFrom))) {
          problems.push({ field: 'effectiveFrom', problem: 'must be a date written YYYY-MM-DD' });
        }
        for (const p of validateModelDocument(state.document)) problems.push({ field: `document${p.path}`, problem: p.message });
        if (predecessor) {
          if (compareVersions(state.version, predecessor.version) <= 0) {
            problems.push({ field: 'document.$.version', problem: `must come after the published ${predecessor.key}@${predecessor.version}` });
          }
          if (!state.crosswalk) {
            problems.push({ field: 'crosswalk', problem: `is missing: a crosswalk from ${predecessor.key}@${predecessor.version} must say what became of each factor and question` });
          } else {
            for (const p of validateCrosswalk(state.crosswalk, predecessor, state.document)) problems.push({ field: `crosswalk${p.path}`, problem: p.message });
          }
        }
        if (problems.length) throw new ValidationFailed(problems);
        return [
          {
            type: 'ModelVersionPublished',
            data: {
              key: state.key,
              version: state.version,
              contentHash: documentHash(state.document),
              legalBasis: legalBasis.trim(),
              effectiveFrom,
              predecessor: predecessor ? `${predecessor.key}@${predecessor.version}` : null,
              crosswalkHash: predecessor && state.crosswalk ? documentHash(state.crosswalk) : null,
            },
          },
        ];
      }
      case 'RetireModelVersion': {
        if (state.status === 'none') throw new NotFound('model-version', 'version');
        if (state.status === 'draft') throw new RuleBroken('model.not-published', `${state.key}@${state.version} is a draft; only a published version can be retired`);
        if (state.status === 'retired') throw new RuleBroken('model.already-retired', `${state.key}@${state.version} is already retired`);
        return [{ type: 'ModelVersionRetired', data: { key: state.key, version: state.version } }];
      }
      default:
        return assertNever(command, 'model version command');
    }
  },
};
