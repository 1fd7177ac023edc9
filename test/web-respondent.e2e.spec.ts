import type { Page } from 'playwright-core';
import { mintLocalToken } from '@maatlat/access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { eventually } from '@maatlat/shared/testing';
import { TEST_ISSUER_SECRET as SECRET } from './support/platform';
import { screenshot, seriousViolations, startWebPlatform, useLanguage, type WebPlatform } from './support/browser';

/**
 * The respondent's questionnaire in Chromium against the real API: a whole questionnaire answered
 * and submitted with the keyboard alone, every answer landing in the assessment as given; the
 * sign-in page and the questionnaire free of serious accessibility violations in both languages;
 * another organisation's assessment refused by the API, and the page saying so.
 */
describe('web: the respondent', () => {
  let web: WebPlatform;
  const http = () => web.platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const questions = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => q.id));

  async function organisationWithAssessment(admin: Record<string, string>, name: string) {
    const organisationId = (await http().post('/v1/organisations').set(admin).send({ name, organisationType: 'municipality', sizeBand: 'medium' }).expect(201)).body.organisationId as string;
    const coordinator = bearer(await mintLocalToken(SECRET, { subject: `coordinator-${name}`, roles: ['coordinator'], organisations: [organisationId] }));
    const assessmentId = (
      await http()
        .post('/v1/assessments')
        .set(coordinator)
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic', 'tactical'] })
        .expect(201)
    ).body.assessmentId as string;
    const invite = async () => {
      const respondentId = (await http().post(`/v1/organisations/${organisationId}/respondents`).set(coordinator).send({ name: 'Roos Respondent', email: 'roos@example.nl' }).expect(201)).body.respondentId as string;
      await http().post(`/v1/assessments/${assessmentId}/invitations`).set(coordinator).send({ respondentId, layer: 'tactical' }).expect(201);
      const { token } = (await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set(coordinator).send({ assessmentId, layer: 'tactical' }).expect(201)).body;
      return { respondentId, token: token as string };
    };
    return { organisationId, coordinator, assessmentId, invite };
  }

  let texel: Awaited<ReturnType<typeof organisationWithAssessment>>;
  let vlieland: Awaited<ReturnType<typeof organisationWithAssessment>>;

  beforeAll(async () => {
    web = await startWebPlatform();
    const admin = bearer(await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] }));
    await http().post('/v1/model-versions').set(admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(admin).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    texel = await organisationWithAssessment(admin, 'Gemeente Texel');
    vlieland = await organisationWithAssessment(admin, 'Gemeente Vlieland');
  });
  afterAll(() => web?.stop());
  afterEach(() => expect(web.pageErrors.splice(0)).toEqual([]));

  /** What has the focus, as the keyboard user would meet it. */
  const focused = (page: Page) =>
    page.evaluate(`(() => {
      const element = document.activeElement;
      if (!element) return { kind: 'none', name: '', text: '', answered: false };
      const answered = element.type === 'radio' && document.querySelectorAll('input[name="' + element.name + '"]:checked').length > 0;
      return { kind: element.tagName === 'INPUT' ? 'input-' + element.type : element.tagName.toLowerCase(), name: element.name || '', text: (element.textContent || '').trim(), answered };
    })()`) as Promise<{ kind: string; name: string; text: string; answered: boolean }>;

  it('completes and submits the whole questionnaire with the keyboard alone; every answer lands as given', async () => {
    const { respondentId, token } = await texel.invite();
    const page = await web.newPage();
    await page.goto(`${web.base}/respond/${texel.assessmentId}#token=${token}`);
    await page.getByRole('heading', { level: 2, name: /^F01/ }).waitFor();
    expect(await page.locator('input[type=radio]').count()).toBe(3 * 7);

    // Even questions get level 0 (space on the first choice), odd ones level 2 (two steps down).
    const expected = new Map(questions.map((id, i) => [id, i % 2 === 0 ? 0 : 2]));
    let presses = 0;
    for (;;) {
      if (presses++ > 2000) throw new Error('the keyboard never reached the end of the questionnaire');
      await page.keyboard.press('Tab');
      const at = await focused(page);
      if (at.kind === 'input-radio' && at.name.startsWith('answer-') && !at.answered) {
        const questionId = at.name.slice('answer-'.length);
        if (expected.get(questionId) === 0) await page.keyboard.press('Space');
        else for (const _ of [1, 2]) await page.keyboard.press('ArrowDown');
        await page.locator(`input[name="${at.name}"]:checked`).waitFor();
      } else if (at.kind === 'button' && /^Volgende sleutelfactor$|^Naar indienen$/.test(at.text)) {
        await page.keyboard.press('Enter');
      } else if (at.kind === 'button' && at.text === 'Antwoorden indienen') {
        await page.keyboard.press('Enter');
        break;
      }
    }
    await page.getByText('Bedankt. Uw antwoorden zijn ingediend.').waitFor();
    await screenshot(page, 'respondent-submitted', 'nl');

    const { body } = await http().get(`/v1/assessments/${texel.assessmentId}`).set(texel.coordinator).expect(200);
    const mine = (body.countedAnswers as { respondentId: string; questionId: string; answer: { level?: number } }[]).filter((a) => a.respondentId === respondentId);
    expect(Object.fromEntries(mine.map((a) => [a.questionId, a.answer.level]))).toEqual(Object.fromEntries(expected));
    expect(body.invitees.find((i: { respondentId: string }) => i.respondentId === respondentId).submitted).toBe(true);
  }, 240_000);

  it('shows the newer answer when it changed elsewhere, and lets the respondent choose', async () => {
    const { token } = await texel.invite();
    const page = await web.newPage({ width: 390, height: 844 });
    await page.goto(`${web.base}/respond/${texel.assessmentId}#token=${token}`);
    await page.getByRole('heading', { level: 2, name: /^F01/ }).waitFor();
    await page.locator('#answer-F01-Q1-3').check();
    await page.getByText('Opgeslagen').first().waitFor();
    // Another window answers the same question meanwhile, on the answer as the page saved it (the
    // status text can show before the API has recorded it).
    const saved = await eventually(
      async () => {
        const own = await http().get(`/v1/assessments/${texel.assessmentId}/my-response`).set(bearer(token)).expect(200);
        const answer = (own.body.answers as { questionId: string; answer: { level?: number }; revision: number }[]).find((a) => a.questionId === 'F01-Q1');
        if (answer?.answer.level !== 3) throw new Error('the page has not saved F01-Q1 = 3 yet');
        return answer;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    await http().put(`/v1/assessments/${texel.assessmentId}/answers/F01-Q1`).set({ ...bearer(token), 'If-Match': `"${saved.revision}"` }).send({ level: 5 }).expect(200);
    await page.locator('#answer-F01-Q1-1').check();
    await page.getByText('Elders gewijzigd', { exact: true }).waitFor();
    expect(await page.getByText('Het nieuwste antwoord is: Niveau 5.').count()).toBe(1);
    await page.getByRole('button', { name: 'Mijn antwoord (Niveau 1) opslaan' }).click();
    await page.getByText('Opgeslagen').first().waitFor();
    // 'Opgeslagen' may still be the first save's text: the API is asked until the third revision is
    // there, and then it must be the respondent's choice.
    const answers = await eventually(
      async () => {
        const own = await http().get(`/v1/assessments/${texel.assessmentId}/my-response`).set(bearer(token)).expect(200);
        const found = own.body.answers as { questionId: string; answer: { level?: number }; revision: number }[];
        if (found.find((a) => a.questionId === 'F01-Q1')?.revision !== 3) throw new Error('the page has not saved the choice yet');
        return found;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(answers).toEqual([{ questionId: 'F01-Q1', answer: { level: 1 }, revision: 3 }]);
    await screenshot(page, 'respondent-phone', 'nl');
  });

  it('has no serious accessibility violations on the sign-in page and the questionnaire, in Dutch and in English', async () => {
    const { token } = await texel.invite();
    const page = await web.newPage();
    for (const language of ['nl', 'en'] as const) {
      await page.goto(`${web.base}/sign-in`);
      await useLanguage(page, language);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'sign-in', language);
    }
    await page.goto(`${web.base}/respond/${texel.assessmentId}#token=${token}`);
    for (const language of ['nl', 'en'] as const) {
      await useLanguage(page, language);
      await page.getByRole('heading', { level: 2, name: /^F01/ }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'questionnaire', language);
    }
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByText(/Not answered yet \(41\)/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'questionnaire-submit', 'en');
    await useLanguage(page, 'nl');
  }, 240_000);

  it("refuses a respondent of one organisation another's questionnaire: the API says no and the page says so", async () => {
    const { token } = await texel.invite();
    const refused = await http().get(`/v1/assessments/${vlieland.assessmentId}/my-response`).set(bearer(token));
    expect(refused.status).toBe(403);
    const page = await web.newPage();
    await page.goto(`${web.base}/respond/${vlieland.assessmentId}#token=${token}`);
    await page.getByText('U hebt geen toegang tot deze pagina.', { exact: false }).waitFor();
    expect(await page.locator('input[type=radio]').count()).toBe(0);
    await screenshot(page, 'respondent-refused', 'nl');
  });
});
