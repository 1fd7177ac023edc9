import type { Crosswalk } from '@maatlat/model-catalogue/domain';
import type { CrosswalkMapping } from './assessment.events';
import type { ScoringAnswer } from './scoring';

/** The question mapping a crosswalk implies: each old question to the new questions it became. */
export function mappingOf(crosswalk: Crosswalk, crosswalkHash: string | null): CrosswalkMapping {
  const questions: Record<string, string[]> = {};
  const retired: string[] = [];
  for (const entry of crosswalk.questions) {
    if (entry.retired) retired.push(entry.from);
    else questions[entry.from] = entry.to.map((t) => t.id);
  }
  return { from: crosswalk.from, to: crosswalk.to, crosswalkHash, questions, retired };
}

/**
 * Old answers expressed in the new model: an answer counts for every question its question became
 * (a split counts it in each part, a merge pools the answers); answers to retired questions drop
 * out. Levels are kept: the rubrics of mapped questions describe the same observable levels.
 */
export function mapAnswers(answers: readonly ScoringAnswer[], mapping: CrosswalkMapping | null): ScoringAnswer[] {
  if (!mapping) return [...answers];
  return answers.flatMap((answer) => (mapping.questions[answer.questionId] ?? []).map((questionId) => ({ ...answer, questionId })));
}
