import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'A database, a Redis user and a namespace for a new NestJS backend in staging and production',
    example: yaml.stringify({
      steps: [
        {
          id: 'infra',
          action: 'platform:infra:render',
          name: 'Render Terraform',
          input: {
            name: 'quote-backend',
            system: 'quote',
            owner: 'quote-team',
            serviceType: 'service',
            namespace: true,
            postgres: { database: 'quote' },
            redis: { keyPrefix: 'quote' },
          },
        },
      ],
    }),
  },
  {
    description:
      'An uploads bucket with CORS for the web app and a 30-day retention rule',
    example: yaml.stringify({
      steps: [
        {
          id: 'infra',
          action: 'platform:infra:render',
          name: 'Render Terraform',
          input: {
            name: 'picture-uploads',
            system: 'picture',
            bucket: {
              corsOrigins: ['https://picture.mana.how'],
              retentionDays: 30,
            },
          },
        },
      ],
    }),
  },
  {
    description:
      "A DNS record and a database subnet in the spare capacity of the estate's network plan",
    example: yaml.stringify({
      steps: [
        {
          id: 'infra',
          action: 'platform:infra:render',
          name: 'Render Terraform',
          input: {
            name: 'reporting',
            environments: ['production'],
            dns: { zone: 'mana.how', type: 'A', target: '203.0.113.10' },
            subnet: { cidr: '10.2.0.0/26', tier: 'database', hosts: 20 },
          },
        },
      ],
    }),
  },
];
