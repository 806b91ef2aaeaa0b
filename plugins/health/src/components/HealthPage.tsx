import { Content, Header, Page } from '@backstage/core-components';
import { HealthOverview } from './HealthOverview';

/** The full health page for the legacy app, with its own header. */
export function HealthPageContent() {
  return (
    <Page themeId="tool">
      <Header
        title="Service health"
        subtitle="Firing alerts by team and severity, and every service's uptime SLO"
      />
      <Content>
        <HealthOverview />
      </Content>
    </Page>
  );
}
