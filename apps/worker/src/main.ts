import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@maatlat/shared/config';
import { prepareToStart, runOrExit } from '@maatlat/shared/nest';
import { migrations } from '@maatlat/migrations';
import { WorkerModule } from './worker.module';

void runOrExit('maatlat worker', async () => {
  const config = loadConfig();
  await prepareToStart(config, migrations);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
});
