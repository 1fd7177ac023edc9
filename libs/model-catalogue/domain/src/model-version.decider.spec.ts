import { Conflict, NotFound, RuleBroken, ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { deciderSpec } from '@maatlat/shared/testing';
import type { ModelDocument } from './model-document';
import type { ModelVersionCommand } from './model-version.commands';
import { documentHash, modelVersionDecider } from './model-version.decider';
import type { ModelVersionEvent } from './model-version.events';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS } from './shipped-models';

const metadata: CommandMetadata = { now: new Date('2026-12-01T09:00:00Z'), actor: 'admin-1', correlationId: 'c-1', reason: 'Woo amendments' };
const v2026 = SHIPPED_MODELS['2026.1'];
const v2027 = SHIPPED_MODELS['2027.1'];
const crosswalk = SHIPPED_CROSSWALKS['2026.1->2027.1'];
const spec = deciderSpec(modelVersionDecider);

const drafted = (document: ModelDocument): ModelVersionEvent => ({
  type: 'ModelVersionDrafted',
  data: { key: document.key, version: document.version, document, source: { kind: 'document' } },
});
const published2026: ModelVersionEvent = {
  type: 'ModelVersionPublished',
  data: { key: v2026.key, version: '2026.1', contentHash: documentHash(v2026), legalBasis: 'Woo, AVG', effectiveFrom: '2026-01-01', predecessor: null, crosswalkHash: null },
};
const command = <T extends ModelVersionCommand['type']>(type: T, data: Extract<ModelVersionCommand, { type: T }>['data']) =>
  ({ type, data, metadata }) as ModelVersionCommand;

describe('model version lifecycle', () => {
  it('drafts a new version from a document', () => {
    spec.given([]).when(command('DraftModelVersion', { document: v2026, source: { kind: 'document' } })).then([drafted(v2026)]);
  });

  it('refuses a draft of a version that exists', () => {
    spec.given([drafted(v2026)]).when(command('DraftModelVersion', { document: v2026, source: { kind: 'document' } })).thenThrows(Conflict, /already exists \(draft\)/);
  });

  it('refuses an invalid draft, naming the path of each problem', () => {
    const broken = JSON.parse(JSON.stringify(v2026));
    broken.factors[0].questions[0].rubric[5].level = 6;
    const error = spec.given([]).when(command('DraftModelVersion', { document: broken, source: { kind: 'document' } })).thenThrows(ValidationFailed);
    expect((error as ValidationFailed).problems).toContainEqual({ field: 'document$.factors[0].questions[0].rubric[5].level', problem: 'must be <= 5' });
  });

  it('revises a draft', () => {
    const revised = { ...v2026, title: { nl: 'Nieuwe titel', en: 'New title' } };
    spec.given([drafted(v2026)]).when(command('ReviseModelDraft', { document: revised })).then([{ type: 'ModelDraftRevised', data: { document: revised } }]);
  });

  it('publishes the first version with its content hash, legal basis and effective date', () => {
    spec
      .given([drafted(v2026)])
      .when(command('PublishModelVersion', { legalBasis: ' Woo, AVG ', effectiveFrom: '2026-01-01', predecessor: null }))
      .then([published2026]);
  });

  it('never changes a published version: revising it is a conflict that says to draft a new version', () => {
    spec
      .given([drafted(v2026), published2026])
      .when(command('ReviseModelDraft', { document: v2026 }))
      .thenThrows(Conflict, 'datagedreven-overheid@2026.1 is published and can never change; to change it, draft a new version');
  });

  it('refuses to publish a successor without a crosswalk from its predecessor', () => {
    const error = spec
      .given([drafted(v2027)])
      .when(command('PublishModelVersion', { legalBasis: 'AI Act', effectiveFrom: '2027-01-01', predecessor: v2026 }))
      .thenThrows(ValidationFailed);
    expect((error as ValidationFailed).problems).toEqual([
      { field: 'crosswalk', problem: 'is missing: a crosswalk from datagedreven-overheid@2026.1 must say what became of each factor and question' },
    ]);
  });

  it('publishes a successor whose crosswalk accounts for the predecessor', () => {
    spec
      .given([drafted(v2027), { type: 'ModelCrosswalkSet', data: { crosswalk } }])
      .when(command('PublishModelVersion', { legalBasis: 'AI Act art. 26, 27, 49; Algoritmeregister', effectiveFrom: '2027-01-01', predecessor: v2026 }))
      .then([
        {
          type: 'ModelVersionPublished',
          data: {
            key: 'datagedreven-overheid',
            version: '2027.1',
            contentHash: documentHash(v2027),
            legalBasis: 'AI Act art. 26, 27, 49; Algoritmeregister',
            effectiveFrom: '2027-01-01',
            predecessor: 'datagedreven-overheid@2026.1',
            crosswalkHash: documentHash(crosswalk),
          },
        },
      ]);
  });

  it('sets a crosswalk only when it is valid against predecessor and draft', () => {
    spec.given([drafted(v2027)]).when(command('SetModelCrosswalk', { crosswalk, predecessor: v2026 })).then([{ type: 'ModelCrosswalkSet', data: { crosswalk } }]);
    const broken = { ...crosswalk, questions: crosswalk.questions.slice(1) };
    spec.given([drafted(v2027)]).when(command('SetModelCrosswalk', { crosswalk: broken, predecessor: v2026 })).thenThrows(ValidationFailed, /F01-Q1/);
  });

  it('refuses a bad legal basis or effective date', () => {
    const error = spec.given([drafted(v2026)]).when(command('PublishModelVersion', { legalBasis: ' ', effectiveFrom: '1-1-2026', predecessor: null })).thenThrows(ValidationFailed);
    expect((error as ValidationFailed).problems.map((p) => p.field)).toEqual(['legalBasis', 'effectiveFrom']);
  });

  it('retires a published version, once; a draft cannot be retired', () => {
    spec.given([drafted(v2026), published2026]).when(command('RetireModelVersion', {})).then([{ type: 'ModelVersionRetired', data: { key: v2026.key, version: '2026.1' } }]);
    spec.given([drafted(v2026)]).when(command('RetireModelVersion', {})).thenThrows(RuleBroken, /only a published version can be retired/);
    spec
      .given([drafted(v2026), published2026, { type: 'ModelVersionRetired', data: { key: v2026.key, version: '2026.1' } }])
      .when(command('RetireModelVersion', {}))
      .thenThrows(RuleBroken, /already retired/);
  });

  it('cannot revise what was never drafted', () => {
    spec.given([]).when(command('ReviseModelDraft', { document: v2026 })).thenThrows(NotFound);
  });
});
