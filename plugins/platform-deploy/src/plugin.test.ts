import { platformDeployPlugin } from './plugin';

describe('platform-deploy', () => {
  it('should export plugin', () => {
    expect(platformDeployPlugin).toBeDefined();
  });
});
