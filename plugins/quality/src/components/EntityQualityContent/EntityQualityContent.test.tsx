import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { QualityApi, qualityApiRef } from '../../api/QualityApi';
import { history, report, scans } from '../__fixtures__/quality';
import { EntityQualityContent } from './EntityQualityContent';

function entity(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'chat-backend', annotations },
    spec: { type: 'service' },
  };
}

async function render(api: Partial<QualityApi>, e: Entity = entity()) {
  return renderInTestApp(
    <TestApiProvider apis={[[qualityApiRef, api]]}>
      <EntityProvider entity={e}>
        <EntityQualityContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

async function forbidden(message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message },
        response: { statusCode: 403 },
      }),
      { status: 403, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}

const full: Partial<QualityApi> = {
  getCoverage: async () => report,
  getCoverageHistory: async () => history,
  getImageScans: async () => scans,
};

describe('EntityQualityContent', () => {
  it('shows line and branch coverage against 80 %, and the files below target', async () => {
    const getCoverageHistory = jest.fn().mockResolvedValue(history);
    await render({ ...full, getCoverageHistory });
    expect(await screen.findByText(/Lines: 84 %/)).toBeInTheDocument();
    expect(screen.getByText(/Branches: 70 %/)).toBeInTheDocument();
    expect(screen.getByText('Meets 80 %')).toBeInTheDocument();
    expect(screen.getByText('Below 80 %')).toBeInTheDocument();
    expect(getCoverageHistory).toHaveBeenCalledWith(
      'component:default/chat-backend',
      60,
    );
    expect(screen.getByText('Files below 80 % (1 of 4)')).toBeInTheDocument();
    expect(screen.getByText('src/util/strings.ts')).toBeInTheDocument();
    expect(screen.queryByText('src/server.ts')).not.toBeInTheDocument();
    expect(screen.getAllByText('Demo data').length).toBeGreaterThan(0);
  });

  it('holds the annotated critical paths to 100 % and names the files short of it', async () => {
    await render(
      full,
      entity({ 'platform-portal.dev/critical-paths': 'src/payments/**' }),
    );
    expect(await screen.findByText(/Lines: 95 %/)).toBeInTheDocument();
    expect(screen.getByText('Below 100 %')).toBeInTheDocument();
    expect(
      screen.getByText('src/payments/charge.ts: 90 % (1 lines not covered)'),
    ).toBeInTheDocument();
  });

  it('tells how to declare critical paths when the annotation is missing', async () => {
    await render(full);
    expect(
      await screen.findByText(/No critical paths declared/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText('platform-portal.dev/critical-paths').length,
    ).toBeGreaterThan(0);
  });

  it('shows per environment the counts of the version live there, production first, and how long each CRITICAL has been open', async () => {
    await render(full);
    const production = await screen.findByLabelText(
      'production counts by severity',
    );
    expect(within(production).getByText('CRITICAL 1')).toBeInTheDocument();
    expect(within(production).getByText('HIGH 1')).toBeInTheDocument();
    expect(within(production).getByText('LOW 0')).toBeInTheDocument();
    const staging = screen.getByLabelText('staging counts by severity');
    expect(within(staging).getByText('LOW 1')).toBeInTheDocument();
    expect(screen.getByText(/production – 1.4.2/)).toBeInTheDocument();
    expect(screen.getByText('CRITICAL open in production')).toBeInTheDocument();
    expect(screen.getByText('12 d')).toBeInTheDocument();
    expect(screen.getAllByText('CVE-2026-0001').length).toBe(2);
    expect(screen.getByText('3.0.13')).toBeInTheDocument();
    expect(screen.getByText('no fix yet')).toBeInTheDocument();
    const headings = screen
      .getAllByText(/^(production|staging) – /)
      .map(e => e.textContent);
    expect(headings[0]).toMatch(/^production/);
  });

  it('tells what to do when nothing was reported', async () => {
    await render({
      getCoverage: async () => undefined,
      getCoverageHistory: jest.fn(),
      getImageScans: async () => ({
        ...scans,
        environments: scans.environments.map(e => ({
          environment: e.environment,
          version: e.version,
          scanned: false,
          counts: e.counts,
          findings: [],
        })),
      }),
    });
    expect(
      await screen.findByText('No test coverage reported yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /scripts\/report-coverage --entity component:default\/chat-backend/,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No image scan reported yet'),
    ).toBeInTheDocument();
  });

  it('shows each backend error in its own section; the other still shows', async () => {
    await render({
      ...full,
      getCoverage: async () => {
        throw await forbidden('Missing permission code-coverage.read');
      },
    });
    expect(
      (await screen.findAllByText(/Missing permission code-coverage.read/))
        .length,
    ).toBeGreaterThan(0);
    expect(
      await screen.findByLabelText('production counts by severity'),
    ).toBeInTheDocument();
  });
});
