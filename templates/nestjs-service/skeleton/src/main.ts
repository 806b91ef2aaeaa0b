import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // Let `docker stop` (SIGTERM) finish in-flight requests before exiting.
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? ${{ values.port }}), '0.0.0.0');
}

void bootstrap();
