import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** Flattens class-validator's tree into `{ field: 'a.b[0].c', problem }` pairs. */
export function validationProblems(errors: ValidationError[], parent = ''): { field: string; problem: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = Object.values(error.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...validationProblems(error.children ?? [], field)];
  });
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
    exceptionFactory: (errors) => {
      const problems = validationProblems(errors);
      return new BadRequestException({
        code: 'validation.failed',
        message: problems.map((p) => `${p.field}: ${p.problem}`).join('; '),
        details: { problems },
      });
    },
  });
}
