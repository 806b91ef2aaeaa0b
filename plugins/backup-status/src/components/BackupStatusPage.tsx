import { Content, Header, Page } from '@backstage/core-components';
import { BackupOverview } from './BackupOverview';

/** The full backups page for the legacy app, with its own header. */
export function BackupStatusPageContent() {
  return (
    <Page themeId="tool">
      <Header
        title="Backups"
        subtitle="Backup freshness, completeness and restore tests against each policy"
      />
      <Content>
        <BackupOverview />
      </Content>
    </Page>
  );
}
