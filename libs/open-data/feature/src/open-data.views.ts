import { ApiProperty } from '@nestjs/swagger';

export class PublicationView {
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ enum: ['published', 'withdrawn'] }) status!: string;
  @ApiProperty({ description: 'The dataset version that carries the change' }) datasetVersion!: number;
  @ApiProperty({ description: "The publication's revision" }) revision!: number;
}

export class DatasetFileView {
  @ApiProperty({ example: 'results.csv' }) name!: string;
  @ApiProperty({ example: 'text/csv' }) mediaType!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty({ description: 'hex' }) sha256!: string;
}

export class DatasetVersionView {
  @ApiProperty() version!: number;
  @ApiProperty({ description: "SHA-256 over the distributions' names and hashes, hex" }) contentId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: [DatasetFileView] }) files!: DatasetFileView[];
}
