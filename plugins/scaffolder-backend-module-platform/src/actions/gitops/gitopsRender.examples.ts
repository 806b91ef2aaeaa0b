import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'The manifests of a new NestJS backend, in the gitops directory of the workspace',
    example: yaml.stringify({
      steps: [
        {
          id: 'gitops',
          action: 'platform:gitops:render',
          name: 'Render GitOps manifests',
          input: {
            name: 'quote-backend',
            system: 'quote',
            kind: 'service',
            image: 'ghcr.io/memo-2023/quote-backend',
            port: 3000,
            domain: 'mana.how',
            path: 'gitops',
          },
        },
      ],
    }),
  },
];
