import type { CommandMetadata } from '@maatlat/shared/domain';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import type { AnswerValue, AssessmentEvent, AssessmentScope, EvidenceReference, PinnedModel, ResponseCut, SealedJustification } from './assessment.events';
import type { ScoreResult } from './scoring';

type Cmd<Type extends string, Data> = { type: Type; data: Data; metadata: CommandMetadata };

export type AssessmentCommand =
  | Cmd<'OpenAssessment', {
      assessmentId: string;
      organisationId: string;
      scope: AssessmentScope;
      period: string;
      /** The model version and its status, as the handler found it in the catalogue. */
      model: PinnedModel & { status: 'draft' | 'published' | 'retired'; questionIds: string[]; layers: LayerId[] };
      layers: LayerId[];
    }>
  | Cmd<'InviteToAssessment', { respondentId: string; layer: LayerId }>
  /**
   * `expectedRevision`: how many times the respondent had answered this question when they last saw
   * it (If-Match on the answer); another writer of the same answer since is a conflict. Other
   * respondents' answers never are.
   */
  | Cmd<'RecordAnswer', { respondentId: string; questionId: string; answer: AnswerValue; justification: SealedJustification | null; evidence: EvidenceReference[]; expectedRevision?: number }>
  | Cmd<'SubmitResponse', { respondentId: string }>
  /** `score`: computed by the handler from the streams it read, with the current algorithm (see `answersOf`). */
  | Cmd<'CloseAssessment', { score: ScoreResult; answersUpToVersion: number; responses?: ResponseCut[] }>
  /** Rescoring a closed assessment; the original ScoreCalculated stays. */
  | Cmd<'RecalculateScore', Extract<AssessmentEvent, { type: 'ScoreRecalculated' }>['data']>;
