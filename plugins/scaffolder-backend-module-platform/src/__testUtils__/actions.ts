/**
 * Runs an action the way the scaffolder does for a step (outputs collected,
 * a workspace of its own) and compares what it wrote with golden files.
 */
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  TemplateAction,
  TemplateExample,
} from '@backstage/plugin-scaffolder-node';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { CostModelConfig } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { readCostsConfig } from '@platform-portal/backstage-plugin-platform-deploy-node';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { trustedLocations } from '@platform-portal/backstage-plugin-platform-node';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

export async function runAction(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
  options: {
    workspacePath: string;
    isDryRun?: boolean;
    userRef?: string;
    /** Who started the task: the user `userRef` unless given. */
    credentials?: BackstageCredentials;
    /** Receives every line the action logs (message and fields). */
    log?: (line: string) => void;
  },
) {
  const outputs: Record<string, unknown> = {};
  const userRef = options.userRef ?? 'user:default/alice';
  // createMockActionContext keeps only some options; the rest is set here.
  const ctx = {
    ...createMockActionContext({
      input: input as any,
      workspacePath: options.workspacePath,
      user: { ref: userRef },
      ...(options.log ? { logger: recordingLogger(options.log) } : {}),
    }),
    isDryRun: options.isDryRun,
    getInitiatorCredentials: async () =>
      options.credentials ?? mockCredentials.user(userRef),
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
  };
  await action.handler(ctx);
  return outputs;
}

/** A logger that hands each line (message and fields) to `log`. */
function recordingLogger(log: (line: string) => void): LoggerService {
  const write = (level: string) => (message: string, meta?: unknown) =>
    log(`${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  const logger: LoggerService = {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: () => logger,
  };
  return logger;
}

/**
 * Runs a published example through its action: the example's YAML parsed
 * as the scaffolder reads a template, the input of its step for `action`
 * (the only step of our examples) handed to the handler.
 */
export async function runExample(
  action: TemplateAction<any, any, any>,
  example: TemplateExample,
  options: { workspacePath: string; userRef?: string },
) {
  const { steps } = yaml.parse(example.example) as {
    steps: { action: string; input: Record<string, unknown> }[];
  };
  const step = steps.find(s => s.action === action.id);
  if (!step) {
    throw new Error(`The example has no step of ${action.id}`);
  }
  return runAction(action, step.input, options);
}

/** Every file under `dir`, by path relative to it. */
export function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(
      full,
      'utf8',
    );
  }
  return files;
}

/**
 * Compares files with the golden copies under `goldenDir`; with
 * UPDATE_GOLDEN=1 rewrites them instead (then review the diff).
 */
export function expectGolden(
  goldenDir: string,
  files: Record<string, string>,
): void {
  if (process.env.UPDATE_GOLDEN) {
    fs.rmSync(goldenDir, { recursive: true, force: true });
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(goldenDir, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
  }
  const golden = readTree(goldenDir);
  expect(Object.keys(files).sort()).toEqual(Object.keys(golden).sort());
  for (const [file, content] of Object.entries(files)) {
    expect({ file, content }).toEqual({ file, content: golden[file] });
  }
}

/** The portal's own cost model, as its app-config.yaml configures it. */
export function portalCostModel(): CostModelConfig {
  const appConfig = yaml.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../../app-config.yaml'),
      'utf8',
    ),
  );
  return readCostsConfig(new ConfigReader(appConfig))!.model;
}

/** Where the estate's own catalog files come from, in these tests. */
export const TRUSTED_ORIGIN =
  'url:https://github.com/Memo-2023/mana-monorepo/blob/main/catalog-info.yaml';

/** A Component as the catalog holds it after reading a trusted location. */
export function trustedComponent(
  name: string,
  options: { namespace?: string; owner?: string; origin?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      annotations: {
        'backstage.io/managed-by-origin-location':
          options.origin ?? TRUSTED_ORIGIN,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: options.owner ?? 'group:default/quote-team',
    },
  };
}

/**
 * What locate and set-image read the target from, for tests that are not
 * about who may (those use the real catalog, `setImagePermission.test.ts`):
 * a FAKE catalog (the catalog service's own mock) holding `entities`, and
 * the estate's repositories as the trusted locations.
 */
export function fakeTrustedCatalog(
  entities: Entity[] = [
    trustedComponent('quote-backend'),
    trustedComponent('chat-web', { owner: 'group:default/chat-team' }),
    trustedComponent('chat-backend', { owner: 'group:default/chat-team' }),
  ],
) {
  return {
    catalog: catalogServiceMock({ entities }),
    trustedLocations: trustedLocations(['url:https://github.com/Memo-2023/']),
  };
}
