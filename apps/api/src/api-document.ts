import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_PATH_PREFIX, API_VERSION, completeApiDocument, isUnversionedPath, PUBLIC_OPERATION_EXTENSION, UNVERSIONED_ROUTES } from '@maatlat/shared/nest';
import { API_SCHEMAS } from './features';

/** Where the contract is published (NL GOV API Design Rules /core/publish-openapi), under the version prefix. */
export const OPENAPI_DOCUMENT_PATHS = { json: `/${API_PATH_PREFIX}/openapi.json`, yaml: `/${API_PATH_PREFIX}/openapi.yaml` } as const;

const DESCRIPTION = `Auditable data-maturity assessments for Dutch public organisations: the maturity model as
versioned data, organisations with their unit trees and chains, respondents by pseudonym, and
assessments whose every score can be traced to the answer events it came from.

Follows the NL GOV API Design Rules: the major version in the path (\`/${API_PATH_PREFIX}\`), the full
version in the \`API-Version\` header of every response, and every error as an RFC 9457 problem
(\`application/problem+json\`). Every operation but the health probes, this document and the
checkpoint key set (\`/.well-known/maatlat-keys\`) and the open dataset (\`/open-data\`) needs a bearer token and admits only the roles it names. A change of a mutable resource takes the revision
it last saw in \`If-Match\` (the \`ETag\` of its reads and writes).`;

const TAGS: [string, string][] = [
  ['model catalogue', 'The maturity model as versioned data: drafts, publication, crosswalks between versions, retirement.'],
  ['organisations', 'Public organisations and their unit trees.'],
  ['chains', 'Chains ("ketens") of units across organisations.'],
  ['respondents', 'Respondents by pseudonym, their sealed personal data, invitations, access export and erasure (AVG).'],
  ['assessments', 'Assessments from opening to a verified, explainable score.'],
  ['recalculations', 'Rescoring of closed assessments after a model publication or an algorithm upgrade.'],
  ['insights', 'Maturity over the years (trends across model versions) and against peers (k-anonymous benchmarks).'],
  ['reports', 'An assessment as a printable HTML report, PDFs of it issued with their SHA-256, and checking a PDF.'],
  ['demo', 'Signing in as a demo persona, only while the local development issuer is on.'],
  ['checkpoints', "Signed checkpoints of the log: the signing key (public), checkpoints on demand, a score's inclusion proof."],
  ['archive exports', "An organisation's complete event history as one archive (.tar.gz) for the archive, made by a background job, with its SHA-256 on the record; checkable offline with `cli archive verify`."],
  ['open data', "Woo: a coordinator publishes or withdraws an assessment's results; the public dataset (no token) in immutable versions, with DCAT-AP metadata."],
  ['operations', 'Health probes and this document.'],
];

/** `AssessmentsController` + `close` -> `assessmentsClose`: names a generated client can use as they are. */
function operationId(controllerKey: string, methodKey: string): string {
  const resource = controllerKey.replace(/Controller$/, '');
  return resource.charAt(0).toLowerCase() + resource.slice(1) + methodKey.charAt(0).toUpperCase() + methodKey.slice(1);
}

/** Serves every resource under the major version; the health probes stay where orchestrators look for them. */
export function useVersionedRoutes(app: INestApplication): void {
  app.setGlobalPrefix(API_PATH_PREFIX, { exclude: UNVERSIONED_ROUTES });
}

/** The published contract, from the controllers and their view classes (after useVersionedRoutes). */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Maatlat API')
    .setDescription(DESCRIPTION)
    .setVersion(API_VERSION)
    // Whoever runs the platform answers for its API: a deployment names its own contact here.
    .setContact('Maatlat platform team', 'https://maatlat.example/api', 'api@maatlat.example')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An OpenID Connect access token (or, in development, one minted by `npm run cli -- token`).' }, 'bearer');
  for (const [name, description] of TAGS) builder.addTag(name, description);
  // As package.json says: the platform is not licensed to others, and neither is its contract.
  const config = { ...builder.build(), info: { ...builder.build().info, license: { name: 'UNLICENSED' } } };
  const document = SwaggerModule.createDocument(app, config, { ignoreGlobalPrefix: true, operationIdFactory: operationId });
  Object.assign(document.paths, {
    '/openapi.json': documentOperation('openApiJson', 'This OpenAPI document, as JSON', 'application/json'),
    '/openapi.yaml': documentOperation('openApiYaml', 'This OpenAPI document, as YAML', 'application/yaml'),
  });
  return completeApiDocument(document, {
    serverUrl: `/${API_PATH_PREFIX}`,
    unversioned: isUnversionedPath,
    securityScheme: 'bearer',
    schemas: API_SCHEMAS,
  });
}

function documentOperation(id: string, summary: string, mediaType: string) {
  return {
    get: {
      tags: ['operations'],
      summary,
      operationId: id,
      [PUBLIC_OPERATION_EXTENSION]: true,
      responses: {
        200: {
          description: 'An OpenAPI 3.0 document.',
          content: { [mediaType]: { schema: { type: 'object', description: 'See the OpenAPI Specification 3.0.' } } },
        },
      },
    },
  };
}
