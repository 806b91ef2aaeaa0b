/*
 * Test auth for the health tests: group membership as sign-in resolves it,
 * and the real auth service's on-behalf-of behaviour for service tokens.
 */
import { memberAuthServices } from '@platform-portal/backstage-plugin-platform-node/testUtils';

export const ALICE = 'user:default/alice'; // quote-team, owns quote-backend
export const BOB = 'user:default/bob'; // chat-team

export const MEMBERSHIPS: Record<string, string[]> = {
  [ALICE]: ['group:default/quote-team'],
  [BOB]: ['group:default/chat-team'],
};

/** The test backend's userInfo and auth services for ALICE and BOB. */
export const memberAuth = memberAuthServices(MEMBERSHIPS);
