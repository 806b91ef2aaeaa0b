import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { runExample } from '../../__testUtils__/actions';
import { createPortalInfoAction } from './createPortalInfoAction';
import { examples } from './portalInfo.examples';

const actionWith = (app: string, backend: string) =>
  createPortalInfoAction({
    config: new ConfigReader({
      app: { baseUrl: app },
      backend: { baseUrl: backend },
    }),
  });

describe('platform:portal:info', () => {
  const workspace = createMockDirectory();

  it('its example is run here', () => {
    expect(examples.map(e => e.description)).toEqual([
      "Give a skeleton the portal's addresses: CI reports to the backend, the README links the component's page",
    ]);
  });

  it("giving a skeleton the portal's addresses: from config, without a trailing slash", async () => {
    const outputs = await runExample(
      actionWith('https://portal.mana.how/', 'https://api.portal.mana.how'),
      examples[0],
      { workspacePath: workspace.path },
    );
    expect(outputs).toEqual({
      baseUrl: 'https://portal.mana.how',
      backendUrl: 'https://api.portal.mana.how',
    });
  });

  it.each([
    ['ftp://portal.mana.how', 'Invalid config: app.baseUrl: must be http(s)'],
    ['not a url', 'Invalid config: app.baseUrl: must be a URL'],
    [
      'https://portal.mana.how/?x=1',
      'Invalid config: app.baseUrl: must be a base URL without query',
    ],
  ])('refuses app.baseUrl %j at startup', (url, message) => {
    expect(() => actionWith(url, 'https://portal.mana.how')).toThrow(message);
  });
});
