/**
 * The technician licence, assigned directly (not only inherited from a group), so removing it on
 * deprovision is in the product's hands. Graph: POST /users/{id}/assignLicense.
 */
import type { Change } from '../src/model/plan.js';
import type { DesiredTechnician, ObservedTechnician } from '../src/model/state.js';
import { change, userTarget, type Reconciler } from './common.js';

export function diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  if (desired.intent === 'ignore') return [];
  const skuId = desired.licence.skuId;
  const target = userTarget(desired, observed);
  if (desired.licence.assigned && !observed.hasDirectLicence) {
    return [
      change(
        desired,
        'licence.assign',
        target,
        observed.user ? { skuId, directlyAssigned: false } : null,
        { skuId, directlyAssigned: true },
        observed.user
          ? 'The guest has no direct assignment of the technician licence (never assigned, or removed by hand); the contact is active, so it is assigned.'
          : 'The new guest gets the technician licence once its usage location is set.',
      ),
    ];
  }
  if (!desired.licence.assigned && observed.user && observed.hasDirectLicence) {
    return [
      change(
        desired,
        'licence.remove',
        target,
        { skuId, directlyAssigned: true },
        { skuId, directlyAssigned: false },
        'The contact is no longer an active technician, so the technician licence is removed (the guest account stays).',
      ),
    ];
  }
  return [];
}

export const licenceReconciler: Reconciler = { name: 'licence', diff };
