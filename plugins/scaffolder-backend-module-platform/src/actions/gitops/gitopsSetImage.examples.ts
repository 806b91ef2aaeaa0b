import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Roll production back to a previous version: the idle slot gets the tag, then traffic switches to it',
    example: yaml.stringify({
      steps: [
        {
          id: 'pin',
          action: 'platform:gitops:set-image',
          name: 'Pin the image',
          input: {
            entityRef: 'component:default/quote-backend',
            environment: 'production',
            tag: 'main-1a2b3c4',
            path: 'gitops',
          },
        },
      ],
    }),
  },
  {
    description: 'Update the live slot in staging without switching',
    example: yaml.stringify({
      steps: [
        {
          id: 'pin',
          action: 'platform:gitops:set-image',
          name: 'Pin the image',
          input: {
            entityRef: 'component:default/chat-web',
            environment: 'staging',
            tag: 'main-9f8e7d6',
            slot: 'live',
            switchTraffic: false,
          },
        },
      ],
    }),
  },
];
