/**
 * The hostile-input corpus for every template, through the real scaffolder's dry run, with a hostile
 * corpus in every free-text parameter (the parameters are read from each
 * template.yaml, so a new one is covered without touching this file).
 *
 * For each hostile value, either the template refuses it (its JSON schema:
 * a 400 naming the parameter; or one of our actions: a 4xx naming the
 * field), or every YAML and JSON file the template generates parses to the
 * same structure as with a plain value, the hostile value being one string
 * where the plain one was, and no workflow gains a GitHub expression.
 */
/* eslint-disable jest/no-export -- a test helper: it declares the corpus's
   describe blocks for the shard files that call it, and runs nothing itself */
import yaml from 'yaml';
import { readTree } from './actions';
import { FakeGitHub } from './FakeGitHub';
import {
  dryRun,
  GITOPS_FIXTURE,
  loadTemplate,
  Server,
  startScaffolder,
} from './templateHarness';

/** Values that break YAML, JSON, shell or GitHub expressions when pasted raw. */
const HOSTILE = [
  'first line\nkind: Injected',
  'crlf\r\nkey: value',
  'blank\n\nline',
  'say "hi"',
  "it's",
  '${{ secrets.GITHUB_TOKEN }}',
  'no',
  'null',
  'true',
  '1.10',
  '0o17',
  '*anchor',
  '&a',
  '!!binary aGk=',
  '- x',
  'key: value',
  '# not a comment',
  '{ a: 1 }',
  '[a, b]',
  '| block',
  ' padded ',
  'line\u2028separator',
];

/**
 * Every template, in the shard of the test file that runs its corpus
 * (`templates/hostileInputs.<shard>.dryRun.test.ts`); templates.dryRun.test.ts
 * checks that the shards cover the catalog location's templates.
 */
export const HOSTILE_CORPUS_SHARDS = {
  services: ['nestjs-service', 'sveltekit-web', 'astro-landing', 'expo-mobile'],
  infra: ['postgres-database', 'redis-cache', 's3-bucket'],
  delivery: ['rollback-service', 'promote-service'],
};

const ORG = 'Memo-2023';

type Shape = 'text' | 'patterned' | 'ref' | 'entity' | 'repo' | 'array';

interface Param {
  key: string;
  shape: Shape;
  /** For `ref`: the entity kind the picker offers, e.g. group. */
  kind?: string;
  pattern?: RegExp;
}

/** The template's free-text parameters (strings and string arrays without an enum). */
function freeTextParams(template: any): Param[] {
  const params: Param[] = [];
  for (const page of [template.spec.parameters ?? []].flat()) {
    for (const [key, prop] of Object.entries<any>(page.properties ?? {})) {
      const field = prop['ui:field'];
      const kind = prop['ui:options']?.catalogFilter?.kind;
      if (prop.type === 'array') {
        if (prop.items?.type === 'string' && !prop.items.enum) {
          params.push({ key, shape: 'array' });
        }
      } else if (prop.type === 'string' && !prop.enum) {
        if (field === 'RepoUrlPicker') params.push({ key, shape: 'repo' });
        else if (kind === 'Component') params.push({ key, shape: 'entity' });
        else if (kind) {
          params.push({ key, shape: 'ref', kind: String(kind).toLowerCase() });
        } else if (prop.pattern) {
          params.push({
            key,
            shape: 'patterned',
            pattern: new RegExp(prop.pattern),
          });
        } else params.push({ key, shape: 'text' });
      }
    }
  }
  return params;
}

/** A plain value (a marker that lands recognisably), and what of it lands in files. */
function plain(param: Param): { value: unknown; marker?: string } {
  const marker = `plain${param.key.toLowerCase()}`;
  switch (param.shape) {
    case 'text':
      return { value: marker, marker };
    case 'patterned': {
      const value = [marker, `${marker}.how`].find(v => param.pattern!.test(v));
      if (!value) throw new Error(`No plain value for ${param.key}`);
      return { value, marker: value };
    }
    case 'ref':
      return { value: `${param.kind}:default/${marker}`, marker };
    case 'entity':
      return { value: 'component:default/quote-backend' };
    case 'repo':
      return { value: `github.com?owner=${ORG}&repo=${marker}`, marker };
    case 'array':
      return { value: [`https://${marker}.how`] };
    default:
      throw new Error(param.shape);
  }
}

/** The ways a hostile value reaches a parameter, and what of it lands in files. */
function hostile(
  param: Param,
  value: string,
): Array<{ how: string; value: unknown; landed?: string }> {
  switch (param.shape) {
    case 'text':
    case 'patterned':
      return [{ how: 'as the value', value, landed: value }];
    case 'ref':
      return [
        {
          how: `as the name of a ${param.kind}`,
          value: `${param.kind}:default/${value}`,
          landed: value,
        },
      ];
    case 'entity':
      return [
        { how: 'as the value', value },
        { how: 'as a component name', value: `component:default/${value}` },
      ];
    case 'repo':
      return [
        { how: 'as the value', value },
        {
          how: 'as the repository name',
          value: `github.com?owner=${ORG}&repo=${encodeURIComponent(value)}`,
          landed: value,
        },
      ];
    case 'array':
      return [{ how: 'as an item', value: [value] }];
    default:
      throw new Error(param.shape);
  }
}

const STRUCTURED = /\.(ya?ml|json)$/;

/** Every YAML document of a file (JSON is YAML), or the parse error. */
function parseFile(file: string, content: string): unknown {
  const documents = yaml.parseAllDocuments(content, { uniqueKeys: true });
  const docs = Array.isArray(documents) ? documents : [documents];
  for (const doc of docs) {
    if (doc.errors.length) {
      return { unparseable: `${file}: ${doc.errors[0].message}` };
    }
  }
  return docs.map(doc => doc.toJS());
}

/** Replaces a marker in every string and key of a parsed document. */
function mapStrings(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map(v => mapStrings(v, from, to));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k.split(from).join(to),
        mapStrings(v, from, to),
      ]),
    );
  }
  return value;
}

/** The GitHub expressions of every workflow, by file. */
function workflowExpressions(files: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(files)
      .filter(([file]) => file.includes('.github/workflows/'))
      .map(([file, content]) => [
        file,
        [...content.matchAll(/\$\{\{[\s\S]*?\}\}/g)].map(m => m[0]).sort(),
      ]),
  );
}

/** What a refusal by one of our actions names, per kind of parameter. */
const ACTION_REFUSAL: Record<Shape, RegExp> = {
  text: /^$/, // no action refuses free text: it must land safely
  patterned: /^(name|postgres\.database|redis\.keyPrefix|tag|environment)\b/,
  ref: /^(owner|system|environments)\b/,
  entity:
    /^(entityRef\b|component:\S+ is not in the catalog|component:\S+ comes from)/,
  repo: /^repoUrls\[\d\]/,
  array: /^bucket\.corsOrigins/,
};

/**
 * The corpus against each of the given templates: a describe block per
 * template (the templates are split over a few test files, so that Jest's
 * workers share the ~1,500 dry runs).
 */
export function describeHostileCorpus(templates: string[]) {
  describe.each(templates)('%s with hostile input', name => {
    const github = new FakeGitHub();
    let server: Server;
    const template = loadTemplate(name);
    const params = freeTextParams(template);
    const plainValues = Object.fromEntries(
      params.map(p => [p.key, plain(p).value]),
    );
    let baseline: Record<string, string>;

    /** The GitOps repository rollback and promotion fetch from, by any name. */
    const ensureRepo = (repo: string) => {
      if (!/^[A-Za-z0-9._-]+$/.test(repo) || repo === '.' || repo === '..') {
        return;
      }
      try {
        github.createRepo(ORG, repo, readTree(GITOPS_FIXTURE));
      } catch {
        // already there
      }
    };

    beforeAll(async () => {
      await github.start();
      for (const p of params) {
        if (p.shape === 'repo') ensureRepo(plain(p).marker!);
      }
      server = await startScaffolder({ github });
      const { response, files } = await dryRun(server, name, plainValues);
      if (response.status !== 200) {
        throw new Error(
          `The plain run of ${name} failed: HTTP ${
            response.status
          } ${JSON.stringify(response.body).slice(0, 500)}`,
        );
      }
      baseline = files;
    });
    afterAll(() => github.stop());

    it('has free-text parameters to try', () => {
      expect(params.length).toBeGreaterThan(0);
      expect(Object.keys(baseline).length).toBeGreaterThan(0);
    });

    /**
     * One case per hostile value and way in: the free-text parameters (which
     * no pattern or action guards) all at once, the others one at a time.
     */
    const texts = params.filter(p => p.shape === 'text');
    const cases: Array<{
      label: string;
      params: Param[];
      values: Record<string, unknown>;
      /** [plain marker, what lands instead] per parameter that lands. */
      landings: Array<[string, string]>;
    }> = HOSTILE.flatMap(value => [
      ...(texts.length
        ? [
            {
              label: `${texts.map(p => p.key).join(', ')} as ${JSON.stringify(
                value,
              )}`,
              params: texts,
              values: Object.fromEntries(texts.map(p => [p.key, value])),
              landings: texts.map(
                p => [plain(p).marker!, value] as [string, string],
              ),
            },
          ]
        : []),
      ...params
        .filter(p => p.shape !== 'text')
        .flatMap(param =>
          hostile(param, value).map(way => ({
            label: `${param.key} ${way.how} ${JSON.stringify(way.value)}`,
            params: [param],
            values: { [param.key]: way.value },
            landings:
              way.landed === undefined || !plain(param).marker
                ? []
                : [[plain(param).marker!, way.landed] as [string, string]],
          })),
        ),
    ]);

    it.each(cases.map(c => [c.label, c]))(
      '%s: refused, or one string where the plain value was',
      async (_label, c) => {
        const { params: tried, values, landings } = c as (typeof cases)[number];
        for (const param of tried) {
          const landed = landings.find(([m]) => m === plain(param).marker)?.[1];
          if (param.shape === 'repo' && landed !== undefined)
            ensureRepo(landed);
        }
        const { response, files } = await dryRun(server, name, {
          ...plainValues,
          ...values,
        });
        const status = response.status;
        const body = response.body;
        let seen: unknown;
        let wanted: unknown;

        if (status === 400 && Array.isArray(body.errors)) {
          // Refused by the template's own schema, before anything ran.
          const named = new RegExp(`^(${tried.map(p => p.key).join('|')})\\b`);
          const fields: string[] = body.errors.map((e: any) =>
            e.path.join('.'),
          );
          seen = {
            refusedBy: 'the template',
            otherFields: fields.filter(f => !named.test(f)),
          };
          wanted = { refusedBy: 'the template', otherFields: [] };
        } else if (status !== 200) {
          // Refused by one of our actions, with a 4xx naming the field.
          const message = String(body.error?.message);
          seen = {
            refusedBy: 'an action',
            message,
            clientError: status >= 400 && status < 500,
            namesTheField: ACTION_REFUSAL[tried[0].shape].test(message),
          };
          wanted = {
            refusedBy: 'an action',
            message,
            clientError: true,
            namesTheField: true,
          };
        } else {
          // Accepted: the same files, the same structure, the value as one
          // string where the plain one was, no new GitHub expression.
          const rename = (file: string) =>
            landings.reduce(
              (f, [marker, landed]) => f.split(marker).join(landed),
              file,
            );
          const expected: Record<string, unknown> = {};
          const actual: Record<string, unknown> = {};
          for (const [file, content] of Object.entries(baseline)) {
            if (!STRUCTURED.test(file)) continue;
            expected[rename(file)] = landings.reduce(
              (doc, [marker, landed]) => mapStrings(doc, marker, landed),
              parseFile(file, content),
            );
          }
          for (const [file, content] of Object.entries(files)) {
            if (STRUCTURED.test(file)) actual[file] = parseFile(file, content);
          }
          seen = { files: actual, expressions: workflowExpressions(files) };
          wanted = {
            files: expected,
            expressions: Object.fromEntries(
              Object.entries(workflowExpressions(baseline)).map(
                ([file, list]) => [rename(file), list],
              ),
            ),
          };
        }
        expect(seen).toEqual(wanted);
      },
    );
  });
}
