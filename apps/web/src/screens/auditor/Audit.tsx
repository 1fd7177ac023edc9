import { useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data, type Schemas } from '../../api/client';
import { Alert, Button, ErrorState, Field, Heading, Loading, PageHeading, Paragraph } from '../../ui';

const answerText = (answer: object, dontKnow: string) => ('level' in answer && typeof answer.level === 'number' ? String(answer.level) : dontKnow);

/**
 * The id of an event's timeline row. Every stream numbers its events from 1 (the assessment's own
 * stream and each respondent's response stream), so the id names the stream as well as the version.
 */
export const eventAnchor = (streamId: string, version: number) => `event-${streamId.replace(/[^A-Za-z0-9_-]/g, '_')}-${version}`;

/** Goes to an event of the timeline and gives it the focus, so the keyboard and a screen reader follow. */
function focusEvent(streamId: string, version: number) {
  const row = document.getElementById(eventAnchor(streamId, version));
  row?.scrollIntoView({ block: 'center' });
  row?.focus();
}

/**
 * The auditor's view of an assessment: the timeline of every event (what, who by pseudonym, when,
 * why and the correlation id), the explanation as a tree from the overall score down to the
 * answer events (each node its formula and terms), the assessment as of a moment, and Verify.
 */
export default function Audit({ assessmentId }: { assessmentId: string }) {
  const { t, i18n } = useTranslation();
  const ownStream = `assessment-${assessmentId}`;
  const path = { params: { path: { assessmentId } } };
  const [asOfInput, setAsOfInput] = useState('');
  const [asOf, setAsOf] = useState<string | null>(null);
  const events = useQuery({ queryKey: ['events', assessmentId], queryFn: () => data(api.GET('/assessments/{assessmentId}/events', path)) });
  const state = useQuery({
    queryKey: ['assessment', assessmentId, asOf],
    queryFn: () => data(api.GET('/assessments/{assessmentId}', { params: { path: { assessmentId }, query: asOf ? { asOf } : {} } })),
  });
  const scored = Boolean(state.data?.score);
  const scoreEvent = state.data?.scoreEvent;
  const explanation = useQuery({
    queryKey: ['explain', assessmentId, state.data?.scoreEvent?.version],
    enabled: scored,
    queryFn: () =>
      data(api.GET('/assessments/{assessmentId}/scores/explain', { params: { path: { assessmentId }, query: state.data?.scoreEvent ? { scoreEvent: String(state.data.scoreEvent.version) } : {} } })),
  });
  const verify = useMutation({ mutationFn: () => data(api.POST('/assessments/{assessmentId}/verify', path)) });
  const shown = (events.data ?? []).filter((e) => !asOf || e.recordedAt <= asOf);
  return (
    <>
      <PageHeading>{t('coordinator.audit')}</PageHeading>
      <form
        className="maatlat-actions"
        onSubmit={(event) => {
          event.preventDefault();
          setAsOf(asOfInput ? new Date(asOfInput).toISOString() : null);
        }}
      >
        <Field label={t('auditor.asOf')} htmlFor="as-of">
          <input id="as-of" type="datetime-local" step="1" className="utrecht-textbox" value={asOfInput} onChange={(e) => setAsOfInput(e.target.value)} />
        </Field>
        <Button type="submit" appearance="secondary">
          {t('auditor.applyAsOf')}
        </Button>
        <Button
          appearance="subtle"
          onClick={() => {
            setAsOfInput('');
            setAsOf(null);
          }}
        >
          {t('auditor.clearAsOf')}
        </Button>
      </form>
      <section aria-labelledby="verify">
        <Heading level={2} id="verify">
          {t('auditor.verify')}
        </Heading>
        <Button onClick={() => verify.mutate()} disabled={verify.isPending}>
          {t('auditor.verify')}
        </Button>
        {verify.error && <ErrorState error={verify.error} />}
        {verify.data && <VerificationOutcome outcome={verify.data} ownStream={ownStream} />}
      </section>
      <section aria-labelledby="explanation">
        <Heading level={2} id="explanation">
          {t('auditor.explanation')}
        </Heading>
        {state.error && <ErrorState error={state.error} onRetry={() => void state.refetch()} />}
        {state.isPending && <Loading />}
        {state.data && !scored && <Paragraph>{t('auditor.noScore')}</Paragraph>}
        {scoreEvent && (
          <Paragraph>
            <span data-score-event={scoreEvent.version}>
              {t(state.data?.asOf ? 'auditor.scoreThen' : 'auditor.scoreNow', {
                moment: state.data?.asOf ? new Date(state.data.asOf).toLocaleString(i18n.language) : '',
                type: scoreEvent.type,
                version: scoreEvent.version,
                recordedAt: new Date(scoreEvent.recordedAt).toLocaleString(i18n.language),
              })}
            </span>{' '}
            <button type="button" className="maatlat-factor-link" onClick={() => focusEvent(ownStream, scoreEvent.version)}>
              {t('auditor.toEvent')}
            </button>
          </Paragraph>
        )}
        {explanation.error && <ErrorState error={explanation.error} onRetry={() => void explanation.refetch()} />}
        {scored && !explanation.data && !explanation.error && <Loading />}
        {explanation.data && 'factors' in explanation.data && <Tree explanation={explanation.data} ownStream={ownStream} />}
      </section>
      <section aria-labelledby="answers">
        <Heading level={2} id="answers">
          {asOf ? t('auditor.answersThen') : t('auditor.answersNow')}
        </Heading>
        {state.isPending && <Loading />}
        {state.data && state.data.countedAnswers.length === 0 && <Paragraph>{t('auditor.noAnswers')}</Paragraph>}
        {state.data && state.data.countedAnswers.length > 0 && (
          <div className="maatlat-table-wrap">
            <table className="utrecht-table" data-counted-answers>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  <th className="utrecht-table__header-cell" scope="col">{t('auditor.question')}</th>
                  <th className="utrecht-table__header-cell" scope="col">{t('auditor.value')}</th>
                  <th className="utrecht-table__header-cell" scope="col">{t('auditor.who')}</th>
                  <th className="utrecht-table__header-cell" scope="col">{t('auditor.layer')}</th>
                  <th className="utrecht-table__header-cell" scope="col">{t('auditor.event')}</th>
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {state.data.countedAnswers.map((a) => (
                  <tr className="utrecht-table__row" key={`${a.respondentId}-${a.questionId}`} data-question={a.questionId}>
                    <th className="utrecht-table__header-cell" scope="row">{a.questionId}</th>
                    <td className="utrecht-table__cell" data-value>{answerText(a.answer, t('questionnaire.dontKnow'))}</td>
                    <td className="utrecht-table__cell">{a.respondentId}</td>
                    <td className="utrecht-table__cell">{t(`layers.${a.layer}`)}</td>
                    <td className="utrecht-table__cell">
                      <button type="button" className="maatlat-factor-link" onClick={() => focusEvent(a.source.streamId ?? ownStream, a.source.streamVersion)}>
                        {t('auditor.answerEvent', { version: a.source.streamVersion })} · {a.source.hash.slice(0, 12)}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="timeline">
        <Heading level={2} id="timeline">
          {t('auditor.timeline')}
        </Heading>
        {events.isPending && <Loading />}
        {events.error && <ErrorState error={events.error} onRetry={() => void events.refetch()} />}
        {events.data && shown.length === 0 && <Paragraph>{t('auditor.noEvents')}</Paragraph>}
        <div className="maatlat-table-wrap">
          <table className="utrecht-table">
            <thead className="utrecht-table__header">
              <tr className="utrecht-table__row">
                <th className="utrecht-table__header-cell" scope="col">#</th>
                <th className="utrecht-table__header-cell" scope="col">{t('auditor.what')}</th>
                <th className="utrecht-table__header-cell" scope="col">{t('auditor.who')}</th>
                <th className="utrecht-table__header-cell" scope="col">{t('auditor.when')}</th>
                <th className="utrecht-table__header-cell" scope="col">{t('auditor.why')}</th>
              </tr>
            </thead>
            <tbody className="utrecht-table__body">
              {shown.map((e) => (
                <tr className="utrecht-table__row" key={e.eventId} id={eventAnchor(e.streamId, e.version)} tabIndex={-1} data-event-type={e.type}>
                  <td className="utrecht-table__cell">{e.version}</td>
                  <td className="utrecht-table__cell">
                    {e.type}
                    {e.questionId ? ` ${e.questionId}` : ''}
                    {e.answer ? ` = ${answerText(e.answer, t('questionnaire.dontKnow'))}` : ''}
                  </td>
                  <td className="utrecht-table__cell">{e.actor}</td>
                  <td className="utrecht-table__cell">{new Date(e.recordedAt).toLocaleString()}</td>
                  <td className="utrecht-table__cell">
                    {e.reason ?? ''} <code className="utrecht-code">{e.correlationId}</code>
                    {' '}
                    <a className="utrecht-link" href="#explanation">{t('auditor.back')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function VerificationOutcome({ outcome, ownStream }: { outcome: Schemas['Verification']; ownStream: string }) {
  const { t } = useTranslation();
  if (outcome.status === 'verified' && outcome.hashChain.ok) return <Alert type="ok">{t('auditor.verifyOk')}</Alert>;
  return (
    <Alert type="error" title={t('auditor.verifyFailed')}>
      <ul className="utrecht-unordered-list" data-verify-failures>
        {outcome.hashChain.breaks.map((b) => (
          <li key={`${b.streamId}-${b.version}`}>
            <button type="button" className="maatlat-factor-link" onClick={() => focusEvent(b.streamId, b.version)}>
              {t('auditor.breakAt', { version: b.version, eventId: b.streamId, reason: b.problem })}
            </button>
          </li>
        ))}
        {outcome.differences.map((d) => (
          <li key={`${d.scoreEvent}-${d.path}`}>
            <button type="button" className="maatlat-factor-link" onClick={() => focusEvent(ownStream, d.scoreEvent)}>
              {d.scoreEvent}: {d.path} {JSON.stringify(d.recorded)} ≠ {JSON.stringify(d.replayed)}
            </button>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

function Node({ label, formula, children }: { label: string; formula: string; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <li>
      <details>
        <summary>{label}</summary>
        <p className="utrecht-paragraph maatlat-formula" aria-label={t('auditor.formula')}>
          {formula}
        </p>
        {children && <ul>{children}</ul>}
      </details>
    </li>
  );
}

function Tree({ explanation, ownStream }: { explanation: Schemas['ScoreExplanation']; ownStream: string }) {
  const { t } = useTranslation();
  return (
    <ul className="maatlat-tree" data-explanation>
      <Node label={`${t('coordinator.overall', { score: explanation.overall?.toFixed(2) ?? '—', stage: explanation.stage ?? '—' })}`} formula={`${explanation.arithmetic}\n${explanation.rounding}`}>
        {explanation.factors.map((factor) => (
          <Node key={factor.factorId} label={`${factor.factorId}: ${factor.score?.toFixed(2) ?? '—'}`} formula={factor.arithmetic}>
            {factor.layers.map((layer) => (
              <Node key={layer.layer} label={`${t(`layers.${layer.layer}`)}: ${layer.score.toFixed(2)}`} formula={layer.arithmetic}>
                {layer.questions.map((question) => (
                  <Node key={question.questionId} label={`${question.questionId}: ${question.mean?.toFixed(2) ?? '—'}`} formula={question.arithmetic}>
                    {question.answers.map((answer) => (
                      <li key={answer.eventId}>
                        <button type="button" className="maatlat-factor-link" data-answer-event={answer.streamVersion} data-answer-stream={answer.streamId ?? ownStream} onClick={() => focusEvent(answer.streamId ?? ownStream, answer.streamVersion)}>
                          {t('auditor.answerEvent', { version: answer.streamVersion })}: {answerText(answer.answer, t('questionnaire.dontKnow'))} · {answer.hash.slice(0, 12)}
                        </button>
                      </li>
                    ))}
                  </Node>
                ))}
              </Node>
            ))}
          </Node>
        ))}
      </Node>
    </ul>
  );
}
