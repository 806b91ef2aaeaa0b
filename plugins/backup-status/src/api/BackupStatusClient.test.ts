import { BackupStatusClient } from './BackupStatusClient';

function setup(response: Response) {
  const fetch = jest.fn().mockResolvedValue(response);
  // the app's fetchApi resolves plugin:// (upstream's middleware, read by the
  // other clients' tests through MockFetchApi); this one records the URL asked
  const client = new BackupStatusClient({ fetchApi: { fetch } });
  return { client, fetch };
}

describe('BackupStatusClient', () => {
  it('builds the overview URL with only the set filters', async () => {
    const { client, fetch } = setup(
      new Response(JSON.stringify({ items: [], totalItems: 0 }), {
        status: 200,
      }),
    );
    await client.getOverview({ status: 'critical', q: '', limit: 20 });
    expect(fetch).toHaveBeenCalledWith(
      'plugin://backup-status/v1/overview?status=critical&limit=20',
    );
  });

  it('builds the entity URL from the ref', async () => {
    const { client, fetch } = setup(
      new Response(JSON.stringify({ runs: [] }), { status: 200 }),
    );
    await client.getEntityDetails('resource:default/chat-db', { limit: 10 });
    expect(fetch).toHaveBeenCalledWith(
      'plugin://backup-status/v1/entities/resource/default/chat-db?limit=10',
    );
  });

  it('throws a ResponseError with the backend message', async () => {
    const { client } = setup(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'Missing permission' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    await expect(client.getOverview()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });
});
