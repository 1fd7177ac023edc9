import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/** What body-parser, raw-body and http-errors put on the errors they raise. */
interface CarriedStatusError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  expose?: unknown;
  message?: unknown;
  limit?: unknown;
  charset?: unknown;
  encoding?: unknown;
  code?: unknown;
}

const quoted = (value: unknown) => JSON.stringify(String(value ?? '').slice(0, 100));

/**
 * Clear wording for the errors of reading a request body. Their own messages are terse ("request
 * entity too large") or echo the body back (JSON syntax errors quote it), so they are replaced.
 */
function describe(error: CarriedStatusError, status: number): { code: string; message: string } | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return { code: 'request.body-too-large', message: `the request body is larger than the limit of ${typeof error.limit === 'number' ? `${error.limit} bytes` : 'this endpoint'}` };
    case 'charset.unsupported':
      return { code: 'request.unsupported-charset', message: `the charset ${quoted(error.charset)} is not supported; send UTF-8` };
    case 'encoding.unsupported':
      return { code: 'request.unsupported-encoding', message: `the Content-Encoding ${quoted(error.encoding)} is not supported; send identity, gzip, deflate or br` };
    case 'entity.parse.failed':
      return { code: 'request.malformed-json', message: 'the request body is not valid JSON' };
    case 'request.aborted':
      return { code: 'request.aborted', message: 'the request was aborted before its body was read' };
    case 'request.size.invalid':
      return { code: 'request.size-mismatch', message: 'the request body is not as long as its Content-Length says' };
    case 'entity.verify.failed':
      return { code: 'request.body-refused', message: 'the request body was refused' };
  }
  // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR; Brotli's ERR__ERROR_FORMAT_...) when a body is not
  // what its Content-Encoding says.
  if (typeof error.code === 'string' && /^(Z_|ERR__ERROR_|ERR_BROTLI)/.test(error.code)) {
    return { code: 'request.undecodable-body', message: 'the request body could not be decoded with its Content-Encoding' };
  }
  if (error instanceof SyntaxError) return { code: 'request.malformed-json', message: 'the request body is not valid JSON' };
  if (error instanceof URIError) return { code: 'request.malformed-path', message: 'the path is not validly percent-encoded' };
  const message = error.expose === true && typeof error.message === 'string' && error.message ? error.message : STATUS_CODES[status];
  return message ? { code: `http.${status}`, message } : undefined;
}

/**
 * The client error that an error from outside Nest (body-parser, http-errors, the router) already
 * declares with a 4xx `status` or `statusCode`, as an HttpException with a code and a clear
 * message; undefined for anything else, which stays an internal error.
 */
export function clientErrorCarriedBy(exception: unknown): HttpException | undefined {
  if (typeof exception !== 'object' || exception === null || exception instanceof HttpException) return undefined;
  const error = exception as CarriedStatusError;
  const status = typeof error.status === 'number' ? error.status : error.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 499) return undefined;
  const described = describe(error, status);
  return described ? new HttpException(described, status) : undefined;
}
