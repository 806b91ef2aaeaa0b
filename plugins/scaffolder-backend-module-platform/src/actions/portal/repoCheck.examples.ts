import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check the code and GitOps repositories of a new service before anything is rendered',
    example: yaml.stringify({
      steps: [
        {
          id: 'check',
          action: 'platform:repo:check',
          name: 'Check the target repositories',
          input: {
            repoUrls: [
              'github.com?owner=Memo-2023&repo=mana-monorepo',
              'github.com?owner=Memo-2023&repo=mana-gitops',
            ],
          },
        },
      ],
    }),
  },
];
