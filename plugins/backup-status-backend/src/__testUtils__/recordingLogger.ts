import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';

/** One line a plugin logged, with the fields of its logger's children. */
export interface LoggedLine {
  plugin: string;
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  fields: Record<string, unknown>;
  /** The meta argument as given (an Error for failed audit events). */
  meta: unknown;
}

function recordingLogger(
  lines: LoggedLine[],
  plugin: string,
  fields: Record<string, unknown>,
): LoggerService {
  const log =
    (level: LoggedLine['level']) => (message: string, meta?: unknown) => {
      lines.push({
        plugin,
        level,
        message,
        meta,
        fields:
          meta && typeof meta === 'object' && !(meta instanceof Error)
            ? { ...fields, ...meta }
            : fields,
      });
    };
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: meta => recordingLogger(lines, plugin, { ...fields, ...meta }),
  };
}

/**
 * A logger service that keeps every line in `lines`, so that a test can read
 * what the real auditor (which logs through it) wrote.
 */
export function recordingLoggerFactory(lines: LoggedLine[]) {
  return createServiceFactory({
    service: coreServices.logger,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => recordingLogger(lines, plugin.getId(), {}),
  });
}
