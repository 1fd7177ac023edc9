import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { Conflict, NotFound, RuleBroken } from '@maatlat/shared/domain';
import { DomainErrorFilter } from './domain-error.filter';
import { strictValidationPipe } from './validation';

class EvidenceDto {
  @IsString() title!: string;
}
class AnswerDto {
  @IsInt() @Min(0) @Max(5) level!: number;
  @IsIn(['strategic', 'tactical', 'operational']) layer!: string;
  @ValidateNested() @Type(() => EvidenceDto) evidence!: EvidenceDto;
}

const written: AnswerDto[] = [];

@Controller()
class ProbeController {
  @Post('answers') record(@Body() answer: AnswerDto) {
    written.push(answer);
    return { ok: true };
  }
  @Get('crash') crash() {
    throw new Error('connection string postgres://secret@db leaked?');
  }
  @Get('missing') missing() {
    throw new NotFound('assessment', 'a-1');
  }
  @Get('stale') stale() {
    throw new Conflict('stream.wrong-expected-version', 'stream s is at version 3, not the expected version 2', { actualVersion: 3 });
  }
  @Get('closed') closed() {
    throw new RuleBroken('assessment.closed', 'the assessment is closed');
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('HTTP errors', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await NestFactory.create(ProbeModule, { logger: false });
    app.useGlobalPipes(strictValidationPipe());
    app.useGlobalFilters(new DomainErrorFilter());
    await app.init();
  });
  afterAll(() => app.close());

  it('answers bad input with a 400 naming each field and its problem, and writes nothing', async () => {
    const response = await request(app.getHttpServer())
      .post('/answers')
      .send({ level: 6, layer: 'board', evidence: { title: 3 }, extra: true })
      .expect(400);
    expect(response.body.code).toBe('validation.failed');
    expect(response.body.details.problems).toEqual(
      expect.arrayContaining([
        { field: 'level', problem: 'level must not be greater than 5' },
        { field: 'layer', problem: 'layer must be one of the following values: strategic, tactical, operational' },
        { field: 'evidence.title', problem: 'title must be a string' },
        { field: 'extra', problem: 'property extra should not exist' },
      ]),
    );
    expect(written).toEqual([]);
  });

  it.each([
    ['/missing', 404, 'assessment.not-found'],
    ['/stale', 409, 'stream.wrong-expected-version'],
    ['/closed', 422, 'assessment.closed'],
  ])('maps the domain error of %s to %i', async (path, status, code) => {
    const response = await request(app.getHttpServer()).get(path).expect(status);
    expect(response.body.code).toBe(code);
  });

  it('never leaks an internal error or its stack trace', async () => {
    const response = await request(app.getHttpServer()).get('/crash').expect(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'INTERNAL_SERVER_ERROR',
      code: 'internal',
      message: 'an internal error occurred; quote the correlation id when reporting it',
    });
    expect(JSON.stringify(response.body)).not.toContain('secret');
  });
});
