/** CheckedCredential: one token request per scope however many callers ask at once; errors become configuration errors. */
import type { AccessToken, TokenCredential } from '@azure/identity';
import { describe, expect, it, vi } from 'vitest';
import { CheckedCredential, dataverseScope, graphScope, TOKEN_REFRESH_MARGIN_MS } from '../../../src/clients/credential.js';
import { ConfigurationError } from '../../../src/model/errors.js';

function fakeCredential(expiresInMs: number, now: () => number) {
  let n = 0;
  const getToken = vi.fn(async (): Promise<AccessToken> => {
    n += 1;
    await new Promise((r) => setTimeout(r, 5));
    return { token: `t${n}`, expiresOnTimestamp: now() + expiresInMs };
  });
  return { cred: { getToken } as TokenCredential, getToken };
}

describe('CheckedCredential', () => {
  it('shares one token request among concurrent callers of the same scope, and caches it', async () => {
    let t = 1_000_000;
    const { cred, getToken } = fakeCredential(3_600_000, () => t);
    const checked = new CheckedCredential(cred, 'graph', () => t);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => checked.getToken('https://graph/.default')));
    expect(new Set(tokens.map((x) => x.token))).toEqual(new Set(['t1']));
    expect(getToken).toHaveBeenCalledTimes(1);
    t += 60_000;
    expect((await checked.getToken('https://graph/.default')).token).toBe('t1');
    expect(getToken).toHaveBeenCalledTimes(1);
  });

  it('asks again for another scope, and when the cached token is within the refresh margin of expiry', async () => {
    let t = 0;
    const { cred, getToken } = fakeCredential(3_600_000, () => t);
    const checked = new CheckedCredential(cred, 'dataverse', () => t);
    await checked.getToken('a/.default');
    await checked.getToken('b/.default');
    expect(getToken).toHaveBeenCalledTimes(2);
    t = 3_600_000 - TOKEN_REFRESH_MARGIN_MS + 1;
    expect((await checked.getToken('a/.default')).token).toBe('t3');
  });

  it('turns a failure into AUTHENTICATION_FAILED and does not cache it', async () => {
    const getToken = vi.fn().mockRejectedValueOnce(new Error('AADSTS7000215: Invalid client secret provided.')).mockResolvedValueOnce({ token: 'ok', expiresOnTimestamp: Date.now() + 3_600_000 });
    const checked = new CheckedCredential({ getToken } as TokenCredential, 'graph');
    const err = await checked.getToken('s/.default').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as ConfigurationError).code).toBe('AUTHENTICATION_FAILED');
    expect((err as ConfigurationError).message).toContain('AADSTS7000215');
    expect((await checked.getToken('s/.default')).token).toBe('ok');
  });
});

describe('token scopes: one code path for Azure and the simulator, only the URLs differ', () => {
  const cases = [
    { reason: 'Azure: the canonical Graph scope every Microsoft sample sends', scope: graphScope('https://graph.microsoft.com/v1.0'), expected: 'https://graph.microsoft.com/.default' },
    { reason: "a national cloud: that cloud's Graph host", scope: graphScope('https://graph.microsoft.us/v1.0'), expected: 'https://graph.microsoft.us/.default' },
    { reason: "the simulator: its Graph origin, which it knows as a name of the Graph resource", scope: graphScope('https://127.0.0.1:40001/v1.0'), expected: 'https://127.0.0.1:40001/.default' },
    { reason: 'Azure: the environment URL, a trailing slash dropped', scope: dataverseScope('https://contoso.crm.dynamics.com/'), expected: 'https://contoso.crm.dynamics.com/.default' },
    { reason: 'the simulator: its Dataverse origin is the environment URL', scope: dataverseScope('https://127.0.0.1:40002'), expected: 'https://127.0.0.1:40002/.default' },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      expect(c.scope).toBe(c.expected);
    });
  }
});
