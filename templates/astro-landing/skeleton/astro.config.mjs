// @ts-check
import { defineConfig } from 'astro/config';

// Static output in dist/, served by nginx (see Dockerfile and nginx.conf).
export default defineConfig({
  site: ${{ values.productionUrl | dump }},
  output: 'static',
});
