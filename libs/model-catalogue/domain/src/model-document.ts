/** The maturity model as data: the shapes `models/model-version.schema.json` describes. */
export interface LocalisedText {
  nl: string;
  en: string;
}

export type LayerId = 'strategic' | 'tactical' | 'operational';
export type OrganisationType = 'ministry' | 'executive-agency' | 'inspectorate' | 'province' | 'municipality' | 'water-board' | 'other';

export interface Stage {
  level: number;
  name: LocalisedText;
  description: LocalisedText;
}

export interface Layer {
  id: LayerId;
  name: LocalisedText;
  description: LocalisedText;
  weight: number;
}

export interface LegalReference {
  law: string;
  article?: string;
  note?: string;
}

export interface RubricLevel {
  level: number;
  description: LocalisedText;
}

export interface Question {
  id: string;
  text: LocalisedText;
  guidance: LocalisedText;
  weight: number;
  legalReferences: LegalReference[];
  rubric: RubricLevel[];
}

export interface Factor {
  id: string;
  name: LocalisedText;
  description: LocalisedText;
  weight: number;
  questions: Question[];
}

export type RiskCondition =
  | { all: RiskCondition[] }
  | { any: RiskCondition[] }
  | { factor: string; op: '<' | '<=' | '>' | '>='; value: number }
  | { gap: { higher: string; lower: string }; atLeast: number }
  | { spread: string; atLeast: number };

export interface RiskRule {
  id: string;
  severity: 'low' | 'medium' | 'high';
  message: LocalisedText;
  condition: RiskCondition;
}

export interface ModelDocument {
  key: string;
  version: string;
  title: LocalisedText;
  description: LocalisedText;
  organisationTypes: OrganisationType[];
  stages: Stage[];
  layers: Layer[];
  factors: Factor[];
  riskRules: RiskRule[];
}

export interface CrosswalkTarget {
  id: string;
  weight: number;
}

export type CrosswalkEntry =
  | { from: string; to: CrosswalkTarget[]; retired?: never }
  | { from: string; retired: true; reason: LocalisedText; to?: never };

export interface Crosswalk {
  /** `key@version` of the predecessor. */
  from: string;
  /** `key@version` of the version this crosswalk leads to. */
  to: string;
  factors: CrosswalkEntry[];
  questions: CrosswalkEntry[];
}

/** `datagedreven-overheid@2026.1` */
export function modelRef(document: Pick<ModelDocument, 'key' | 'version'>): string {
  return `${document.key}@${document.version}`;
}

export function parseModelRef(ref: string): { key: string; version: string } | undefined {
  const match = /^([a-z0-9]+(?:-[a-z0-9]+)*)@(\d{4}\.\d+)$/.exec(ref);
  return match ? { key: match[1], version: match[2] } : undefined;
}
