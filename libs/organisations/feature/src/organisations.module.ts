import { Module } from '@nestjs/common';
import { ChainsController } from './chains.controller';
import { DemoSignInController } from './demo-sign-in.controller';
import { OrganisationsController } from './organisations.controller';

/** Organisations, their unit trees and chains over HTTP; services from the manifest. */
@Module({ controllers: [OrganisationsController, ChainsController, DemoSignInController] })
export class OrganisationsModule {}
