import { Content, Header, Page } from '@backstage/core-components';
import { ReadinessOverview } from './ReadinessOverview';

/** The full readiness page for the legacy app, with its own header. */
export function ReadinessPageContent() {
  return (
    <Page themeId="tool">
      <Header
        title="Production readiness"
        subtitle="Levels across the estate: deploys, backups, restore tests and docs"
      />
      <Content>
        <ReadinessOverview />
      </Content>
    </Page>
  );
}
