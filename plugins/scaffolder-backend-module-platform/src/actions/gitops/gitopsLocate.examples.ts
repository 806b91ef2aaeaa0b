import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Find a component's production overlay, then fetch it into the workspace where platform:gitops:set-image expects it",
    example: yaml.stringify({
      steps: [
        {
          id: 'locate',
          action: 'platform:gitops:locate',
          name: 'Find the service in the GitOps repository',
          input: {
            entityRef: 'component:default/quote-backend',
            environment: 'production',
          },
        },
        {
          id: 'checkout',
          action: 'fetch:plain',
          name: 'Fetch the overlay',
          input: {
            url: 'https://github.com/Memo-2023/mana-gitops/tree/main/${{ steps.locate.output.overlayPath }}',
            targetPath: 'gitops/${{ steps.locate.output.overlayPath }}',
          },
        },
      ],
    }),
  },
];
