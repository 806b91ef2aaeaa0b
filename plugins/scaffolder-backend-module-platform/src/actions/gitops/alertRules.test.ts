import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { itWithPromtool, promtool } from '../../__testUtils__/promtool';
import { ALERT_RULES, renderAlertRules } from './alertRules';

const MONITORING = path.resolve(__dirname, '../../../../../deploy/monitoring');
const ESTATE_RULES = path.join(MONITORING, 'alert-rules.yaml');

describe('the estate alert rules', () => {
  it('deploy/monitoring/alert-rules.yaml is what alertRules.ts renders (UPDATE_GOLDEN=1 rewrites it)', () => {
    const rendered = renderAlertRules({});
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(ESTATE_RULES, rendered);
    expect(fs.readFileSync(ESTATE_RULES, 'utf8')).toBe(rendered);
  });

  it('are the five rules of the estate plan, each with a runbook in TechDocs', () => {
    const { groups } = yaml.parse(renderAlertRules({}));
    const rules = groups[0].rules;
    expect(
      rules.map((r: any) => [r.alert, r.for ?? null, r.labels.severity]),
    ).toEqual([
      ['ServiceDown', '2m', 'critical'],
      ['HighErrorRate', null, 'critical'],
      ['HighCpuUsage', '5m', 'warning'],
      ['HighMemoryUsage', '5m', 'warning'],
      ['DiskSpaceLow', null, 'critical'],
    ]);
    // Each runbook anchor is a section of the incident-response runbook.
    const runbook = fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../../../docs/runbooks/incident-response.md',
      ),
      'utf8',
    );
    for (const rule of rules) {
      const anchor = rule.annotations.runbook_url.split('#')[1];
      expect(runbook).toContain(`](#${anchor})`);
      expect(rule.annotations.runbook_url).toMatch(
        /^https:\/\/portal\.mana\.how\/docs\/default\/system\/platform-portal\/runbooks\/incident-response\/#/,
      );
    }
  });

  itWithPromtool('pass promtool check rules', () => {
    expect(promtool(['check', 'rules', ESTATE_RULES])).toContain(
      'SUCCESS: 5 rules found',
    );
  });

  itWithPromtool(
    'pass their promtool unit tests (each fires, resolves and stays quiet where it should)',
    () => {
      expect(
        promtool(['test', 'rules', 'alert-rules.test.yaml'], MONITORING),
      ).toContain('SUCCESS');
    },
  );

  itWithPromtool(
    'the unit tests fail when a threshold changes (they can fail)',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-rules-'));
      try {
        fs.writeFileSync(
          path.join(dir, 'alert-rules.yaml'),
          fs.readFileSync(ESTATE_RULES, 'utf8').replace('> 0.8', '> 0.95'),
        );
        fs.copyFileSync(
          path.join(MONITORING, 'alert-rules.test.yaml'),
          path.join(dir, 'alert-rules.test.yaml'),
        );
        expect(() =>
          promtool(['test', 'rules', 'alert-rules.test.yaml'], dir),
        ).toThrow(/alertname: HighCpuUsage/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  itWithPromtool(
    'rendered for one service: every selector and every alert names the service',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-rules-'));
      try {
        const content = renderAlertRules({
          service: 'quote-backend',
          portalUrl: 'https://portal.example.com/',
        });
        const file = path.join(dir, 'rules.yaml');
        fs.writeFileSync(file, content);
        expect(promtool(['check', 'rules', file])).toContain(
          'SUCCESS: 5 rules found',
        );
        const rules = yaml.parse(content).groups[0].rules;
        expect(rules).toHaveLength(ALERT_RULES.length);
        for (const rule of rules) {
          expect(rule.labels.service).toBe('quote-backend');
          // Every series selector: name{...service="quote-backend"...}
          const selectors = rule.expr.match(/[a-z_]+\{[^}]*\}/g);
          expect(selectors.length).toBeGreaterThan(0);
          for (const selector of selectors) {
            expect(selector).toContain('service="quote-backend"');
          }
          expect(rule.expr.replace(/[a-z_]+\{[^}]*\}/g, '')).not.toMatch(
            /(container|node|http|up|probe)_?[a-z_]*\b(?![({])/,
          );
          expect(rule.annotations.runbook_url).toMatch(
            /^https:\/\/portal\.example\.com\/docs\//,
          );
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
