import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Give a skeleton the portal's addresses: CI reports to the backend, the README links the component's page",
    example: yaml.stringify({
      steps: [
        {
          id: 'portal',
          action: 'platform:portal:info',
          name: "Read the portal's address",
        },
        {
          id: 'code',
          action: 'fetch:template',
          name: 'Render the service',
          input: {
            url: './skeleton',
            values: {
              portalUrl: '${{ steps.portal.output.baseUrl }}',
              portalApiUrl: '${{ steps.portal.output.backendUrl }}',
            },
          },
        },
      ],
    }),
  },
];
