import { applyDecorators, BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { IsDefined, ValidateIf } from 'class-validator';
import type { FieldProblem } from './problem-details';

/** Flattens class-validator's tree into `{ field: 'a.b[0].c', problem }` pairs. */
export function validationProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    // Several checks of one field may give the same message (a number's type and range): said once.
    const own = [...new Set(Object.values(error.constraints ?? {}))].map((problem) => ({ field, problem }));
    return [...own, ...validationProblems(error.children ?? [], field)];
  });
}

/** The 400 of a request whose fields are wrong: every field named with its problem. */
export function validationFailure(problems: FieldProblem[]): BadRequestException {
  return new BadRequestException({
    code: 'validation.failed',
    message: problems.map((p) => `${p.field}: ${p.problem}`).join('; '),
    details: { problems },
  });
}

/**
 * A field that may be left out but, when sent, must be a value: class-validator's @IsOptional
 * also lets null through, which reaches code that expects the field's type.
 */
export function IsOptionalButNotNull(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_, value) => value !== undefined),
    IsDefined({ message: '$property must not be null; leave it out instead' }),
  );
}

/**
 * Strict DTO validation: unknown fields are refused, and the 400 names every field and its problem.
 * Nothing reaches a handler, so nothing is written.
 */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationFailure(validationProblems(errors)),
  });
}
