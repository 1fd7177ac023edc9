import { changeSincePrevious, type RespondentSample } from './change';

/** An assessment whose score is the mean level of its respondents, for one factor F and overall. */
function sample(assessmentId: string, levels: Record<string, number>): RespondentSample {
  const score = (respondents: readonly string[]) => {
    const mean = respondents.length ? respondents.reduce((sum, r) => sum + levels[r], 0) / respondents.length : null;
    return { overall: mean, factors: { F: mean } };
  };
  const respondents = Object.keys(levels);
  return { assessmentId, respondents, figures: score(respondents), score };
}

describe('change since the previous assessment', () => {
  it('labels a change improved only when the whole 90% interval is above zero', () => {
    const change = changeSincePrevious(sample('prev', { a: 1, b: 1, c: 1 }), sample('cur', { d: 3, e: 3, f: 3 }));
    expect(change.overall).toEqual({ previous: 1, current: 3, delta: 2, interval: { lower: 2, upper: 2 }, label: 'improved' });
    expect(change.factors).toEqual([{ factorId: 'F', previous: 1, current: 3, delta: 2, interval: { lower: 2, upper: 2 }, label: 'improved' }]);
  });

  it('calls a raw rise stable when respondents disagree too much to tell', () => {
    const change = changeSincePrevious(sample('prev', { a: 0, b: 5, c: 1, d: 4 }), sample('cur', { e: 0, f: 5, g: 2, h: 4 }));
    expect(change.overall.delta).toBe(0.25);
    expect(change.overall.interval!.lower).toBeLessThan(0);
    expect(change.overall.interval!.upper).toBeGreaterThan(0);
    expect(change.overall.label).toBe('stable');
  });

  it('labels a fall declined from the interval', () => {
    expect(changeSincePrevious(sample('prev', { a: 4, b: 5, c: 4 }), sample('cur', { d: 1, e: 2, f: 1 })).overall.label).toBe('declined');
  });

  it('gives the same interval on every replay, seeded from the assessment ids', () => {
    const run = () => changeSincePrevious(sample('prev', { a: 0, b: 5, c: 1, d: 4 }), sample('cur', { e: 1, f: 5, g: 2, h: 4 }));
    expect(run()).toEqual(run());
    expect(run().seed).not.toBe(changeSincePrevious(sample('other', { a: 0, b: 5, c: 1, d: 4 }), sample('cur', { e: 1, f: 5, g: 2, h: 4 })).seed);
  });

  it('has no interval and no label without respondents on a side', () => {
    const change = changeSincePrevious(sample('prev', {}), sample('cur', { a: 3 }));
    expect(change.iterations).toBe(0);
    expect(change.overall.label).toBe('undetermined');
    expect(change.overall.interval).toBeNull();
  });
});
