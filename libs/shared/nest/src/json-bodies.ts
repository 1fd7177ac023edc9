import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { clientErrorCarriedBy } from './client-errors';
import type { FieldProblem } from './problem-details';
import { validationFailure } from './validation';

export interface JsonBodyLimits {
  /** Objects and arrays nested deeper than this are refused (the body itself is level 1). */
  maxDepth: number;
  maxArrayLength: number;
}

export interface JsonBodyOptions extends JsonBodyLimits {
  /** The largest body, in body-parser's notation, e.g. '5mb'. */
  limit: string;
}

/** application/json and its structured-syntax relatives (application/merge-patch+json, ...). */
const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);
// Keys that mean something to JavaScript objects, never to this API's documents.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// A handful of problems tells a client what is wrong; a list of thousands is an amplifier.
const MAX_PROBLEMS = 20;

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL's jsonb (and any UTF-8 consumer) could not hold the string, if it could not. */
function stringProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  // The cheap test first: nearly every string has no surrogate at all.
  if (SURROGATE.test(value) && LONE_SURROGATE.test(value)) return 'must not contain an unpaired UTF-16 surrogate';
  return undefined;
}

interface Frame {
  value: unknown;
  depth: number;
  parent?: Frame;
  key?: string | number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The frame's place in the body, written like class-validator fields: `evidence[0].title`. */
function pathOf(frame: Frame): string {
  const parts: string[] = [];
  for (let at: Frame | undefined = frame; at?.parent; at = at.parent) {
    const key = at.key!;
    if (typeof key === 'number') parts.push(`[${key}]`);
    else if (IDENTIFIER.test(key)) parts.push(at.parent.parent ? `.${key}` : key);
    else parts.push(`[${JSON.stringify(key)}]`);
  }
  return parts.reverse().join('') || '$';
}

/**
 * What makes a parsed JSON body unfit to go further, whatever the endpoint: nesting or arrays
 * beyond the limits (class-transformer and class-validator recurse, and a deep enough body
 * overflows the stack), strings PostgreSQL cannot store, and keys that address an object's
 * prototype (class-transformer drops them silently, so the client never learns). Walked with a
 * stack of its own, so no body can make it recurse.
 */
export function jsonBodyProblems(body: unknown, limits: JsonBodyLimits): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: Frame[] = [{ value: body, depth: 1 }];
  while (pending.length > 0 && problems.length < MAX_PROBLEMS) {
    const frame = pending.pop()!;
    const { value } = frame;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) problems.push({ field: pathOf(frame), problem });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (frame.depth > limits.maxDepth) {
      problems.push({ field: pathOf(frame), problem: `is nested deeper than the limit of ${limits.maxDepth} levels` });
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxArrayLength) {
        problems.push({ field: pathOf(frame), problem: `has more than the limit of ${limits.maxArrayLength} items` });
        continue;
      }
      for (let index = value.length - 1; index >= 0; index--) pending.push({ value: value[index], depth: frame.depth + 1, parent: frame, key: index });
      continue;
    }
    const keys = Object.keys(value);
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index];
      const child: Frame = { value: (value as Record<string, unknown>)[key], depth: frame.depth + 1, parent: frame, key };
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push({ field: pathOf(child), problem: `property ${key} should not exist` });
        continue;
      }
      const keyProblem = stringProblem(key);
      if (keyProblem) {
        problems.push({ field: pathOf(child), problem: `the field name ${keyProblem}` });
        continue;
      }
      pending.push(child);
    }
  }
  return problems;
}

function hasContent(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

/**
 * The API speaks JSON only: a write that sends another kind of body is refused before anything
 * reads it (Nest would otherwise parse a form and hand it to the same validation).
 */
export function refuseNonJsonBodies() {
  return function refuseNonJsonBodies(request: Request, _response: Response, next: NextFunction): void {
    if (!WRITE_METHODS.has(request.method) || !hasContent(request) || request.is(JSON_MEDIA_TYPES)) return next();
    const sent = request.headers['content-type'];
    next(
      new UnsupportedMediaTypeException({
        code: 'request.unsupported-media-type',
        message: `the request body must be JSON (Content-Type: application/json), not ${sent ? JSON.stringify(sent.slice(0, 100)) : 'a body without a Content-Type'}`,
      }),
    );
  };
}

/** Body-parser's errors as the client errors they are, before Nest reduces them to their message. */
export function bodyParserErrors() {
  return function bodyParserErrors(error: unknown, _request: Request, _response: Response, next: NextFunction): void {
    next(clientErrorCarriedBy(error) ?? error);
  };
}

export function refuseUnsafeJson(limits: JsonBodyLimits) {
  return function refuseUnsafeJson(request: Request, _response: Response, next: NextFunction): void {
    const problems = request.body !== undefined && request.is(JSON_MEDIA_TYPES) ? jsonBodyProblems(request.body, limits) : [];
    next(problems.length > 0 ? validationFailure(problems) : undefined);
  };
}

/**
 * JSON request bodies, checked at the edge: other media types refused (415), the parser's errors
 * answered with their own 4xx status, and the parsed body refused (400) when it is too deep, holds
 * too long an array, a string PostgreSQL cannot store or a prototype key. Call before the routes
 * are registered (before init) so Nest does not add its own JSON parser.
 */
export function useJsonBodies(app: NestExpressApplication, options: JsonBodyOptions): void {
  app.use(refuseNonJsonBodies());
  app.useBodyParser('json', { limit: options.limit, type: JSON_MEDIA_TYPES });
  app.use(bodyParserErrors());
  app.use(refuseUnsafeJson({ maxDepth: options.maxDepth, maxArrayLength: options.maxArrayLength }));
}
