import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { runAction, runExample } from '../../__testUtils__/actions';
import { createRepoCheckAction } from './createRepoCheckAction';
import { examples } from './repoCheck.examples';

const integrations = {
  github: [{ host: 'github.com' }, { host: 'ghe.mana.how' }],
};

const actionWith = (scaffolder?: object) =>
  createRepoCheckAction({
    config: new ConfigReader({
      integrations,
      ...(scaffolder ? { platformPortal: { scaffolder } } : {}),
    }),
  });

/**
 * The published example of platform:repo:check, and what it refuses: the
 * server-side limit on the repositories a template publishes to.
 */
describe('platform:repo:check', () => {
  const workspace = createMockDirectory();
  const check = (action: ReturnType<typeof actionWith>, repoUrls: string[]) =>
    runAction(action, { repoUrls }, { workspacePath: workspace.path });

  it('its example is run here', () => {
    expect(examples.map(e => e.description)).toEqual([
      'Check the code and GitOps repositories of a new service before anything is rendered',
    ]);
  });

  it("checking a new service's repositories: both of the allowed owner", async () => {
    const outputs = await runExample(
      actionWith({ allowedOwners: ['memo-2023'] }),
      examples[0],
      { workspacePath: workspace.path },
    );
    expect(outputs.repos).toEqual([
      'github.com/Memo-2023/mana-monorepo',
      'github.com/Memo-2023/mana-gitops',
    ]);
  });

  it('allows a single repository of another owner from allowedRepos', async () => {
    const outputs = await check(
      actionWith({
        allowedOwners: ['Memo-2023'],
        allowedRepos: ['partner/shared-gitops'],
      }),
      ['github.com?owner=Partner&repo=Shared-Gitops'],
    );
    expect(outputs.repos).toEqual(['github.com/Partner/Shared-Gitops']);
  });

  it.each([
    [
      'another owner',
      { allowedOwners: ['Memo-2023'] },
      'github.com?owner=mallory&repo=mana-gitops',
      'repoUrls[0]: mallory/mana-gitops is not a repository this portal publishes to; allowed are the owners Memo-2023 (platformPortal.scaffolder.allowedOwners) and no single repository (platformPortal.scaffolder.allowedRepos)',
    ],
    [
      'another repository of an owner with one allowed repository',
      { allowedRepos: ['partner/shared-gitops'] },
      'github.com?owner=partner&repo=private',
      'repoUrls[0]: partner/private is not a repository this portal publishes to',
    ],
    [
      'everything when nothing is configured',
      undefined,
      'github.com?owner=Memo-2023&repo=mana-gitops',
      'allowed are no owner (platformPortal.scaffolder.allowedOwners) and no single repository',
    ],
    [
      'an integration host that is not allowed',
      { allowedOwners: ['Memo-2023'] },
      'ghe.mana.how?owner=Memo-2023&repo=mana-gitops',
      'repoUrls[0]: ghe.mana.how is not a host this portal publishes to (platformPortal.scaffolder.allowedHosts: github.com)',
    ],
    [
      'a host with no integration',
      { allowedOwners: ['Memo-2023'] },
      'github.com@evil.example?owner=Memo-2023&repo=mana-gitops',
      'repoUrls[0] must be a repository such as github.com?owner=mana&repo=gitops',
    ],
    [
      'a repository name GitHub would not take',
      { allowedOwners: ['Memo-2023'] },
      'github.com?owner=Memo-2023&repo=a%0Aname: x',
      'repoUrls[0] must name an owner and a repository as GitHub allows them, got "Memo-2023/a\\nname: x"',
    ],
    [
      'a missing repository',
      { allowedOwners: ['Memo-2023'] },
      'github.com?owner=Memo-2023',
      'repoUrls[0] must be a repository such as github.com?owner=mana&repo=gitops',
    ],
  ])('refuses %s', async (_, scaffolder, repoUrl, message) => {
    await expect(check(actionWith(scaffolder), [repoUrl])).rejects.toThrow(
      message,
    );
  });

  it('names the first repository that is not allowed by its index', async () => {
    await expect(
      check(actionWith({ allowedOwners: ['Memo-2023'] }), [
        'github.com?owner=Memo-2023&repo=mana-monorepo',
        'github.com?owner=mallory&repo=gitops',
      ]),
    ).rejects.toThrow('repoUrls[1]: mallory/gitops is not a repository');
  });

  it.each([
    [
      { allowedOwners: ['mana/x'] },
      'platformPortal.scaffolder.allowedOwners[0]: must be a GitHub owner',
    ],
    [
      { allowedRepos: ['just-a-name'] },
      'platformPortal.scaffolder.allowedRepos[0]: must be owner/repo',
    ],
  ])(
    'refuses a config entry that is not a name, at startup',
    (scaffolder, message) => {
      expect(() => actionWith(scaffolder)).toThrow(
        `Invalid config: ${message}`,
      );
    },
  );
});
