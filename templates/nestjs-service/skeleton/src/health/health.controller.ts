import { Controller, Get } from '@nestjs/common';

export interface HealthStatus {
  status: 'ok';
}

/**
 * Liveness and readiness probe. The portal checks `/health` after every
 * deploy and during the 5-minute watch; the container HEALTHCHECK calls it too.
 * Keep it cheap and free of auth.
 */
@Controller('health')
export class HealthController {
  @Get()
  check(): HealthStatus {
    return { status: 'ok' };
  }
}
