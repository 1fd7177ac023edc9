import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { ANY_JSON_VALUE, jsonSchemaAsComponents, type AsJson } from '@maatlat/shared/nest';
import type { ModelVersionSummary, ModelVersionView as ModelVersionResult } from '@maatlat/model-catalogue/data-access';
import {
  CROSSWALK_JSON_SCHEMA,
  MODEL_VERSION_JSON_SCHEMA,
  type ChangedItem,
  type Crosswalk,
  type FieldChange,
  type ItemDiff,
  type LocalisedText,
  type ModelDiff,
  type ModelDocument,
} from '@maatlat/model-catalogue/domain';

/** The model document and crosswalk as the domain validates them, as named schemas of the contract. */
export const MODEL_CATALOGUE_SCHEMAS = {
  ...jsonSchemaAsComponents('ModelDocument', MODEL_VERSION_JSON_SCHEMA),
  ...jsonSchemaAsComponents('Crosswalk', CROSSWALK_JSON_SCHEMA),
};

export const MODEL_KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MODEL_VERSION = /^\d{4}\.\d+$/;
export const MODEL_REF = /^[a-z0-9]+(-[a-z0-9]+)*@\d{4}\.\d+$/;
const STATUSES = ['draft', 'published', 'retired'];
const SHA256 = { type: String, pattern: '^[0-9a-f]{64}$', nullable: true } as const;

@ApiSchema({ name: 'LocalisedText' })
export class LocalisedTextView implements LocalisedText {
  @ApiProperty({ example: 'Datagedreven werken' }) nl!: string;
  @ApiProperty({ example: 'Data-driven working' }) en!: string;
}

@ApiSchema({ name: 'ModelVersion', description: 'One version of a maturity model with its document and crosswalk; `revision` is its ETag.' })
export class ModelVersionView implements AsJson<ModelVersionResult> {
  @ApiProperty({ pattern: MODEL_KEY.source, example: 'datagedreven-overheid' }) key!: string;
  @ApiProperty({ pattern: MODEL_VERSION.source, example: '2026.1' }) version!: string;
  @ApiProperty({ enum: STATUSES, enumName: 'ModelVersionStatus' }) status!: 'draft' | 'published' | 'retired';
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The revision: send it back as If-Match.' }) revision!: number;
  @ApiProperty({ ...SHA256, description: 'SHA-256 of the canonical document, once published.' }) contentHash!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The legal basis it was published under.' }) legalBasis!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) effectiveFrom!: string | null;
  @ApiProperty({ type: String, pattern: MODEL_REF.source, nullable: true, description: 'The published version before it, as key@version.' }) predecessor!: string | null;
  @ApiProperty({ allOf: [{ $ref: getSchemaPath('ModelDocument') }] }) document!: ModelDocument;
  @ApiProperty({ type: Object, nullable: true, allOf: [{ $ref: getSchemaPath('Crosswalk') }], description: 'From the predecessor to this version; null for a first version or a draft without one.' }) crosswalk!: Crosswalk | null;
}

@ApiSchema({ name: 'ModelVersionSummary', description: 'A model version as the catalogue lists it.' })
export class ModelVersionSummaryView implements AsJson<ModelVersionSummary> {
  @ApiProperty({ pattern: MODEL_KEY.source, example: 'datagedreven-overheid' }) key!: string;
  @ApiProperty({ pattern: MODEL_VERSION.source, example: '2026.1' }) version!: string;
  @ApiProperty({ enum: STATUSES, enumName: 'ModelVersionStatus' }) status!: 'draft' | 'published' | 'retired';
  @ApiProperty({ type: LocalisedTextView }) title!: LocalisedTextView;
  @ApiProperty({ ...SHA256 }) contentHash!: string | null;
  @ApiProperty({ type: String, nullable: true }) legalBasis!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) effectiveFrom!: string | null;
  @ApiProperty({ type: String, pattern: MODEL_REF.source, nullable: true }) predecessor!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) factorCount!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) questionCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The pseudonymous subject who published it.' }) publishedBy!: string | null;
}

@ApiSchema({ name: 'FieldChange' })
export class FieldChangeView implements AsJson<FieldChange> {
  @ApiProperty({ example: 'weight' }) field!: string;
  @ApiProperty({ ...ANY_JSON_VALUE, description: 'The value before.' }) from!: unknown;
  @ApiProperty({ ...ANY_JSON_VALUE, description: 'The value after.' }) to!: unknown;
}

@ApiSchema({ name: 'ChangedItem' })
export class ChangedItemView implements AsJson<ChangedItem> {
  @ApiProperty({ example: 'F03-Q2' }) id!: string;
  @ApiProperty({ type: [FieldChangeView] }) changes!: FieldChangeView[];
}

@ApiSchema({ name: 'ItemDiff', description: 'Items (factors, questions or risk rules) added, removed and changed, by id.' })
export class ItemDiffView implements AsJson<ItemDiff> {
  @ApiProperty({ type: [String] }) added!: string[];
  @ApiProperty({ type: [String] }) removed!: string[];
  @ApiProperty({ type: [ChangedItemView] }) changed!: ChangedItemView[];
}

@ApiSchema({ name: 'ModelDiff', description: 'What changed between two versions of a model.' })
export class ModelDiffView implements AsJson<ModelDiff> {
  @ApiProperty({ pattern: MODEL_REF.source, example: 'datagedreven-overheid@2026.1' }) from!: string;
  @ApiProperty({ pattern: MODEL_REF.source, example: 'datagedreven-overheid@2027.1' }) to!: string;
  @ApiProperty({ type: ItemDiffView }) factors!: ItemDiffView;
  @ApiProperty({ type: ItemDiffView }) questions!: ItemDiffView;
  @ApiProperty({ type: ItemDiffView }) riskRules!: ItemDiffView;
}

@ApiSchema({ name: 'VersionCrosswalk', description: "A version's crosswalk from its predecessor." })
export class VersionCrosswalkView {
  @ApiProperty({ type: String, pattern: MODEL_REF.source, nullable: true, description: 'The predecessor; null without a crosswalk.' }) from!: string | null;
  @ApiProperty({ pattern: MODEL_REF.source, example: 'datagedreven-overheid@2027.1' }) to!: string;
  @ApiProperty({ type: Object, nullable: true, allOf: [{ $ref: getSchemaPath('Crosswalk') }] }) crosswalk!: Crosswalk | null;
}
