import { ApiProperty } from '@nestjs/swagger';

export class PublicationView {
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ enum: ['published', 'withdrawn'] }) status!: string;
  @ApiProperty({ description: 'The dataset version that carries the change' }) datasetVersion!: number;
  @ApiProperty({ description: "The publication's revision" }) revision!: number;
  @ApiProperty({ description: 'Who made the change' }) by!: string;
  @ApiProperty({ format: 'date-time', description: 'When the change was made' }) at!: string;
}

export class PublicationChangeView {
  @ApiProperty({ enum: ['published', 'withdrawn'] }) change!: string;
  @ApiProperty({ description: 'Who made the change' }) by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class PublicationRecordView {
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ enum: ['unpublished', 'published', 'withdrawn'] }) status!: string;
  @ApiProperty({ description: "The publication's revision (the ETag; 0 before the first change)" }) revision!: number;
  @ApiProperty({ type: [PublicationChangeView], description: 'Every publication and withdrawal, oldest first' }) changes!: PublicationChangeView[];
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
