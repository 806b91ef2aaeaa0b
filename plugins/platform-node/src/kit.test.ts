import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { audited, distinctSample } from './audit';
import { authorize } from './authorize';
import { jsonBody } from './jsonBody';
import { readScheduleFromConfig } from './schedule';

const readPermission = createPermission({
  name: 'kit.read',
  attributes: { action: 'read' },
});
const changePermission = createPermission({
  name: 'kit.change',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

describe('authorize', () => {
  it('passes on ALLOW and sends the resource ref along', async () => {
    const permissions = mockServices.permissions.mock();
    permissions.authorize.mockResolvedValue([
      { result: AuthorizeResult.ALLOW },
    ]);
    const credentials = mockCredentials.user();
    await authorize(permissions, credentials, {
      permission: changePermission,
      resourceRef: 'component:default/a',
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [{ permission: changePermission, resourceRef: 'component:default/a' }],
      { credentials },
    );
  });

  it('throws NotAllowedError naming the permission, or the given message', async () => {
    const permissions = mockServices.permissions.mock();
    permissions.authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
    await expect(
      authorize(permissions, mockCredentials.user(), {
        permission: readPermission,
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'Not allowed: kit.read',
    });
    await expect(
      authorize(
        permissions,
        mockCredentials.user(),
        { permission: readPermission },
        'Only owners may',
      ),
    ).rejects.toThrow('Only owners may');
  });
});

describe('jsonBody', () => {
  function app() {
    const server = express();
    server.use(jsonBody({ limit: '1kb', hint: 'send at most 10 items' }));
    server.post('/', (req, res) => {
      res.json(req.body);
    });
    server.use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: mockServices.logger.mock(),
      }).error(),
    );
    return server;
  }

  it('parses JSON', async () => {
    const res = await request(app()).post('/').send({ a: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ a: 1 });
  });

  it('answers 400 InputError for broken JSON', async () => {
    const res = await request(app())
      .post('/')
      .set('content-type', 'application/json')
      .send('{"a":');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: 'body: not valid JSON',
    });
  });

  it('answers 413 with the hint for a body over the limit', async () => {
    const res = await request(app())
      .post('/')
      .send({ a: 'x'.repeat(2000) });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({
      name: 'PayloadTooLargeError',
      message: 'Request body is larger than 1kb; send at most 10 items',
    });
  });
});

describe('audited', () => {
  it('records success with the metadata, and failure with the error', async () => {
    const auditor = mockServices.auditor.mock();
    const event = { success: jest.fn(), fail: jest.fn() };
    auditor.createEvent.mockResolvedValue(event);
    const req = {} as express.Request;

    await expect(
      audited(auditor, { eventId: 'x-report', request: req }, async () => ({
        result: 3,
        meta: { stored: 3 },
      })),
    ).resolves.toBe(3);
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'x-report',
      severityLevel: 'medium',
      request: req,
    });
    expect(event.success).toHaveBeenCalledWith({ meta: { stored: 3 } });

    const boom = new Error('boom');
    await expect(
      audited(auditor, { eventId: 'x-report', request: req }, async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(event.fail).toHaveBeenCalledWith({ error: boom });
  });

  it('keeps audit metadata small', () => {
    expect(distinctSample(['a', 'b', 'a', 'c'], 2)).toEqual(['a', 'b']);
  });
});

describe('readScheduleFromConfig', () => {
  const fallback = { frequency: { minutes: 5 }, timeout: { minutes: 1 } };

  it('returns the fallback when the key is absent', () => {
    expect(readScheduleFromConfig(undefined, 'x.schedule', fallback)).toBe(
      fallback,
    );
    expect(
      readScheduleFromConfig(new ConfigReader({}), 'x.schedule', fallback),
    ).toBe(fallback);
  });

  it('reads the scheduler format and drops a configured scope', () => {
    const config = new ConfigReader({
      x: {
        schedule: {
          frequency: { minutes: 1 },
          timeout: '30s',
          scope: 'local',
        },
      },
    });
    const schedule = readScheduleFromConfig(config, 'x.schedule', fallback);
    expect(schedule).toMatchObject({
      frequency: { minutes: 1 },
      timeout: { seconds: 30 },
    });
    expect(schedule).not.toHaveProperty('scope');
  });
});
