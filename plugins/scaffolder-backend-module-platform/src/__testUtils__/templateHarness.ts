/**
 * The portal's templates (`templates/` at the repository root) run through
 * the real scaffolder backend: its dry-run endpoint and its task API, with
 * our actions and the upstream GitHub module, GitHub itself replaced by
 * the FakeGitHub server.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import githubModule from '@backstage/plugin-scaffolder-backend-module-github';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { readTree, trustedComponent } from './actions';
import { FakeGitHub } from './FakeGitHub';
import { scaffolderModulePlatform } from '../module';

export const TEMPLATES_DIR = path.resolve(__dirname, '../../../../templates');
export const ALICE = 'user:default/alice';

/** The portal's URL in these tests. */
export const PORTAL_URL = 'https://portal.mana.how';

/** The GitOps repository as the render action leaves it for quote-backend. */
export const GITOPS_FIXTURE = path.resolve(
  __dirname,
  '../actions/gitops/__golden__/quote-backend/gitops',
);

export function loadTemplate(name: string) {
  return yaml.parse(
    fs.readFileSync(path.join(TEMPLATES_DIR, name, 'template.yaml'), 'utf8'),
  );
}

/** The template's directory as the dry-run endpoint takes it. */
export function directoryContents(name: string) {
  return Object.entries(readTree(path.join(TEMPLATES_DIR, name))).map(
    ([file, content]) => ({
      path: file,
      base64Content: Buffer.from(content).toString('base64'),
    }),
  );
}

const COSTS = yaml.parse(
  fs.readFileSync(path.resolve(TEMPLATES_DIR, '../app-config.yaml'), 'utf8'),
).platformDeploy.costs;

export async function startScaffolder(options: {
  github: FakeGitHub;
  entities?: any[];
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  extraFeatures?: any[];
  config?: object;
}) {
  const { server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      githubModule,
      scaffolderModulePlatform,
      ...(options.extraFeatures ?? [
        // A FAKE catalog (the catalog service's own mock) with quote-backend
        // as the estate's trusted catalog files bring it.
        catalogServiceMock.factory({
          entities: options.entities ?? [trustedComponent('quote-backend')],
        }),
        mockServices.permissions.factory({
          result: options.permission ?? AuthorizeResult.ALLOW,
        }),
      ]),
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: options.github.apiBaseUrl,
                // A fake token for the fake server; never a real secret.
                token: 'fake-github-token',
              },
            ],
          },
          scaffolder: {
            defaultAuthor: { name: 'Portal', email: 'portal@mana.how' },
          },
          platformDeploy: { costs: COSTS },
          // The portal's addresses, as app-config.production.yaml sets
          // them (one URL for the app and the backend).
          app: { baseUrl: PORTAL_URL },
          backend: { baseUrl: PORTAL_URL },
          platformPortal: {
            trustedLocations: ['url:https://github.com/Memo-2023/'],
            // The organisation the templates publish to.
            scaffolder: { allowedOwners: ['Memo-2023'] },
          },
          ...options.config,
        },
      }),
    ],
  });
  return server;
}

export type Server = Awaited<ReturnType<typeof startScaffolder>>;

/** The defaults the form fills in before the user types anything. */
export function formDefaults(template: any): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const page of [template.spec.parameters ?? []].flat()) {
    for (const [key, property] of Object.entries<any>(page.properties ?? {})) {
      if (property.default !== undefined) defaults[key] = property.default;
    }
  }
  return defaults;
}

export async function dryRun(
  server: Server,
  name: string,
  values: Record<string, unknown>,
  user = ALICE,
) {
  const template = loadTemplate(name);
  const response = await request(server)
    .post('/api/scaffolder/v2/dry-run')
    .set('authorization', mockCredentials.user.header(user))
    .send({
      template,
      values: { ...formDefaults(template), ...values },
      directoryContents: directoryContents(name),
    });
  const files: Record<string, string> = Object.fromEntries(
    (response.body.directoryContents ?? []).map((f: any) => [
      f.path,
      Buffer.from(f.base64Content, 'base64').toString('utf8'),
    ]),
  );
  const log: string[] = (response.body.log ?? []).map(
    (l: any) => l.body.message,
  );
  return { response, files, log, output: response.body.output };
}
