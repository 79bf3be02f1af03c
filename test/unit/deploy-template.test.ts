/**
 * The Bicep template's part of a safe first deployment (issue 16, item 7; docs/deploy.md §9): a
 * fresh deploy sets RECONCILE_MODE=plan, so the timer only reports until an admin chooses apply with
 * the `reconcileMode` parameter, which allows only the two values src/app/reconcile-mode.ts reads.
 * Then issue 15's settings as its parameters. The template is read as text (no Bicep compiler
 * here); the patterns pin the declarations.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONCILE_MODE, RECONCILE_MODES } from '../../src/app/reconcile-mode.js';
import { readShardByVendor } from '../../src/app/queue-fanout.js';
import { readers } from '../../src/config-readers.js';
import { POWER_PLATFORM_DEFAULTS, readPowerPlatform } from '../../src/config-power-platform.js';
import { LICENSE_MODES, TECHNICIAN_SETTING_DEFAULTS } from '../../reconcilers/technicians/settings.js';

const bicep = readFileSync(new URL('../../docs/deploy/main.bicep', import.meta.url), 'utf8');
const example = JSON.parse(readFileSync(new URL('../../docs/deploy/main.parameters.example.json', import.meta.url), 'utf8')) as {
  parameters: Record<string, { value: unknown }>;
};

/** The site's app settings, name → value expression, as the template writes them. */
function appSettings(): Map<string, string> {
  const block = /appSettings: \[\n([\s\S]*?)\n\s*\]/.exec(bicep)?.[1] ?? '';
  return new Map([...block.matchAll(/\{ name: '([^']+)', value: (.+) \}/g)].map((m) => [m[1]!, m[2]!]));
}

describe('docs/deploy/main.bicep: RECONCILE_MODE', () => {
  it('the app setting comes from the reconcileMode parameter', () => {
    expect(appSettings().get('RECONCILE_MODE')).toBe('reconcileMode');
  });

  it('the parameter defaults to plan and allows exactly the two modes the app reads', () => {
    const declaration = /@allowed\(\[([^\]]*)\]\)\nparam reconcileMode string = '([^']*)'/.exec(bicep);
    expect(declaration, 'an @allowed list right above `param reconcileMode string = …`').not.toBeNull();
    expect(declaration![1]!.split(',').map((v) => v.trim().replace(/'/g, ''))).toEqual([...RECONCILE_MODES]);
    expect(declaration![2]).toBe(DEFAULT_RECONCILE_MODE);
    expect(DEFAULT_RECONCILE_MODE).toBe('plan');
  });

  it('the example parameters file a first deployment copies says plan', () => {
    expect(example.parameters.reconcileMode).toEqual({ value: 'plan' });
  });

  it('every parameter of the example file is declared by the template', () => {
    for (const name of Object.keys(example.parameters)) expect(bicep, name).toMatch(new RegExp(`^param ${name} `, 'm'));
  });
});

/**
 * Issue 15's settings as template parameters: each app setting comes from its parameter, and each
 * default is the product's own (docs/configuration.md), so a deployment that leaves them out runs
 * exactly as one that never heard of them.
 */
describe('docs/deploy/main.bicep: LICENSE_MODE, the on-demand Dataverse user, SHARD_BY_VENDOR', () => {
  const param = (name: string): RegExpExecArray | null => new RegExp(`^param ${name} (string|bool|int) = (.+)$`, 'm').exec(bicep);

  it('LICENSE_MODE comes from licenseMode, which defaults to direct and allows exactly the modes the family reads', () => {
    expect(appSettings().get('LICENSE_MODE')).toBe('licenseMode');
    const declaration = /@allowed\(\[([^\]]*)\]\)\nparam licenseMode string = '([^']*)'/.exec(bicep);
    expect(declaration, 'an @allowed list right above `param licenseMode string = …`').not.toBeNull();
    expect(declaration![1]!.split(',').map((v) => v.trim().replace(/'/g, ''))).toEqual([...LICENSE_MODES]);
    expect(declaration![2]).toBe(TECHNICIAN_SETTING_DEFAULTS.LICENSE_MODE);
  });

  it.each([
    { setting: 'DATAVERSE_USER_ON_DEMAND', name: 'dataverseUserOnDemand', type: 'bool', value: "dataverseUserOnDemand ? 'true' : 'false'", fallback: POWER_PLATFORM_DEFAULTS.DATAVERSE_USER_ON_DEMAND },
    { setting: 'SHARD_BY_VENDOR', name: 'shardByVendor', type: 'bool', value: "shardByVendor ? 'true' : 'false'", fallback: 'false' },
    { setting: 'POWER_PLATFORM_ENVIRONMENT_ID', name: 'powerPlatformEnvironmentId', type: 'string', value: 'powerPlatformEnvironmentId', fallback: "''" },
    { setting: 'POWER_PLATFORM_API_URL', name: 'powerPlatformApiUrl', type: 'string', value: 'powerPlatformApiUrl', fallback: `'${POWER_PLATFORM_DEFAULTS.POWER_PLATFORM_API_URL}'` },
  ])('$setting comes from $name, whose default is the product\'s ($fallback)', ({ setting, name, type, value, fallback }) => {
    expect(appSettings().get(setting)).toBe(value);
    const declared = param(name);
    expect(declared, `param ${name}`).not.toBeNull();
    expect(declared![1]).toBe(type);
    expect(declared![2]).toBe(type === 'bool' ? (fallback === 'true' ? 'true' : 'false') : fallback);
  });

  it('the defaults the template writes are read as the product\'s defaults (an empty environment id is unset)', () => {
    const env = { DATAVERSE_USER_ON_DEMAND: 'false', POWER_PLATFORM_ENVIRONMENT_ID: '', POWER_PLATFORM_API_URL: POWER_PLATFORM_DEFAULTS.POWER_PLATFORM_API_URL, SHARD_BY_VENDOR: 'false' };
    const problems: string[] = [];
    expect(readPowerPlatform(readers(env, problems))).toBeUndefined();
    expect(readShardByVendor(env)).toBe(false);
    expect(problems).toEqual([]);
  });
});
