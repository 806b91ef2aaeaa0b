import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { readReadinessConfig } from './config';

const levels = [
  { id: 'bronze', title: 'Bronze' },
  { id: 'silver', title: 'Silver' },
];
const fix = {
  title: 'Deploy',
  url: '/docs/default/system/platform-portal/runbooks/deploy/',
};
const check = (over: Record<string, unknown> = {}) => ({
  type: 'json-rules-engine',
  name: 'Deploys often',
  description: 'More than 5 production deploys a week',
  factIds: ['platformDeploys'],
  metadata: { level: 'bronze', category: 'deploys', fix },
  rule: {
    conditions: {
      all: [
        {
          fact: 'deploys',
          path: '$.productionDeploysPerWeek',
          operator: 'greaterThan',
          value: 5,
        },
      ],
    },
  },
  ...over,
});
const read = (data: Record<string, unknown>) =>
  readReadinessConfig(new ConfigReader(data as JsonObject));
const withChecks = (checks: Record<string, unknown>, lv: unknown = levels) =>
  read({
    readiness: { levels: lv },
    techInsights: { factChecker: { checks } },
  });

describe('readReadinessConfig', () => {
  it("reads the repository's app-config.yaml: three levels, each with checks that link their fix", () => {
    const config = readReadinessConfig(
      new ConfigReader(
        yaml.parse(
          fs.readFileSync(
            path.resolve(__dirname, '../../../app-config.yaml'),
            'utf8',
          ),
        ),
      ),
    );
    expect(config.levels.map(l => l.id)).toEqual(['bronze', 'silver', 'gold']);
    for (const level of config.levels) {
      expect(config.checks.some(c => c.level === level.id)).toBe(true);
    }
    expect(new Set(config.checks.map(c => c.category))).toEqual(
      new Set(['catalog', 'docs', 'deploys', 'backups', 'quality', 'health']),
    );
  });

  it('reads levels, checks and their fix links', () => {
    const config = withChecks({
      'deploy-frequency': check(),
      'deploy-success': check({
        metadata: { level: 'silver', category: 'deploys', fix },
      }),
    });
    expect(config.checks[0]).toEqual({
      id: 'deploy-frequency',
      name: 'Deploys often',
      description: 'More than 5 production deploys a week',
      level: 'bronze',
      category: 'deploys',
      factIds: ['platformDeploys'],
      fix: {
        title: 'Deploy',
        url: '/docs/default/system/platform-portal/runbooks/deploy/',
      },
    });
    expect(config.schedule.frequency).toEqual({ minutes: 30 });
  });

  it.each([
    [
      'a level no level list has',
      {
        'deploy-frequency': check({
          metadata: { level: 'platinum', category: 'deploys', fix },
        }),
        other: check({
          metadata: { level: 'silver', category: 'deploys', fix },
        }),
      },
      "techInsights.factChecker.checks.deploy-frequency.metadata.level: 'platinum' is not a level of readiness.levels (bronze, silver)",
    ],
    [
      'no fix link',
      {
        'deploy-frequency': check({
          metadata: { level: 'bronze', category: 'deploys' },
        }),
      },
      'techInsights.factChecker.checks.deploy-frequency.metadata.fix: must link the runbook or template that fixes the check',
    ],
    [
      'a fix link off the portal',
      {
        'deploy-frequency': check({
          metadata: {
            level: 'bronze',
            category: 'deploys',
            fix: { title: 'x', url: ['javascript', 'alert(1)'].join(':') },
          },
        }),
      },
      'techInsights.factChecker.checks.deploy-frequency.metadata.fix.url: must be a runbook (/docs/...) or template (/create/templates/...) path of the portal',
    ],
    [
      'another checker type',
      { 'deploy-frequency': check({ type: 'opa' }) },
      "techInsights.factChecker.checks.deploy-frequency.type: must be 'json-rules-engine'",
    ],
    [
      'a rule without all or any',
      {
        'deploy-frequency': check({
          rule: { conditions: { fact: 'deploys' } },
        }),
      },
      'techInsights.factChecker.checks.deploy-frequency.rule.conditions',
    ],
    [
      'a level without checks',
      { 'deploy-frequency': check() },
      'readiness.levels[1]: no check of techInsights.factChecker.checks has metadata.level silver',
    ],
  ])('refuses %s, naming the key', (_label, checks, message) => {
    expect(() => withChecks(checks)).toThrow(message);
  });

  it('evaluates nothing when neither levels nor checks are configured', () => {
    expect(read({})).toMatchObject({ levels: [], checks: [] });
    expect(() => read({ readiness: { levels } })).toThrow(
      'techInsights.factChecker.checks: no check is configured',
    );
  });

  it('refuses levels listed twice or badly named', () => {
    expect(() =>
      withChecks({ a: check() }, [
        { id: 'bronze', title: 'B' },
        { id: 'bronze', title: 'B again' },
      ]),
    ).toThrow('readiness.levels[1].id: bronze is listed twice');
    expect(() =>
      withChecks({ a: check() }, [{ id: 'Gold!', title: 'G' }]),
    ).toThrow(
      'readiness.levels[0].id: must be lower-case letters, digits and -',
    );
    expect(() => withChecks({ a: check() }, [])).toThrow(
      'readiness.levels: must name at least one level, lowest first',
    );
  });
});
