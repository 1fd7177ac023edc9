import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, type DomainErrorKind } from '@maatlat/shared/domain';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  'not-found': HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  'rule-broken': HttpStatus.UNPROCESSABLE_ENTITY,
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  correlationId?: string;
}

/**
 * The one place errors become HTTP responses: domain errors by their kind, Nest's HTTP errors as
 * they are, anything else as a bare 500 whose stack trace goes to the log and never to the client.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: string }>();
    const correlationId = request?.id;
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, correlationId }, 'unhandled error');
    }
    response.status(body.statusCode).json({ ...body, correlationId });
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      const statusCode = STATUS_BY_KIND[exception.kind];
      return {
        statusCode,
        error: HttpStatus[statusCode] ?? 'Error',
        code: exception.code,
        message: exception.message,
        details: exception.details,
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const raw = exception.getResponse();
      const message = typeof raw === 'string' ? raw : ((raw as { message?: unknown }).message ?? exception.message);
      const details = typeof raw === 'object' && raw !== null ? (raw as { details?: Record<string, unknown> }).details : undefined;
      return {
        statusCode,
        error: HttpStatus[statusCode] ?? 'Error',
        code: (typeof raw === 'object' && (raw as { code?: string }).code) || `http.${statusCode}`,
        message: Array.isArray(message) ? message.join('; ') : String(message),
        ...(details ? { details } : {}),
      };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'INTERNAL_SERVER_ERROR',
      code: 'internal',
      message: 'an internal error occurred; quote the correlation id when reporting it',
    };
  }
}
