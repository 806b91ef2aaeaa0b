import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { httpSource, IngestScopes } from './ingestScopes';

const scopes = IngestScopes.fromConfig(
  new ConfigReader({
    platformPortal: {
      ingest: {
        credentials: [
          { subject: 'ci-chat', owners: ['group:default/Chat-Team'] },
          {
            subject: 'ci-quote-web',
            entities: ['component:default/quote-web'],
          },
          { subject: 'backup-jobs', allEntities: true },
        ],
      },
    },
  }),
);

const chatCi = mockCredentials.service('ci-chat');
const quoteWebCi = mockCredentials.service('ci-quote-web');
const backupJobs = mockCredentials.service('backup-jobs');
const unknownCi = mockCredentials.service('ci-unknown');

const chatBackend = {
  entityRef: 'component:default/chat-backend',
  owner: 'group:default/chat-team',
};
const quoteBackend = {
  entityRef: 'component:default/quote-backend',
  owner: 'group:default/quote-team',
};

describe('IngestScopes', () => {
  it('lets a team credential report for what its groups own, and nothing else', () => {
    expect(scopes.mayReport(chatCi, chatBackend)).toBe(true);
    expect(scopes.mayReport(chatCi, quoteBackend)).toBe(false);
    expect(scopes.mayReport(chatCi, { entityRef: 'component:default/x' })).toBe(
      false,
    );
  });

  it('lets a credential report for the entities it lists', () => {
    expect(
      scopes.mayReport(quoteWebCi, {
        entityRef: 'Component:default/Quote-Web',
        owner: 'group:default/quote-team',
      }),
    ).toBe(true);
    expect(scopes.mayReport(quoteWebCi, quoteBackend)).toBe(false);
  });

  it('lets the platform jobs report for everything', () => {
    expect(scopes.mayReport(backupJobs, quoteBackend)).toBe(true);
  });

  it('gives an unlisted credential, a user or a plugin nothing', () => {
    expect(scopes.mayReport(unknownCi, chatBackend)).toBe(false);
    expect(scopes.mayReport(mockCredentials.user(), chatBackend)).toBe(false);
    expect(
      scopes.mayReport(mockCredentials.service('plugin:catalog'), chatBackend),
    ).toBe(false);
  });

  it('throws NotAllowedError naming the first refused entity, its field and owner', () => {
    expect(() =>
      scopes.assertMayReport(chatCi, [
        { ...chatBackend, field: 'events[0].entityRef' },
        { ...quoteBackend, field: 'events[1].entityRef' },
      ]),
    ).toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        message:
          'events[1].entityRef: ci-chat may not report for component:default/quote-backend (owned by group:default/quote-team); it reports for entities owned by group:default/chat-team',
      }),
    );
    expect(() => scopes.assertMayReport(unknownCi, [chatBackend])).toThrow(
      /has no ingest scope/,
    );
  });
});

describe('httpSource', () => {
  it('is http:<subject>, within 255 characters and distinct for long subjects', () => {
    expect(httpSource('ci-chat')).toBe('http:ci-chat');
    const a = httpSource(`${'x'.repeat(300)}a`);
    const b = httpSource(`${'x'.repeat(300)}b`);
    expect(a.length).toBeLessThanOrEqual(255);
    expect(a).not.toBe(b);
  });
});
