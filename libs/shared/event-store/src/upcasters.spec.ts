import { EventUpcasters } from './upcasters';

describe('EventUpcasters', () => {
  const upcasters = new EventUpcasters([
    { type: 'AnswerRecorded', fromSchemaVersion: 1, upcast: (d) => ({ ...(d as object), evidence: [] }) },
    {
      type: 'AnswerRecorded',
      fromSchemaVersion: 2,
      upcast: (d) => {
        const { level, ...rest } = d as { level: number };
        return { ...rest, answer: { kind: 'level', level } };
      },
    },
  ]);

  it('upgrades an old event step by step to the current schema', () => {
    expect(upcasters.upcast('AnswerRecorded', 1, { level: 3 })).toEqual({
      schemaVersion: 3,
      data: { evidence: [], answer: { kind: 'level', level: 3 } },
    });
  });

  it('leaves current events and types without upcasters alone', () => {
    const current = { answer: { kind: 'dont-know' } };
    expect(upcasters.upcast('AnswerRecorded', 3, current)).toEqual({ schemaVersion: 3, data: current });
    expect(upcasters.upcast('AssessmentOpened', 1, { a: 1 })).toEqual({ schemaVersion: 1, data: { a: 1 } });
  });

  it('knows the schema version new events are written with', () => {
    expect(upcasters.currentSchemaVersion('AnswerRecorded')).toBe(3);
    expect(upcasters.currentSchemaVersion('AssessmentOpened')).toBe(1);
  });

  it('refuses a registry with a gap or a doubled step', () => {
    expect(() => new EventUpcasters([{ type: 'X', fromSchemaVersion: 2, upcast: (d) => d }])).toThrow('skip schema version 1');
    expect(
      () =>
        new EventUpcasters([
          { type: 'X', fromSchemaVersion: 1, upcast: (d) => d },
          { type: 'X', fromSchemaVersion: 1, upcast: (d) => d },
        ]),
    ).toThrow('two upcasters for X');
  });
});
