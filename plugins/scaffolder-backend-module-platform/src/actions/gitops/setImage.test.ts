import fs from 'node:fs';
import path from 'node:path';
import { setImage } from './setImage';

const OVERLAY = path.join(
  __dirname,
  '__golden__/quote-backend/gitops/apps/quote-backend/overlays/production',
);

/** The overlay as an operator left it: other tags, comments, odd quoting. */
const KUSTOMIZATION = `# quote-backend in production.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: quote-production

resources:
  - ../../base   # shared objects
images:
  - name: quote-backend-blue # the blue slot
    newName: ghcr.io/memo-2023/quote-backend
    newTag: "main-aaaaaaa"   # pinned by the last release
  - name: quote-backend-green # the green slot
    newName: ghcr.io/memo-2023/quote-backend
    newTag: main-bbbbbbb
  - name: sidecar
    newTag: '1.2'
patches:
  - path: live-slot.yaml
`;

const LIVE_SLOT = `# traffic
apiVersion: v1
kind: Service
metadata:
  name: quote-backend
spec:
  selector:
    platform-portal.dev/slot: blue   # switched by releases
`;

function changedLines(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return a
    .map((line, i) => [line, b[i]])
    .filter(([x, y]) => x !== y)
    .map(([x, y]) => `${x.trim()} => ${y.trim()}`);
}

describe('setImage', () => {
  it('puts the tag on the idle slot and switches traffic, changing one line in each file', () => {
    const result = setImage(
      { kustomization: KUSTOMIZATION, liveSlot: LIVE_SLOT },
      {
        name: 'quote-backend',
        environment: 'production',
        tag: 'main-ccccccc',
        slot: 'idle',
        switchTraffic: true,
      },
    );
    expect(result).toMatchObject({
      slot: 'green',
      previousTag: 'main-bbbbbbb',
      previousLiveSlot: 'blue',
      liveSlot: 'green',
      changed: ['kustomization', 'liveSlot'],
    });
    expect(changedLines(KUSTOMIZATION, result.files.kustomization)).toEqual([
      'newTag: main-bbbbbbb => newTag: main-ccccccc',
    ]);
    expect(changedLines(LIVE_SLOT, result.files.liveSlot!)).toEqual([
      'platform-portal.dev/slot: blue   # switched by releases => platform-portal.dev/slot: green   # switched by releases',
    ]);
  });

  it('keeps quoting, comments and other images of the edited line', () => {
    const result = setImage(
      { kustomization: KUSTOMIZATION, liveSlot: LIVE_SLOT },
      {
        name: 'quote-backend',
        environment: 'production',
        tag: 'main-ddddddd',
        slot: 'live',
        switchTraffic: false,
      },
    );
    expect(changedLines(KUSTOMIZATION, result.files.kustomization)).toEqual([
      'newTag: "main-aaaaaaa"   # pinned by the last release => newTag: main-ddddddd   # pinned by the last release',
    ]);
    expect(result.changed).toEqual(['kustomization']);
    expect(result.files.liveSlot).toBe(LIVE_SLOT);
  });

  it('quotes a tag that YAML would read as a number', () => {
    const result = setImage(
      { kustomization: KUSTOMIZATION },
      {
        name: 'quote-backend',
        environment: 'production',
        tag: '1.10',
        slot: 'blue',
        switchTraffic: false,
      },
    );
    expect(changedLines(KUSTOMIZATION, result.files.kustomization)).toEqual([
      'newTag: "main-aaaaaaa"   # pinned by the last release => newTag: "1.10"   # pinned by the last release',
    ]);
  });

  it('rolls back by switching only, when the idle slot already runs the version', () => {
    const result = setImage(
      { kustomization: KUSTOMIZATION, liveSlot: LIVE_SLOT },
      {
        name: 'quote-backend',
        environment: 'production',
        tag: 'main-bbbbbbb',
        slot: 'idle',
        switchTraffic: true,
      },
    );
    expect(result.changed).toEqual(['liveSlot']);
    expect(result.files.kustomization).toBe(KUSTOMIZATION);
  });

  it('moves the Compose service to the new live image and slot', () => {
    const compose = fs.readFileSync(path.join(OVERLAY, 'compose.yml'), 'utf8');
    const kustomization = fs.readFileSync(
      path.join(OVERLAY, 'kustomization.yaml'),
      'utf8',
    );
    const liveSlot = fs.readFileSync(
      path.join(OVERLAY, 'live-slot.yaml'),
      'utf8',
    );
    const result = setImage(
      { kustomization, liveSlot, compose },
      {
        name: 'quote-backend',
        environment: 'production',
        tag: 'main-1234567',
        slot: 'idle',
        switchTraffic: true,
      },
    );
    expect(changedLines(compose, result.files.compose!)).toEqual([
      'image: ghcr.io/memo-2023/quote-backend:main => image: ghcr.io/memo-2023/quote-backend:main-1234567',
      'platform-portal.dev/slot: blue => platform-portal.dev/slot: green',
    ]);
    expect(changedLines(kustomization, result.files.kustomization)).toEqual([
      'newTag: main => newTag: main-1234567',
    ]);
  });

  it('leaves Compose alone when the idle slot changes without a switch', () => {
    const compose = fs.readFileSync(path.join(OVERLAY, 'compose.yml'), 'utf8');
    const result = setImage(
      { kustomization: KUSTOMIZATION, liveSlot: LIVE_SLOT, compose },
      {
        name: 'quote-backend',
        environment: 'production',
        tag: 'main-7654321',
        slot: 'idle',
        switchTraffic: false,
      },
    );
    // Compose follows the live slot (blue, main-aaaaaaa).
    expect(result.files.compose).toContain(
      'image: ghcr.io/memo-2023/quote-backend:main-aaaaaaa',
    );
    expect(result.changed).toEqual(['kustomization', 'compose']);
  });

  it.each([
    ['a bad tag', { tag: 'main abc' }, 'tag must be a Docker tag'],
    [
      'an injection in the tag',
      { tag: 'x\nnewName: evil' },
      'tag must be a Docker tag',
    ],
    [
      'a service not in the overlay',
      { name: 'chat-backend' },
      'has no images entry named chat-backend-blue',
    ],
  ])('rejects %s', (_, change, message) => {
    expect(() =>
      setImage(
        { kustomization: KUSTOMIZATION, liveSlot: LIVE_SLOT },
        {
          name: 'quote-backend',
          environment: 'production',
          tag: 'main-1',
          slot: 'idle',
          switchTraffic: true,
          ...change,
        },
      ),
    ).toThrow(message);
  });

  it('rejects a switch without live-slot.yaml, and broken YAML', () => {
    expect(() =>
      setImage(
        { kustomization: KUSTOMIZATION },
        {
          name: 'quote-backend',
          environment: 'production',
          tag: 'main-1',
          slot: 'green',
          switchTraffic: true,
        },
      ),
    ).toThrow(
      'switchTraffic: quote-backend in production has no live-slot.yaml to switch',
    );
    expect(() =>
      setImage(
        { kustomization: 'images: [' },
        {
          name: 'quote-backend',
          environment: 'production',
          tag: 'main-1',
          slot: 'idle',
          switchTraffic: false,
        },
      ),
    ).toThrow('kustomization.yaml is not valid YAML');
  });
});
