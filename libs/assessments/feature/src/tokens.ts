/** The Kysely instance the recalculations list reads streams with. */
export const RECALCULATIONS_DB = Symbol('RECALCULATIONS_DB');
