import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  configFilesFromArgv,
  describeMissing,
  findMissingFiles,
  findMissingVariables,
  referencedFiles,
} from './requiredEnvironment';
import {
  productionEnv,
  productionFiles,
  writeProductionSecrets,
} from './production/__testUtils__/productionSecrets';

const repoRoot = path.resolve(__dirname, '../../..');

describe('requiredEnvironment', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'required-env-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('findMissingVariables', () => {
    it('finds substitutions with their config path, skipping fallbacks, escapes and comments', () => {
      const file = write(
        'a.yaml',
        `
# token: \${IN_A_COMMENT}
backend:
  database:
    connection:
      host: \${POSTGRES_HOST}
      port: \${POSTGRES_PORT:-5432}
  note: $\${ESCAPED}
list:
  - url: https://\${HOST}/api
  - other: { $env: FROM_ENV }
`,
      );
      expect(findMissingVariables([file], {}, dir)).toEqual([
        {
          name: 'POSTGRES_HOST',
          configPath: 'backend.database.connection.host',
          file,
        },
        { name: 'HOST', configPath: 'list[0].url', file },
        { name: 'FROM_ENV', configPath: 'list[1].other', file },
      ]);
      expect(
        findMissingVariables(
          [file],
          { POSTGRES_HOST: 'db', HOST: 'h', FROM_ENV: 'x' },
          dir,
        ),
      ).toEqual([]);
    });

    // Failed before: each file was read on its own, so the embedded
    // default's GITHUB_TOKEN and PLATFORM_INGEST_TOKEN were demanded although
    // the production file replaces both values with secret files.
    it('does not demand a variable whose value a later file replaces', () => {
      const base = write(
        'base.yaml',
        `
integrations:
  github:
    - host: github.com
      token: \${GITHUB_TOKEN}
backend:
  baseUrl: \${BASE_URL}
  auth:
    externalAccess:
      - type: static
        options:
          token: \${INGEST_TOKEN}
          subject: ingest
  database:
    connection:
      host: \${DB_HOST}
      user: \${DB_USER}
`,
      );
      const later = write(
        'later.yaml',
        `
integrations:
  github:
    - host: github.com
      token: { $file: ./github-token }
backend:
  auth:
    externalAccess: []
  database:
    connection:
      host: db.internal
`,
      );
      expect(
        findMissingVariables([base, later], {}, dir).map(m => m.name),
      ).toEqual(['BASE_URL', 'DB_USER']);
      // the order matters: the later file wins
      expect(
        findMissingVariables([later, base], {}, dir)
          .map(m => m.name)
          .sort(),
      ).toEqual([
        'BASE_URL',
        'DB_HOST',
        'DB_USER',
        'GITHUB_TOKEN',
        'INGEST_TOKEN',
      ]);
    });

    it('names a variable without fallback in a secret file path', () => {
      const file = write(
        'a.yaml',
        `secret:\n  $file: \${SECRETS}/key\nother:\n  $file: \${DIR:-/x}/key\n`,
      );
      expect(findMissingVariables([file], {}, dir)).toEqual([
        { name: 'SECRETS', configPath: 'secret', file },
      ]);
    });
  });

  describe('findMissingFiles', () => {
    // Failed before: a $file was not looked at (the config loader stops on
    // the first missing one only, and takes an empty one as '').
    it('names each missing, empty or unreadable secret file with its config key, never its content', () => {
      const secrets = path.join(dir, 'secrets');
      fs.mkdirSync(secrets);
      fs.writeFileSync(path.join(secrets, 'present'), 'hunter2-secret-value\n');
      fs.writeFileSync(path.join(secrets, 'empty'), '\n');
      fs.mkdirSync(path.join(secrets, 'a-directory'));
      const file = write(
        'app.yaml',
        `
backend:
  auth:
    keys:
      - secret:
          $file: \${SECRETS_DIR:-/nonexistent}/present
  database:
    connection:
      password:
        $file: \${SECRETS_DIR:-/nonexistent}/postgres-password
other:
  empty:
    $file: \${SECRETS_DIR:-/nonexistent}/empty
  dir:
    $file: \${SECRETS_DIR:-/nonexistent}/a-directory
  relative:
    $file: ./secrets/present
`,
      );
      const missing = findMissingFiles([file], { SECRETS_DIR: secrets }, dir);
      expect(missing).toEqual([
        {
          path: path.join(secrets, 'postgres-password'),
          configPath: 'backend.database.connection.password',
          file,
          problem: 'missing',
        },
        {
          path: path.join(secrets, 'empty'),
          configPath: 'other.empty',
          file,
          problem: 'empty',
        },
        {
          path: path.join(secrets, 'a-directory'),
          configPath: 'other.dir',
          file,
          problem: 'not a file',
        },
      ]);
      const message = describeMissing([], missing);
      expect(message).toContain(
        `${path.join(
          secrets,
          'postgres-password',
        )}: missing (backend.database.connection.password in app.yaml)`,
      );
      expect(message).not.toContain('hunter2');

      // without the variable, the path's fallback
      expect(
        referencedFiles([file], {}, dir)
          .map(f => f.path)
          .slice(0, 2),
      ).toEqual(['/nonexistent/present', '/nonexistent/postgres-password']);
    });

    it('does not demand a file whose value a later file replaces', () => {
      const base = write('base.yaml', `token: { $file: ./no-such-file }`);
      const later = write('later.yaml', `token: \${TOKEN}`);
      expect(findMissingFiles([base, later], {}, dir)).toEqual([]);
      expect(findMissingFiles([later, base], {}, dir)).toHaveLength(1);
    });
  });
});

describe('configFilesFromArgv', () => {
  it('reads both --config forms', () => {
    expect(
      configFilesFromArgv([
        'node',
        'x',
        '--config',
        'a.yaml',
        '--config=b.yaml',
      ]),
    ).toEqual(['a.yaml', 'b.yaml']);
  });
});

describe('the production config', () => {
  let secretsDir: string;
  beforeAll(() => {
    secretsDir = writeProductionSecrets();
  });
  afterAll(() => fs.rmSync(secretsDir, { recursive: true, force: true }));

  it('needs exactly the documented variables and secret files', () => {
    const env = { ...productionEnv, PORTAL_SECRETS_DIR: secretsDir };
    expect(findMissingVariables(productionFiles, env, repoRoot)).toEqual([]);
    expect(findMissingFiles(productionFiles, env, repoRoot)).toEqual([]);
    const missing = findMissingVariables(productionFiles, {}, repoRoot).map(
      m => m.name,
    );
    expect(new Set(missing)).toEqual(new Set(Object.keys(productionEnv)));
    // by default the files are where deploy/kubernetes mounts them
    expect(
      new Set(
        referencedFiles(productionFiles, {}, repoRoot).map(f =>
          path.dirname(f.path),
        ),
      ),
    ).toEqual(new Set(['/var/run/secrets/platform-portal']));
  });

  function startBackend(env: Record<string, string>) {
    const started = Date.now();
    const result = spawnSync(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.join(repoRoot, 'packages/backend/src/index.ts'),
        ...productionFiles.flatMap(f => ['--config', f]),
      ],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, ...env },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    return { ...result, ms: Date.now() - started };
  }

  it('stops the real backend at start, naming the missing variable', () => {
    const { POSTGRES_HOST, ...withoutHost } = productionEnv;
    const result = startBackend({
      ...withoutHost,
      PORTAL_SECRETS_DIR: secretsDir,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain(
      'POSTGRES_HOST (backend.database.connection.host in app-config.production.yaml)',
    );
    // it fails before any plugin starts or any database is contacted
    expect(result.stdout).not.toContain('Plugin initialization');
    expect(result.ms).toBeLessThan(60_000);
  }, 70_000);

  // Failed before: the check demanded GITHUB_TOKEN and PLATFORM_INGEST_TOKEN
  // (app-config.yaml's, replaced by secret files in production) and did not
  // look at the files.
  it('stops the real backend at start, naming the missing secret file and its key, not the others', () => {
    const password = path.join(secretsDir, 'postgres-password');
    const content = fs.readFileSync(password, 'utf8');
    fs.rmSync(password);
    try {
      const result = startBackend({
        ...productionEnv,
        PORTAL_SECRETS_DIR: secretsDir,
      });
      expect(result.status).toBe(78);
      expect(result.stderr).toContain(
        `${password}: missing (backend.database.connection.password in app-config.production.yaml)`,
      );
      expect(result.stderr).not.toContain('environment variable');
      expect(result.stdout).not.toContain('Plugin initialization');
      // no secret of the other files in the output
      for (const name of fs.readdirSync(secretsDir)) {
        const secret = fs
          .readFileSync(path.join(secretsDir, name), 'utf8')
          .trim();
        expect(result.stderr).not.toContain(secret);
        expect(result.stdout).not.toContain(secret);
      }
    } finally {
      fs.writeFileSync(password, content);
    }
  }, 70_000);
});
