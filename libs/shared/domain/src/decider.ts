/**
 * The shapes every aggregate shares. Commands and events are plain data, so they serialise, replay
 * and compare without ceremony; `decide` and `evolve` are pure, so replay is exact.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** What a command carries besides its data: supplied by the caller, never read from a clock. */
export interface CommandMetadata {
  /** The moment the command is decided at. */
  now: Date;
  /** User id or respondent pseudonym; never a name or e-mail address. */
  actor: string;
  /** The organisation the command acts within, where there is one. */
  tenantId?: string;
  correlationId: string;
  causationId?: string;
  /** Makes a retried command a no-op: same command id, same stream, same outcome. */
  commandId?: string;
  reason?: string;
}


export interface DomainCommand<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}

/**
 * An aggregate as three pure functions.
 * @example
 *   const state = events.reduce(decider.evolve, decider.initialState());
 *   const newEvents = decider.decide(command, state);
 */
export interface Decider<Command, State, Event> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

/** Exhaustiveness guard for `switch (x.type)`: a new type that is not handled fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
