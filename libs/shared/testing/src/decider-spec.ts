import type { Decider } from '@maatlat/shared/domain';

/**
 * Given/When/Then for deciders: events that happened, a command, and the events it must produce
 * or the error it must raise.
 * @example
 *   const spec = deciderSpec(modelVersionDecider);
 *   spec.given([drafted]).when(publish).then([published]);
 *   spec.given([drafted, published]).when(revise).thenThrows(Conflict, /draft a new version/);
 */
export function deciderSpec<Command, State, Event>(decider: Decider<Command, State, Event>) {
  return {
    given(events: Event[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: Event[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(errorType: abstract new (...args: never[]) => Error, message?: string | RegExp) {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(errorType);
              if (message) expect((thrown as Error).message).toMatch(message);
              return thrown as Error & { details?: Record<string, unknown> };
            },
          };
        },
      };
    },
  };
}
