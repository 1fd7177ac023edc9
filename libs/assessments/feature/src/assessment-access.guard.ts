import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { assertActsFor, type RequestWithPrincipal } from '@maatlat/access';
import { assertIds, Forbidden, NotFound } from '@maatlat/shared/domain';
import { Assessments } from './assessments.service';

/**
 * Tenant isolation for routes about one assessment, before the body is read: the assessment's
 * organisation must be one the caller acts for (an invitation was already held to its assessment
 * by the access guard).
 */
@Injectable()
export class AssessmentAccessGuard implements CanActivate {
  constructor(private readonly assessments: Assessments) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const assessmentId = request.params?.assessmentId;
    if (typeof assessmentId !== 'string' || !request.principal) return true;
    assertIds({ assessmentId });
    if (request.principal.invitation) return true;
    try {
      assertActsFor(request.principal, await this.assessments.organisationOf(assessmentId));
    } catch (error) {
      // An unknown assessment and another organisation's look the same from outside; anything
      // else (a database that is down) is no answer about access and goes on as it is (503).
      if (error instanceof NotFound || error instanceof Forbidden) throw new ForbiddenException("this assessment is not one of the caller's organisations");
      throw error;
    }
    return true;
  }
}
