import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ENDPOINT = 'maatlat:public';

/** An endpoint anyone may call without a token (health checks); everything else needs a role. */
export const Public = () => SetMetadata(PUBLIC_ENDPOINT, true);
