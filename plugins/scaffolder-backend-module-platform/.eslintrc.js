module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // itWithPromtool (src/__testUtils__/promtool.ts) is `it` where promtool runs
    'jest/no-standalone-expect': [
      'error',
      { additionalTestBlockFunctions: ['itWithPromtool'] },
    ],
  },
});
