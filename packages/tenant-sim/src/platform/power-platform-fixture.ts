/**
 * The Power Platform admin API's part of the simulated tenant: the environment's BAP name, which
 * client applications are registered as management applications, and two delays (the systemuser
 * after an addUser, and a licence becoming usable by addUser). platform/power-platform.ts serves it.
 *
 * Defaults: the environment has a fixed name; the fixture's own app is registered (the demo tenant
 * is set up as docs/deploy/grant-permissions.sh sets up a real one); the systemuser appears 2 s
 * after addUser (third-party reports say 10–20 s; shorter so the demo stays quick, and the product
 * waits for it, bounded, either way); a licence counts at once. A fixture or PUT /_sim/power-platform
 * changes any of them.
 */
import type { Fixture, FixturePowerPlatform } from '../types.js';

export const DEFAULT_ENVIRONMENT_ID = '0e5c2f3a-7b1d-4e8f-9a6c-5d4b3a2f1e0d';
export const DEFAULT_ADD_USER_DELAY_MS = 2000;
/** The longest delay a fixture or the admin route may set (a day, as --user-sync-delay-ms). */
export const MAX_POWER_PLATFORM_DELAY_MS = 86_400_000;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function delay(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_POWER_PLATFORM_DELAY_MS) {
    throw new Error(`powerPlatform.${name} must be a whole number of milliseconds from 0 to ${MAX_POWER_PLATFORM_DELAY_MS}`);
  }
  return value;
}

function clientIds(value: unknown, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !GUID.test(v))) {
    throw new Error('powerPlatform.managementApplications must be a list of client ids (GUIDs)');
  }
  return (value as string[]).map((v) => v.toLowerCase());
}

/** The fixture's section, completed with the defaults (a malformed value is refused). */
export function powerPlatformFromFixture(fixture: Fixture, clientId: string): Required<FixturePowerPlatform> {
  return updatedPowerPlatform(
    { environmentId: DEFAULT_ENVIRONMENT_ID, managementApplications: [clientId.toLowerCase()], addUserDelayMs: DEFAULT_ADD_USER_DELAY_MS, licencePropagationMs: 0 },
    fixture.powerPlatform ?? {},
  );
}

/** `current` with the fields `change` gives (PUT /_sim/power-platform takes the fixture's shape). */
export function updatedPowerPlatform(current: Required<FixturePowerPlatform>, change: unknown): Required<FixturePowerPlatform> {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) throw new Error('the power platform settings must be an object');
  const c = change as Record<string, unknown>;
  const environmentId = c.environmentId ?? current.environmentId;
  if (typeof environmentId !== 'string' || !GUID.test(environmentId)) throw new Error('powerPlatform.environmentId must be a GUID');
  return {
    environmentId: environmentId.toLowerCase(),
    managementApplications: clientIds(c.managementApplications, current.managementApplications),
    addUserDelayMs: delay('addUserDelayMs', c.addUserDelayMs, current.addUserDelayMs),
    licencePropagationMs: delay('licencePropagationMs', c.licencePropagationMs, current.licencePropagationMs),
  };
}
