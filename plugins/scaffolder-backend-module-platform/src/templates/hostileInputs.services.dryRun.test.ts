/**
 * The hostile-input corpus (`__testUtils__/hostileCorpus.ts`) through the real
 * scaffolder's dry run: the services templates. Every template is in one of the
 * `hostileInputs.*.dryRun.test.ts` files; `templates.dryRun.test.ts` checks
 * that the shards together cover every template of the catalog location.
 */
import {
  describeHostileCorpus,
  HOSTILE_CORPUS_SHARDS,
} from '../__testUtils__/hostileCorpus';

jest.setTimeout(600_000);

describeHostileCorpus(HOSTILE_CORPUS_SHARDS.services);
