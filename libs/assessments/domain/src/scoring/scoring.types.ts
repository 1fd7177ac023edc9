import type { LayerId } from '@maatlat/model-catalogue/domain';

/** One respondent's current answer to one question (revisions already resolved to the latest). */
export interface ScoringAnswer {
  questionId: string;
  layer: LayerId;
  respondentId: string;
  /** A level 0..5, or null for "don't know". */
  level: number | null;
  /**
   * The answer event this comes from, so every number can be traced to it: its response stream
   * (absent for answers recorded in the assessment's own stream, before response streams), its
   * version there, its id and hash.
   */
  source: { streamId?: string; streamVersion: number; eventId: string; hash: string };
}

export interface QuestionLayerScore {
  questionId: string;
  layer: LayerId;
  /** Mean level of the answers that give a level; null when none does. */
  mean: number | null;
  answered: number;
  dontKnow: number;
  /** answered / (answered + dontKnow); null without answers. */
  coverage: number | null;
  sources: ScoringAnswer['source'][];
}

export interface Term {
  id: string;
  weight: number;
  value: number;
}

/** A number with how it was reached: the terms that went in and the formula that combined them. */
export interface Derived {
  value: number;
  formula: string;
  terms: Term[];
}

export interface FactorScore {
  factorId: string;
  score: number | null;
  stage: number | null;
  /** max - min of the layer scores: disagreement between layers is itself a finding. */
  spread: number | null;
  byLayer: Partial<Record<LayerId, Derived>>;
  derivation: Derived | null;
}

export interface RaisedRisk {
  ruleId: string;
  severity: 'low' | 'medium' | 'high';
  message: { nl: string; en: string };
}

export interface ScoreResult {
  algorithm: string;
  model: { key: string; version: string; contentHash: string };
  questions: QuestionLayerScore[];
  factors: FactorScore[];
  overall: { score: number | null; stage: number | null; derivation: Derived | null };
  strengths: string[];
  attentionPoints: string[];
  risks: RaisedRisk[];
}

/** A scoring's reported overall and factor scores alone, as a bootstrap resample needs them. */
export interface ResampledScore {
  overall: number | null;
  factors: Pick<FactorScore, 'factorId' | 'score' | 'stage'>[];
}

/** Scores a multiset of respondents (an id may come more than once), reporting what `ResampledScore` holds. */
export type Resampler = (respondents: readonly string[]) => ResampledScore;
