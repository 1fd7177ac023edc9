import { indexJobHandlers, jobIdFor, type JobRegistration } from './jobs';

const handler = (name: string): JobRegistration => ({ name: name as never, handle: async () => undefined, onFinalFailure: async () => undefined });

describe('job handlers', () => {
  it('indexes exactly one handler per job', () => {
    const index = indexJobHandlers([handler('a'), handler('b')], ['a', 'b']);
    expect([...index.keys()]).toEqual(['a', 'b']);
  });

  it('refuses to start with a missing, doubled or unknown handler', () => {
    expect(() => indexJobHandlers([handler('a'), handler('a'), handler('c')], ['a', 'b'])).toThrow(
      'job handlers are wrong: two handlers for a; a handler for the unknown job c; no handler for b',
    );
  });

  it('derives a job id from its cause', () => {
    expect(jobIdFor('0b6f0f9e-1111-4222-8333-444455556666', 'event-store.verify-stream')).toBe(
      '0b6f0f9e-1111-4222-8333-444455556666_event-store.verify-stream',
    );
  });
});
