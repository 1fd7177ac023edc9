import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDependencyUnavailable } from '@maatlat/shared/database';
import { DomainError, type DomainErrorKind } from '@maatlat/shared/domain';
import { clientErrorCarriedBy } from './client-errors';
import { CORRELATION_HEADER, correlationIdFrom } from './logging';
import { PROBLEM_JSON, problemTitleOf, problemTypeOf, type FieldProblem, type ProblemDetails } from './problem-details';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  'not-found': HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  'rule-broken': HttpStatus.UNPROCESSABLE_ENTITY,
};

/** Seconds a client is asked to wait before retrying while PostgreSQL or Redis is unavailable. */
export const RETRY_AFTER_SECONDS = 2;

interface ProblemFacts {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

function fieldProblemsIn(details: Record<string, unknown> | undefined): FieldProblem[] | undefined {
  const problems = details?.problems;
  if (!Array.isArray(problems)) return undefined;
  return problems.filter((p): p is FieldProblem => typeof p?.field === 'string' && typeof p?.problem === 'string');
}

/**
 * The one place errors become HTTP responses, all as RFC 9457 problems: domain errors by their
 * kind, Nest's HTTP errors as they are, errors that carry a 4xx status of their own (body-parser's)
 * with that status, anything else as a bare 500 whose stack trace goes to the log and never to
 * the client.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: string }>();
    // Requests refused before the logger's middleware ran (unreadable bodies) have no id yet.
    const correlationId = request?.id ?? correlationIdFrom(request?.headers?.[CORRELATION_HEADER]);
    if (!response.headersSent && !response.getHeader(CORRELATION_HEADER)) response.setHeader(CORRELATION_HEADER, correlationId);
    const facts = this.factsOf(exception);
    if (facts.status === HttpStatus.SERVICE_UNAVAILABLE && facts.code === 'dependency.unavailable') {
      // Expected during a database restart: one line, no stack, and the client is told when to retry.
      this.logger.warn({ correlationId, error: (exception as Error)?.message }, 'dependency unavailable');
      if (!response.headersSent) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    } else if (facts.status >= 500) {
      this.logger.error({ err: exception, correlationId }, 'unhandled error');
    }
    // Too late to answer; ending the response is all that is left.
    if (response.headersSent) {
      response.end();
      return;
    }
    const problems = fieldProblemsIn(facts.details);
    const body: ProblemDetails = {
      type: problemTypeOf(facts.code),
      title: problemTitleOf(facts.status),
      status: facts.status,
      detail: facts.message,
      // The path only: a query string may hold what does not belong in an error report.
      ...(request?.originalUrl ? { instance: request.originalUrl.split('?')[0] } : {}),
      code: facts.code,
      ...(facts.details ? { details: facts.details } : {}),
      ...(problems ? { errors: problems, invalidParams: problems.map((p) => ({ name: p.field, reason: p.problem })) } : {}),
      correlationId,
    };
    response.status(facts.status).setHeader('Content-Type', `${PROBLEM_JSON}; charset=utf-8`);
    response.send(JSON.stringify(body));
  }

  private factsOf(exception: unknown): ProblemFacts {
    if (exception instanceof DomainError) {
      return { status: STATUS_BY_KIND[exception.kind], code: exception.code, message: exception.message, details: exception.details };
    }
    const http = exception instanceof HttpException ? exception : clientErrorCarriedBy(exception);
    if (http) {
      const status = http.getStatus();
      const raw = http.getResponse();
      const fields = typeof raw === 'object' && raw !== null ? (raw as { code?: unknown; message?: unknown; details?: Record<string, unknown> }) : {};
      const message = typeof raw === 'string' ? raw : (fields.message ?? http.message);
      return {
        status,
        code: typeof fields.code === 'string' && fields.code ? fields.code : `http.${status}`,
        message: Array.isArray(message) ? message.join('; ') : String(message),
        ...(fields.details ? { details: fields.details } : {}),
      };
    }
    if (isDependencyUnavailable(exception)) {
      return { status: HttpStatus.SERVICE_UNAVAILABLE, code: 'dependency.unavailable', message: `the platform's database or queue is unavailable for a moment; retry in ${RETRY_AFTER_SECONDS} seconds` };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'internal', message: 'an internal error occurred; quote the correlation id when reporting it' };
  }
}
