import { describeUpdate } from './describeUpdate';

describe('describeUpdate', () => {
  it('names the channel and the short update id', () => {
    expect(describeUpdate('staging', '1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d', false)).toBe(
      'staging · update 1a2b3c4d',
    );
  });

  it('says when the bundle is the one embedded in the build', () => {
    expect(describeUpdate('production', 'abc', true)).toBe('production · embedded build');
    expect(describeUpdate('production', null, false)).toBe('production · embedded build');
  });

  it('calls a build without a channel development', () => {
    expect(describeUpdate(null, null, true)).toBe('development · embedded build');
  });
});
