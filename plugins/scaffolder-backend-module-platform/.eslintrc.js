module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // itWithPromtool (src/__testUtils__/promtool.ts) is `it` where promtool
    // runs, itWithCompose (src/__testUtils__/dockerCompose.ts) where
    // docker-compose does
    'jest/no-standalone-expect': [
      'error',
      { additionalTestBlockFunctions: ['itWithPromtool', 'itWithCompose'] },
    ],
  },
});
