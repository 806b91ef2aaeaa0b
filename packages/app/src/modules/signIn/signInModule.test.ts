import { providersFromConfig } from './signInModule';

describe('providersFromConfig', () => {
  it('offers the guest when nothing is configured', () => {
    expect(providersFromConfig(undefined)).toEqual(['guest']);
  });

  it('offers GitHub in production', () => {
    expect(providersFromConfig(['github'])).toEqual([
      expect.objectContaining({ id: 'github-auth-provider', title: 'GitHub' }),
    ]);
  });

  it('names an unknown provider', () => {
    expect(() => providersFromConfig(['gitlab'])).toThrow(
      "app.signIn.providers: unknown provider 'gitlab'",
    );
  });
});
