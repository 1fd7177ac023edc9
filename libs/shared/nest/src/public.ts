import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const PUBLIC_ENDPOINT = 'maatlat:public';

/** Marks an operation in the OpenAPI document as public; completeApiDocument makes it `security: []`. */
export const PUBLIC_OPERATION_EXTENSION = 'x-maatlat-public';

/** The roles an operation admits, in the OpenAPI document; completeApiDocument writes them into its description. */
export const ROLES_OPERATION_EXTENSION = 'x-maatlat-roles';

/**
 * An endpoint anyone may call without a token (health checks); everything else needs a role. The
 * OpenAPI document says so from the same decorator, so the two cannot disagree.
 */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ENDPOINT, true), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));
