/**
 * Every family the product knows (src/engine/family.ts states what a family provides). A family
 * runs when its settings are present (src/config.ts). This is the one file in src/ (beside the
 * CLI's entry points) that imports reconcilers/ (eslint.config.js): the engine takes the families
 * from whoever builds it, and src/engine/compose.ts passes this list by default. A function, not a
 * constant, so importing this file never needs a family module to have finished loading first.
 */
import { portalFamily } from '../reconcilers/portal/family.js';
import { portalSettingsSpec } from '../reconcilers/portal/settings.js';
import { workOrdersFamily } from '../reconcilers/project-work-orders/family.js';
import { workOrderSettingsSpec } from '../reconcilers/project-work-orders/settings.js';
import { techniciansFamily } from '../reconcilers/technicians/family.js';
import { technicianSettingsSpec } from '../reconcilers/technicians/settings.js';
import { parseSettings, type Env, type FamilySettingsSpec, type Settings } from './config.js';
import type { Family } from './engine/family.js';

let families: readonly Family[] | undefined;

/** The same array every call, so registries derived from it are derived once (src/engine/kind-registry.ts). */
export function allFamilies(): readonly Family[] {
  families ??= [techniciansFamily as Family, portalFamily as Family, workOrdersFamily as Family];
  return families;
}

/** How each family's app settings are read (src/config.ts validates them with the core's in one pass). */
export const FAMILY_SETTINGS: readonly FamilySettingsSpec[] = [technicianSettingsSpec, portalSettingsSpec, workOrderSettingsSpec];

/** The product's settings from the app settings: the core's and every family's (src/config.ts). */
export function loadSettings(env: Env = process.env): Settings {
  return parseSettings(env, FAMILY_SETTINGS);
}
