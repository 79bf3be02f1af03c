/**
 * Every family the product knows (src/engine/family.ts states what a family provides). A family
 * runs when its settings are present (src/config.ts). A function, not a constant, so importing this
 * file never needs a family module to have finished loading first.
 */
import { techniciansFamily } from '../reconcilers/technicians/family.js';
import type { Family } from './engine/family.js';

export function allFamilies(): readonly Family[] {
  return [techniciansFamily as Family];
}
