import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems, ApiResult, Public } from '@maatlat/shared/nest';
import { Publications, parseDatasetVersion } from './publications.service';
import { DatasetVersionView } from './open-data.views';

const METADATA = { 'application/ld+json': { schema: { type: 'object' as const, description: 'DCAT-AP 3 metadata of the version as JSON-LD' } } };
const DISTRIBUTION = {
  'text/csv': { schema: { type: 'string' as const, description: 'results.csv, benchmarks.csv or benchmark-editions.csv' } },
  'application/json': { schema: { type: 'object' as const, description: 'dataset.json or checkpoints.json' } },
};
const FILE_PARAM = { name: 'file', enum: ['results.csv', 'benchmarks.csv', 'benchmark-editions.csv', 'dataset.json', 'checkpoints.json'] };

/**
 * The public Woo dataset, without a token and outside the versioned API: its address is part of
 * the identifiers in its metadata, which must not move with the API's version.
 */
@ApiTags('open data')
@Public()
@Controller('open-data')
export class OpenDataController {
  constructor(private readonly publications: Publications) {}

  @Get()
  @ApiOperation({ summary: 'The latest version of the open dataset: its DCAT-AP metadata (JSON-LD)' })
  @ApiResponse({ status: 200, description: 'The metadata of the latest version.', content: METADATA })
  @ApiProblems({ 404: 'Nothing has been published yet.' })
  async latest(@Res({ passthrough: true }) response: Response) {
    response.type('application/ld+json');
    return this.publications.openData.metadata();
  }

  @Get('versions')
  @ApiOperation({ summary: 'Every version of the open dataset, newest first' })
  @ApiResult(200, 'The versions with their distributions.', [DatasetVersionView])
  versions() {
    return this.publications.openData.versions();
  }

  @Get('versions/:version')
  @ApiParam({ name: 'version', description: 'The version number, or its content id' })
  @ApiOperation({ summary: 'One version of the open dataset: its DCAT-AP metadata (JSON-LD)' })
  @ApiResponse({ status: 200, description: 'The metadata of the version.', content: METADATA })
  @ApiProblems({ 400: 'The version is neither a number nor a content id.', 404: 'No such version.' })
  async version(@Param('version') version: string, @Res({ passthrough: true }) response: Response) {
    const metadata = await this.publications.openData.metadata(parseDatasetVersion(version));
    response.type('application/ld+json');
    return metadata;
  }

  @Get('versions/:version/:file')
  @ApiParam({ name: 'version', description: 'The version number, or its content id' })
  @ApiParam(FILE_PARAM)
  @ApiOperation({ summary: 'A distribution of one version of the open dataset, exactly as it was made' })
  @ApiResponse({ status: 200, description: 'The distribution.', content: DISTRIBUTION })
  @ApiProblems({ 400: 'The version is neither a number nor a content id.', 404: 'No such version or distribution.' })
  async versionFile(@Param('version') version: string, @Param('file') name: string, @Res({ passthrough: true }) response: Response) {
    const file = await this.publications.openData.file(name, parseDatasetVersion(version));
    response.type(file.mediaType);
    return file.content;
  }

  @Get(':file')
  @ApiParam(FILE_PARAM)
  @ApiOperation({ summary: 'A distribution of the latest version of the open dataset' })
  @ApiResponse({ status: 200, description: 'The distribution.', content: DISTRIBUTION })
  @ApiProblems({ 404: 'Nothing has been published yet, or no such distribution.' })
  async file(@Param('file') name: string, @Res({ passthrough: true }) response: Response) {
    const file = await this.publications.openData.file(name);
    response.type(file.mediaType);
    return file.content;
  }
}
