import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@maatlat/shared/config';
import { prepareToStart, runOrExit } from '@maatlat/shared/nest';
import { migrations } from '@maatlat/migrations';
import { AppModule } from './app.module';
import { configureApi } from './app.setup';

void runOrExit('maatlat api', async () => {
  const config = loadConfig();
  await prepareToStart(config, migrations);
  const app = configureApi(await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true }));
  await app.listen(config.port);
});
