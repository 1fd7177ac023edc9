import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { ModelCatalogue, type ModelVersionView } from '@maatlat/model-catalogue/data-access';
import type { Crosswalk, ModelDocument } from '@maatlat/model-catalogue/domain';

// The catalogue's commands and their handlers, side by side: each hands its input to the one
// ModelCatalogue use case that decides and appends.

export class DraftModelVersionCommand extends Command<ModelVersionView> {
  constructor(
    readonly input: { document: ModelDocument } | { copyFrom: string; version: string },
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(DraftModelVersionCommand)
export class DraftModelVersionHandler implements ICommandHandler<DraftModelVersionCommand> {
  constructor(private readonly catalogue: ModelCatalogue) {}
  execute({ input, metadata }: DraftModelVersionCommand) {
    return this.catalogue.draft(input, metadata);
  }
}

export class ReviseModelDraftCommand extends Command<ModelVersionView> {
  constructor(
    readonly key: string,
    readonly version: string,
    readonly document: ModelDocument,
    readonly metadata: CommandMetadata,
    readonly expectedRevision?: number,
  ) {
    super();
  }
}

@CommandHandler(ReviseModelDraftCommand)
export class ReviseModelDraftHandler implements ICommandHandler<ReviseModelDraftCommand> {
  constructor(private readonly catalogue: ModelCatalogue) {}
  execute(c: ReviseModelDraftCommand) {
    return this.catalogue.revise(c.key, c.version, c.document, c.metadata, c.expectedRevision);
  }
}

export class SetModelCrosswalkCommand extends Command<ModelVersionView> {
  constructor(
    readonly key: string,
    readonly version: string,
    readonly crosswalk: Crosswalk,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(SetModelCrosswalkCommand)
export class SetModelCrosswalkHandler implements ICommandHandler<SetModelCrosswalkCommand> {
  constructor(private readonly catalogue: ModelCatalogue) {}
  execute(c: SetModelCrosswalkCommand) {
    return this.catalogue.setCrosswalk(c.key, c.version, c.crosswalk, c.metadata);
  }
}

export class PublishModelVersionCommand extends Command<ModelVersionView> {
  constructor(
    readonly key: string,
    readonly version: string,
    readonly legalBasis: string,
    readonly effectiveFrom: string,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(PublishModelVersionCommand)
export class PublishModelVersionHandler implements ICommandHandler<PublishModelVersionCommand> {
  constructor(private readonly catalogue: ModelCatalogue) {}
  execute(c: PublishModelVersionCommand) {
    return this.catalogue.publish(c.key, c.version, { legalBasis: c.legalBasis, effectiveFrom: c.effectiveFrom }, c.metadata);
  }
}

export class RetireModelVersionCommand extends Command<ModelVersionView> {
  constructor(
    readonly key: string,
    readonly version: string,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RetireModelVersionCommand)
export class RetireModelVersionHandler implements ICommandHandler<RetireModelVersionCommand> {
  constructor(private readonly catalogue: ModelCatalogue) {}
  execute(c: RetireModelVersionCommand) {
    return this.catalogue.retire(c.key, c.version, c.metadata);
  }
}

export const MODEL_VERSION_COMMAND_HANDLERS = [
  DraftModelVersionHandler,
  ReviseModelDraftHandler,
  SetModelCrosswalkHandler,
  PublishModelVersionHandler,
  RetireModelVersionHandler,
];
