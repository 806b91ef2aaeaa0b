/**
 * FAKE GitHub: a local HTTP server that implements the GitHub REST (and one
 * GraphQL) endpoints that `publish:github:pull-request` and Backstage's
 * GitHub URL reader call, as GitHub documents them
 * (https://docs.github.com/en/rest/git, /rest/pulls, /rest/repos/contents,
 * /rest/commits/statuses, /rest/repos/contents#download-a-repository-archive-tar),
 * backed by real bare git repositories: blobs, trees, commits and refs are
 * made with git's own plumbing, so a test reads the branch with `git`.
 *
 * It stands in for github.com only because a code host's API cannot run
 * here; configure it as `integrations.github[].apiBaseUrl`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A pull request as the fake stores it. */
export type FakePullRequest = {
  number: number;
  owner: string;
  repo: string;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
};

type Handler = (
  match: RegExpMatchArray,
  body: any,
  url: URL,
  req: http.IncomingMessage,
) => { status: number; json?: unknown; raw?: Buffer; type?: string };

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Fake GitHub',
  GIT_AUTHOR_EMAIL: 'fake@github.invalid',
  GIT_COMMITTER_NAME: 'Fake GitHub',
  GIT_COMMITTER_EMAIL: 'fake@github.invalid',
};

export class FakeGitHub {
  readonly pulls: FakePullRequest[] = [];
  /** Every request, as `METHOD /path`, for assertions on what was called. */
  readonly requests: string[] = [];
  private readonly root = fs.mkdtempSync(
    path.join(os.tmpdir(), 'fake-github-'),
  );
  private server?: http.Server;
  private baseUrl = '';

  /** `http://127.0.0.1:<port>/api/v3`, as for GitHub Enterprise. */
  get apiBaseUrl() {
    return `${this.baseUrl}/api/v3`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise(resolve => this.server?.close(resolve));
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** The bare repository of owner/repo. */
  repoDir(owner: string, repo: string) {
    return path.join(this.root, owner, `${repo}.git`);
  }

  git(owner: string, repo: string, args: string[], input?: string | Buffer) {
    return execFileSync('git', args, {
      cwd: this.repoDir(owner, repo),
      env: { ...process.env, ...GIT_ENV },
      input,
      maxBuffer: 64 * 1024 * 1024,
    });
  }

  /** Creates owner/repo with one commit on main holding `files`. */
  createRepo(owner: string, repo: string, files: Record<string, string>) {
    const dir = this.repoDir(owner, repo);
    fs.mkdirSync(dir, { recursive: true });
    this.git(owner, repo, [
      'init',
      '--bare',
      '--quiet',
      '--initial-branch=main',
    ]);
    const tree = this.writeTree(
      owner,
      repo,
      undefined,
      Object.entries(files).map(([file, content]) => ({
        path: file,
        mode: '100644',
        sha: this.hashObject(owner, repo, Buffer.from(content)),
      })),
    );
    const commit = this.git(owner, repo, [
      'commit-tree',
      tree,
      '-m',
      'Initial commit',
    ])
      .toString()
      .trim();
    this.git(owner, repo, ['update-ref', 'refs/heads/main', commit]);
  }

  /** The files of a branch, by path. */
  readBranch(owner: string, repo: string, branch: string) {
    const names = this.git(owner, repo, [
      'ls-tree',
      '-r',
      '--name-only',
      branch,
    ])
      .toString()
      .split('\n')
      .filter(Boolean);
    return Object.fromEntries(
      names.map(name => [
        name,
        this.git(owner, repo, ['show', `${branch}:${name}`]).toString(),
      ]),
    );
  }

  private hashObject(owner: string, repo: string, content: Buffer) {
    return this.git(owner, repo, ['hash-object', '-w', '--stdin'], content)
      .toString()
      .trim();
  }

  private writeTree(
    owner: string,
    repo: string,
    baseTree: string | undefined,
    entries: Array<{ path: string; mode: string; sha: string | null }>,
  ) {
    const index = path.join(this.root, `index-${process.hrtime.bigint()}`);
    const env = { GIT_INDEX_FILE: index };
    const run = (args: string[]) =>
      execFileSync('git', args, {
        cwd: this.repoDir(owner, repo),
        env: { ...process.env, ...GIT_ENV, ...env },
      });
    try {
      if (baseTree) run(['read-tree', baseTree]);
      else run(['read-tree', '--empty']);
      for (const entry of entries) {
        if (entry.sha === null) {
          run(['update-index', '--force-remove', entry.path]);
        } else {
          run([
            'update-index',
            '--add',
            '--cacheinfo',
            `${entry.mode},${entry.sha},${entry.path}`,
          ]);
        }
      }
      return run(['write-tree']).toString().trim();
    } finally {
      fs.rmSync(index, { force: true });
    }
  }

  private repoJson(owner: string, repo: string) {
    const base = `${this.apiBaseUrl}/repos/${owner}/${repo}`;
    return {
      id: 1,
      name: repo,
      full_name: `${owner}/${repo}`,
      owner: { login: owner, type: 'Organization' },
      private: false,
      html_url: `https://github.com/${owner}/${repo}`,
      default_branch: 'main',
      archive_url: `${base}/{archive_format}{/ref}`,
      trees_url: `${base}/git/trees{/sha}`,
    };
  }

  private resolve(owner: string, repo: string, ref: string) {
    try {
      return this.git(owner, repo, ['rev-parse', '--verify', `${ref}^{commit}`])
        .toString()
        .trim();
    } catch {
      return undefined;
    }
  }

  private routes: Array<[string, RegExp, Handler]> = [
    [
      'GET',
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)$/,
      ([, owner, repo], _, __, req) => ({
        status: 200,
        json: {
          ...this.repoJson(owner, repo),
          // GitHub adds the caller's permissions to authenticated requests.
          ...(req.headers.authorization
            ? { permissions: { admin: false, push: true, pull: true } }
            : {}),
        },
      }),
    ],
    [
      'GET',
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/commits$/,
      ([, owner, repo], _, url) => {
        const sha = this.resolve(
          owner,
          repo,
          url.searchParams.get('sha') ?? 'main',
        );
        if (!sha) return { status: 404, json: { message: 'Not Found' } };
        const tree = this.git(owner, repo, ['rev-parse', `${sha}^{tree}`])
          .toString()
          .trim();
        return {
          status: 200,
          json: [{ sha, commit: { tree: { sha: tree } } }],
        };
      },
    ],
    [
      'GET',
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/commits\/(.+)\/status$/,
      ([, owner, repo, ref]) => {
        const sha = this.resolve(owner, repo, decodeURIComponent(ref));
        if (!sha) return { status: 404, json: { message: 'Not Found' } };
        return {
          status: 200,
          json: {
            sha,
            state: 'success',
            repository: this.repoJson(owner, repo),
          },
        };
      },
    ],
    [
      'GET',
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/tarball\/(.+)$/,
      ([, owner, repo, ref]) => {
        const sha = this.resolve(owner, repo, decodeURIComponent(ref));
        if (!sha) return { status: 404, json: { message: 'Not Found' } };
        const raw = this.git(owner, repo, [
          'archive',
          '--format=tar.gz',
          `--prefix=${owner}-${repo}-${sha.slice(0, 7)}/`,
          sha,
        ]);
        return { status: 200, raw, type: 'application/x-gzip' };
      },
    ],
    [
      'GET',
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/,
      ([, owner, repo, file], _, url, req) => {
        const ref = url.searchParams.get('ref') ?? 'main';
        let content: Buffer;
        try {
          content = this.git(owner, repo, [
            'show',
            `${ref}:${decodeURIComponent(file)}`,
          ]);
        } catch {
          return { status: 404, json: { message: 'Not Found' } };
        }
        if (String(req.headers.accept).includes('raw')) {
          return { status: 200, raw: content, type: 'text/plain' };
        }
        return {
          status: 200,
          json: {
            type: 'file',
            encoding: 'base64',
            content: content.toString('base64'),
          },
        };
      },
    ],
    [
      'POST',
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/git\/blobs$/,
      ([, owner, repo], body) => ({
        status: 201,
        json: {
          sha: this.hashObject(
            owner,
            repo,
            Buffer.from(
              body.content,
              body.encoding === 'base64' ? 'base64' : 'utf8',
            ),
          ),
        },
      }),
    ],
    [
      'POST',
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/git\/trees$/,
      ([, owner, repo], body) => {
        const entries = (body.tree as any[]).map(entry => ({
          path: entry.path,
          mode: entry.mode,
          sha:
            entry.content !== undefined
              ? this.hashObject(owner, repo, Buffer.from(entry.content))
              : entry.sha,
        }));
        return {
          status: 201,
          json: { sha: this.writeTree(owner, repo, body.base_tree, entries) },
        };
      },
    ],
    [
      'POST',
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/git\/commits$/,
      ([, owner, repo], body) => {
        const args = ['commit-tree', body.tree, '-m', body.message];
        for (const parent of body.parents ?? []) args.push('-p', parent);
        const sha = this.git(owner, repo, args).toString().trim();
        return { status: 201, json: { sha, tree: { sha: body.tree } } };
      },
    ],
    [
      'POST',
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/git\/refs$/,
      ([, owner, repo], body) => {
        if (this.resolve(owner, repo, body.ref)) {
          return { status: 422, json: { message: 'Reference already exists' } };
        }
        this.git(owner, repo, ['update-ref', body.ref, body.sha]);
        return {
          status: 201,
          json: { ref: body.ref, object: { sha: body.sha } },
        };
      },
    ],
    [
      'PATCH',
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/git\/refs\/(.+)$/,
      ([, owner, repo, ref], body) => {
        this.git(owner, repo, [
          'update-ref',
          `refs/${decodeURIComponent(ref)}`,
          body.sha,
        ]);
        return { status: 200, json: { ref, object: { sha: body.sha } } };
      },
    ],
    [
      'POST',
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/pulls$/,
      ([, owner, repo], body) => {
        const head = String(body.head).replace(/^[^:]+:/, '');
        if (!this.resolve(owner, repo, `refs/heads/${head}`)) {
          return { status: 422, json: { message: `No branch ${head}` } };
        }
        const pull: FakePullRequest = {
          number: this.pulls.length + 1,
          owner,
          repo,
          title: body.title,
          body: body.body ?? '',
          head,
          base: body.base,
          draft: Boolean(body.draft),
        };
        this.pulls.push(pull);
        return {
          status: 201,
          json: {
            number: pull.number,
            html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}`,
            head: { ref: head },
            base: { ref: pull.base },
          },
        };
      },
    ],
    [
      'POST',
      /^\/api\/graphql$/,
      (_, body) => {
        // The one query octokit-plugin-create-pull-request sends: does the
        // head branch exist, and has it an open pull request?
        const { owner, repo, head } = body.variables;
        const exists = this.resolve(owner, repo, `refs/heads/${head}`);
        return {
          status: 200,
          json: {
            data: {
              repository: {
                ref: exists ? { associatedPullRequests: { edges: [] } } : null,
              },
            },
          },
        };
      },
    ],
  ];

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url!, this.baseUrl);
      this.requests.push(`${req.method} ${url.pathname}`);
      let answer: ReturnType<Handler> = {
        status: 404,
        json: {
          message: `Fake GitHub: no route for ${req.method} ${url.pathname}`,
        },
      };
      try {
        for (const [method, pattern, handler] of this.routes) {
          const match = url.pathname.match(pattern);
          if (match && req.method === method) {
            const text = Buffer.concat(chunks).toString('utf8');
            answer = handler(match, text ? JSON.parse(text) : {}, url, req);
            break;
          }
        }
      } catch (error) {
        answer = { status: 500, json: { message: String(error) } };
      }
      if (answer.raw) {
        res.writeHead(answer.status, { 'content-type': answer.type! });
        res.end(answer.raw);
      } else {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.json));
      }
    });
  }
}
