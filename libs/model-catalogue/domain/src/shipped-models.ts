import crosswalk2026to2027 from './models/datagedreven-overheid/crosswalk-2026.1-to-2027.1.json';
import model2026 from './models/datagedreven-overheid/2026.1.json';
import model2027 from './models/datagedreven-overheid/2027.1.json';
import type { Crosswalk, ModelDocument } from './model-document';

/** The default model as shipped with the platform: `datagedreven-overheid` 2026.1 and 2027.1. */
export const SHIPPED_MODELS = {
  '2026.1': model2026 as ModelDocument,
  '2027.1': model2027 as ModelDocument,
} as const;

/** How 2026.1 maps onto 2027.1 (F07 split into F07a and F07b, F05-Q2 retired). */
export const SHIPPED_CROSSWALKS = {
  '2026.1->2027.1': crosswalk2026to2027 as Crosswalk,
} as const;
