import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, data, idempotencyKey, type Schemas } from '../api/client';
import { localised } from '../i18n';
import { Alert, Button, ErrorState, Loading, PageHeading, Paragraph } from '../ui';

type AnswerValue = { level: number } | { dontKnow: true };
type Factor = Schemas['ModelDocumentFactor'];
type Question = Schemas['ModelDocumentQuestion'];
interface Held {
  answer: AnswerValue;
  revision: number;
}
interface Conflict {
  questionId: string;
  mine: AnswerValue;
  theirs: Held | null;
}

const choiceOf = (answer: AnswerValue | undefined) => (answer === undefined ? '' : 'level' in answer ? String(answer.level) : 'dont-know');

/**
 * A respondent's questionnaire, one key factor at a time: every question with its six rubric
 * levels (and "don't know") as choices, each answer saved as it is given with the answer's revision
 * as If-Match. A 409 means the answer changed elsewhere: the newer value is shown and the
 * respondent chooses. Progress per factor; submitting lists what is still unanswered.
 */
export default function Questionnaire({ assessmentId }: { assessmentId: string }) {
  const { t, i18n } = useTranslation();
  const response = useQuery({
    queryKey: ['my-response', assessmentId],
    queryFn: () => data(api.GET('/assessments/{assessmentId}/my-response', { params: { path: { assessmentId } } })),
  });
  if (response.error) return <ErrorState error={response.error} onRetry={() => void response.refetch()} />;
  if (!response.data) return <Loading />;
  const own = response.data;
  const document = own.document;
  const layer = document.layers.find((l) => l.id === own.layer);
  return (
    <>
      <PageHeading>{localised(document.title, i18n.language) || t('questionnaire.title')}</PageHeading>
      <Paragraph lead>{t('questionnaire.intro', { model: localised(document.title, i18n.language), version: own.model.version, layer: localised(layer?.name, i18n.language) })}</Paragraph>
      {own.status === 'closed' ? (
        <Alert type="info">{t('questionnaire.closed')}</Alert>
      ) : own.submitted ? (
        <Alert type="ok">{t('questionnaire.submitted')}</Alert>
      ) : (
        <Answering assessmentId={assessmentId} factors={document.factors} stages={document.stages} initial={own.answers} />
      )}
    </>
  );
}

function Answering({ assessmentId, factors, stages, initial }: { assessmentId: string; factors: Factor[]; stages: Schemas['ModelDocumentStage'][]; initial: Schemas['OwnAnswer'][] }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [held, setHeld] = useState<Record<string, Held>>(() => Object.fromEntries(initial.map((a) => [a.questionId, { answer: a.answer, revision: a.revision }])));
  const heldRef = useRef(held);
  heldRef.current = held;
  const [saving, setSaving] = useState<Record<string, 'saving' | 'saved' | 'failed'>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [step, setStep] = useState(0);
  const queues = useRef(new Map<string, Promise<void>>());
  const notes = useRef(new Map<string, { justification: string; evidence: string }>());
  const total = factors.reduce((n, f) => n + f.questions.length, 0);
  const answered = Object.keys(held).length;
  const onSummary = step === factors.length;

  /** One question's saves go one after another, each with the revision the last one gave. */
  const save = (questionId: string, answer: AnswerValue, options: { revision?: number } = {}) => {
    const previous = queues.current.get(questionId) ?? Promise.resolve();
    const next = previous.then(async () => {
      setSaving((s) => ({ ...s, [questionId]: 'saving' }));
      const note = notes.current.get(questionId);
      const evidence = (note?.evidence ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((reference) => ({ kind: 'url' as const, reference, title: reference.slice(0, 300) }));
      const revision = options.revision ?? heldRef.current[questionId]?.revision ?? 0;
      try {
        const recorded = await data(
          api.PUT('/assessments/{assessmentId}/answers/{questionId}', {
            params: { path: { assessmentId, questionId } },
            headers: { 'If-Match': `"${revision}"`, 'Idempotency-Key': idempotencyKey() },
            body: { ...answer, ...(note?.justification ? { justification: note.justification } : {}), ...(evidence.length ? { evidence } : {}) },
          }),
        );
        const updated = { ...heldRef.current, [questionId]: { answer: recorded.answer as AnswerValue, revision: recorded.revision } };
        heldRef.current = updated;
        setHeld(updated);
        setSaving((s) => ({ ...s, [questionId]: 'saved' }));
      } catch (error) {
        setSaving((s) => ({ ...s, [questionId]: 'failed' }));
        if (error instanceof ApiError && error.status === 409) {
          const fresh = await data(api.GET('/assessments/{assessmentId}/my-response', { params: { path: { assessmentId } } })).catch(() => null);
          const theirs = fresh?.answers.find((a) => a.questionId === questionId);
          setConflict({ questionId, mine: answer, theirs: theirs ? { answer: theirs.answer as AnswerValue, revision: theirs.revision } : null });
        } else setFailure(error);
      }
    });
    queues.current.set(questionId, next);
    return next;
  };

  const submit = useMutation({
    mutationFn: () => data(api.POST('/assessments/{assessmentId}/submit', { params: { path: { assessmentId } }, headers: { 'Idempotency-Key': idempotencyKey() } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['my-response', assessmentId] }),
  });

  const describe = (answer: AnswerValue | undefined) => (answer === undefined ? t('questionnaire.noneAnswer') : 'level' in answer ? t('questionnaire.level', { level: answer.level }) : t('questionnaire.dontKnow'));
  const unanswered = useMemo(() => factors.flatMap((f, index) => f.questions.filter((q) => !held[q.id]).map((q) => ({ factorIndex: index, question: q }))), [factors, held]);

  return (
    <div className="maatlat-questionnaire">
      <p className="utrecht-paragraph" role="status" aria-live="polite">
        <strong>{t('questionnaire.progress', { answered, total })}</strong>
      </p>
      <progress className="maatlat-progress" max={total} value={answered} aria-label={t('questionnaire.progress', { answered, total })} />
      <nav aria-label={t('questionnaire.factors')} className="maatlat-factor-nav">
        <ol className="utrecht-ordered-list">
          {factors.map((factor, index) => {
            const done = factor.questions.filter((q) => held[q.id]).length;
            return (
              <li key={factor.id}>
                <button type="button" className="maatlat-factor-link" aria-current={index === step ? 'step' : undefined} onClick={() => setStep(index)}>
                  {factor.id} {localised(factor.name, i18n.language)} <span className="maatlat-count">{t('questionnaire.factorProgress', { answered: done, total: factor.questions.length })}</span>
                </button>
              </li>
            );
          })}
          <li>
            <button type="button" className="maatlat-factor-link" aria-current={onSummary ? 'step' : undefined} onClick={() => setStep(factors.length)}>
              {t('questionnaire.submitTitle')}
            </button>
          </li>
        </ol>
      </nav>
      {failure !== null && <ErrorState error={failure} onRetry={() => setFailure(null)} />}
      {conflict && (
        <Alert type="warning" title={t('questionnaire.conflictTitle')}>
          <p className="utrecht-paragraph">{t('questionnaire.conflict', { value: describe(conflict.theirs?.answer) })}</p>
          <div className="maatlat-actions">
            <Button
              appearance="secondary"
              onClick={() => {
                const { questionId, theirs } = conflict;
                if (theirs) setHeld((h) => ({ ...h, [questionId]: theirs }));
                setConflict(null);
              }}
            >
              {t('questionnaire.keepTheirs')}
            </Button>
            <Button
              onClick={() => {
                const { questionId, mine, theirs } = conflict;
                setConflict(null);
                void save(questionId, mine, { revision: theirs?.revision ?? 0 });
              }}
            >
              {t('questionnaire.keepMine', { value: describe(conflict.mine) })}
            </Button>
          </div>
        </Alert>
      )}
      {onSummary ? (
        <section aria-labelledby="summary-heading">
          <FocusedHeading id="summary-heading">{t('questionnaire.submitTitle')}</FocusedHeading>
          {unanswered.length === 0 ? (
            <Alert type="ok">{t('questionnaire.allAnswered')}</Alert>
          ) : (
            <>
              <Paragraph>{t('questionnaire.unanswered', { count: unanswered.length })}</Paragraph>
              <ul className="utrecht-unordered-list">
                {unanswered.map(({ factorIndex, question }) => (
                  <li key={question.id}>
                    <button type="button" className="maatlat-factor-link" onClick={() => setStep(factorIndex)}>
                      {question.id}: {localised(question.text, i18n.language)}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <Paragraph>{t('questionnaire.submitWarning')}</Paragraph>
          {submit.error && <ErrorState error={submit.error} />}
          <div className="maatlat-actions">
            <Button appearance="secondary" onClick={() => setStep(0)}>
              {t('questionnaire.backToQuestions')}
            </Button>
            <Button disabled={submit.isPending} onClick={() => void Promise.all(queues.current.values()).then(() => submit.mutate())}>
              {unanswered.length === 0 ? t('questionnaire.submit') : t('questionnaire.submitAnyway')}
            </Button>
          </div>
        </section>
      ) : (
        <FactorPage
          key={factors[step].id}
          factor={factors[step]}
          stages={stages}
          held={held}
          saving={saving}
          notes={notes.current}
          onAnswer={(questionId, answer) => {
            // The choice shows at once; the save follows.
            setHeld((h) => ({ ...h, [questionId]: { answer, revision: h[questionId]?.revision ?? 0 } }));
            void save(questionId, answer);
          }}
          onSaveNotes={(questionId) => {
            const current = heldRef.current[questionId];
            if (current) void save(questionId, current.answer);
          }}
          onPrevious={step > 0 ? () => setStep(step - 1) : undefined}
          onNext={() => setStep(step + 1)}
          last={step === factors.length - 1}
        />
      )}
    </div>
  );
}

/** A step's heading takes the focus when the step opens, so the keyboard carries on from there. */
function FocusedHeading({ id, children }: { id: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 className="utrecht-heading-2" id={id} tabIndex={-1} ref={ref}>
      {children}
    </h2>
  );
}

function FactorPage(props: {
  factor: Factor;
  stages: Schemas['ModelDocumentStage'][];
  held: Record<string, Held>;
  saving: Record<string, 'saving' | 'saved' | 'failed'>;
  notes: Map<string, { justification: string; evidence: string }>;
  onAnswer: (questionId: string, answer: AnswerValue) => void;
  onSaveNotes: (questionId: string) => void;
  onPrevious?: () => void;
  onNext: () => void;
  last: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { factor } = props;
  return (
    <section aria-labelledby={`factor-${factor.id}`} className="maatlat-factor">
      <FocusedHeading id={`factor-${factor.id}`}>
        {factor.id} {localised(factor.name, i18n.language)}
      </FocusedHeading>
      <Paragraph>{localised(factor.description, i18n.language)}</Paragraph>
      {factor.questions.map((question) => (
        <QuestionCard key={question.id} question={question} {...props} />
      ))}
      <div className="maatlat-actions">
        {props.onPrevious && (
          <Button appearance="secondary" onClick={props.onPrevious}>
            {t('questionnaire.previous')}
          </Button>
        )}
        <Button onClick={props.onNext}>{props.last ? t('questionnaire.toSummary') : t('questionnaire.next')}</Button>
      </div>
    </section>
  );
}

function QuestionCard({
  question,
  stages,
  held,
  saving,
  notes,
  onAnswer,
  onSaveNotes,
}: {
  question: Question;
  stages: Schemas['ModelDocumentStage'][];
  held: Record<string, Held>;
  saving: Record<string, 'saving' | 'saved' | 'failed'>;
  notes: Map<string, { justification: string; evidence: string }>;
  onAnswer: (questionId: string, answer: AnswerValue) => void;
  onSaveNotes: (questionId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const chosen = choiceOf(held[question.id]?.answer);
  const name = `answer-${question.id}`;
  const status = saving[question.id];
  const note = notes.get(question.id) ?? { justification: '', evidence: '' };
  const choose = (value: string) => onAnswer(question.id, value === 'dont-know' ? { dontKnow: true } : { level: Number(value) });
  return (
    <fieldset className="utrecht-form-fieldset maatlat-question" aria-describedby={`${name}-guidance`} data-question={question.id}>
      <legend className="utrecht-form-fieldset__legend">
        <span className="maatlat-question-id">{t('questionnaire.question', { id: question.id })}</span> {localised(question.text, i18n.language)}
      </legend>
      <details className="maatlat-guidance" id={`${name}-guidance`}>
        <summary>{t('questionnaire.guidance')}</summary>
        <p className="utrecht-paragraph">{localised(question.guidance, i18n.language)}</p>
      </details>
      <div className="maatlat-choices" role="radiogroup" aria-label={localised(question.text, i18n.language)}>
        {question.rubric.map((level) => {
          const id = `${name}-${level.level}`;
          const stage = stages.find((s) => s.level === level.level);
          return (
            <label key={level.level} htmlFor={id} className={`maatlat-choice${chosen === String(level.level) ? ' maatlat-choice--chosen' : ''}`}>
              <input className="utrecht-radio-button" type="radio" id={id} name={name} value={level.level} checked={chosen === String(level.level)} onChange={() => choose(String(level.level))} />
              <span>
                <strong>
                  {t('questionnaire.level', { level: level.level })}
                  {stage ? ` · ${localised(stage.name, i18n.language)}` : ''}
                </strong>
                <span className="maatlat-choice-text">{localised(level.description, i18n.language)}</span>
              </span>
            </label>
          );
        })}
        <label htmlFor={`${name}-dont-know`} className={`maatlat-choice${chosen === 'dont-know' ? ' maatlat-choice--chosen' : ''}`}>
          <input className="utrecht-radio-button" type="radio" id={`${name}-dont-know`} name={name} value="dont-know" checked={chosen === 'dont-know'} onChange={() => choose('dont-know')} />
          <span>
            <strong>{t('questionnaire.dontKnow')}</strong>
          </span>
        </label>
      </div>
      <p className="utrecht-paragraph maatlat-save-state" aria-live="polite">
        {status === 'saving' ? t('state.saving') : status === 'saved' ? t('state.saved') : ''}
      </p>
      <details className="maatlat-notes">
        <summary>
          {t('questionnaire.justification')} / {t('questionnaire.evidence')}
        </summary>
        <label className="utrecht-form-label" htmlFor={`${name}-justification`}>
          {t('questionnaire.justification')}
        </label>
        <p className="utrecht-form-field-description" id={`${name}-justification-hint`}>
          {t('questionnaire.justificationHint')}
        </p>
        <textarea
          className="utrecht-textarea"
          id={`${name}-justification`}
          aria-describedby={`${name}-justification-hint`}
          maxLength={5000}
          defaultValue={note.justification}
          onChange={(event) => notes.set(question.id, { ...(notes.get(question.id) ?? note), justification: event.target.value })}
        />
        <label className="utrecht-form-label" htmlFor={`${name}-evidence`}>
          {t('questionnaire.evidence')}
        </label>
        <p className="utrecht-form-field-description" id={`${name}-evidence-hint`}>
          {t('questionnaire.evidenceHint')}
        </p>
        <textarea
          className="utrecht-textarea"
          id={`${name}-evidence`}
          aria-describedby={`${name}-evidence-hint`}
          defaultValue={note.evidence}
          onChange={(event) => notes.set(question.id, { ...(notes.get(question.id) ?? note), evidence: event.target.value })}
        />
        <Button appearance="secondary" disabled={!held[question.id]} onClick={() => onSaveNotes(question.id)}>
          {t('questionnaire.saveNotes')}
        </Button>
      </details>
    </fieldset>
  );
}

