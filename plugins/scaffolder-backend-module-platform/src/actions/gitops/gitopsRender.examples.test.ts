import { createMockDirectory } from '@backstage/backend-test-utils';
import path from 'node:path';
import { readTree, runExample } from '../../__testUtils__/actions';
import { createGitopsRenderAction } from './createGitopsRenderAction';
import { examples } from './gitopsRender.examples';

/** What `createGitopsRenderAction.test.ts` pins byte for byte. */
const GOLDEN_QUOTE_BACKEND = path.join(__dirname, '__golden__/quote-backend');

describe('the published examples of platform:gitops:render', () => {
  const workspace = createMockDirectory();
  const action = createGitopsRenderAction();

  beforeEach(() => workspace.clear());

  it('are each run here', () => {
    expect(examples.map(e => e.description)).toEqual([
      'The manifests of a new NestJS backend, in the gitops directory of the workspace',
    ]);
  });

  it('a new NestJS backend: the golden layout of quote-backend under gitops/', async () => {
    const outputs = await runExample(action, examples[0], {
      workspacePath: workspace.path,
    });
    const written = readTree(workspace.path);
    expect(written).toEqual(readTree(GOLDEN_QUOTE_BACKEND));
    expect([...(outputs.files as string[])].sort()).toEqual(
      Object.keys(written).sort(),
    );
    expect(Object.keys(written)).toContain(
      'gitops/apps/quote-backend/overlays/production/compose.yml',
    );
  });
});
