import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '@maatlat/shared/config';

export const CORRELATION_HEADER = 'x-correlation-id';

/** The caller's correlation id when it is a sane one, otherwise a new one. */
export function correlationIdFrom(sent: unknown): string {
  return typeof sent === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(sent) ? sent : randomUUID();
}

/**
 * Structured JSON logs; every request carries a correlation id (the caller's, when it sends a
 * sane one) that is echoed in the response header and stamped on error bodies and events.
 */
export function loggerModule(config: Pick<AppConfig, 'logLevel' | 'logFile'>, destination?: DestinationStream) {
  const options: Options = {
    level: config.logLevel,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = correlationIdFrom(req.headers[CORRELATION_HEADER]);
      res.setHeader(CORRELATION_HEADER, id);
      return id;
    },
    customProps: (req: IncomingMessage & { id?: unknown }) => ({ correlationId: req.id }),
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/ready' },
  };
  // A destination other than stdout: tests read the log lines back; LOG_FILE keeps a terminal for people.
  const target = destination ?? (config.logFile ? pino.destination({ dest: config.logFile, mkdir: true, sync: false }) : undefined);
  return LoggerModule.forRoot({ pinoHttp: target ? [options, target] : options });
}
