/**
 * Doctor reads the app's Graph app roles from its token (the `roles` claim of an app-only token,
 * Learn "Access token claims reference"), and refuses to present a user's token (`scp`, after
 * `az login`) as the app's access.
 */
import { describe, expect, it } from 'vitest';
import { isDelegated, roleChecks, rolesOf, RUNS_AS_USER } from '../../../src/setup/checks-graph.js';
import type { Requirements } from '../../../src/setup/requirements.js';

const jwt = (claims: Record<string, unknown>): string => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const req = { graphRoles: ['GroupMember.ReadWrite.All', 'User.ReadWrite.All'] } as Requirements;

describe('the Graph token as the source of the app roles', () => {
  const cases = [
    { reason: 'an app token lists its roles', token: jwt({ roles: ['User.ReadWrite.All'] }), roles: ['User.ReadWrite.All'], delegated: false },
    { reason: 'an app token without any role has no roles claim at all', token: jwt({ appid: 'x' }), roles: [], delegated: false },
    { reason: 'a user token carries scp', token: jwt({ scp: 'User.Read' }), roles: [], delegated: true },
    { reason: 'an opaque token cannot be read', token: 'opaque', roles: null, delegated: false },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      expect(rolesOf(c.token)).toEqual(c.roles);
      expect(isDelegated(c.token)).toBe(c.delegated);
    });
  }

  it('checks each required role, and says what to do for the missing one', () => {
    const results = roleChecks(jwt({ roles: ['User.ReadWrite.All'] }), req);
    expect(results.map((r) => [r.check, r.ok])).toEqual([['Graph app role GroupMember.ReadWrite.All', false], ['Graph app role User.ReadWrite.All', true]]);
    expect(results[0]!.fix).toContain('docs/deploy/grant-permissions.sh');
  });

  it('a user token gives one line saying doctor must run as the app, not the user\'s roles', () => {
    expect(roleChecks(jwt({ scp: 'Directory.AccessAsUser.All', roles: ['User.ReadWrite.All'] }), req)).toEqual([RUNS_AS_USER]);
  });
});
