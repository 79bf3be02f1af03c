/**
 * src/engine/kind-order.ts and the registry: the apply order, the dependency table and the removal
 * kinds derived from the kinds' declarations are exactly the ones the product had by hand before
 * (so no plan changes order), and a declaration that gives no order stops at load.
 */
import { describe, expect, it } from 'vitest';
import { deriveKindOrder, type OrderedKind } from '../../src/engine/kind-order.js';
import { CHANGE_KIND_ORDER, DEPENDENCIES, REMOVAL_KINDS } from '../../src/kinds.js';
import type { ChangeKind } from '../../src/model/plan.js';

describe('the technicians kinds give the order the product always had', () => {
  // The hand-kept list of src/model/plan.ts before the kinds declared their order, plus the kinds
  // added since (each in the place its declaration gives it).
  it('derives CHANGE_KIND_ORDER exactly as src/model/plan.ts listed it by hand', () => {
    const expected: ChangeKind[] = [
      'user.invite',
      'user.create', // added with the service accounts (reconcilers/technicians/service-account.ts)
      'contact.anchor',
      'user.update',
      'user.disable', // added with the service accounts
      'licence.assign',
      'licence.remove',
      'group.add',
      'group.remove',
      'user.mark',
      'systemuser.add', // added with reconcilers/technicians/systemuser-add.ts (DATAVERSE_USER_ON_DEMAND)
      'systemuser.update',
      'bookableresource.create',
      'bookableresource.update',
      'bookableresource.deactivate',
      'contact.link',
      'bookableresource.owner', // added with reconcilers/technicians/bookable-resource-owner.ts
      'characteristic.create',
      'characteristic.update',
      'characteristic.delete',
      // The customer portal family's kinds (reconcilers/portal/), after the technicians' in family order.
      'webrole.grant',
      'webrole.revoke',
      'invitation.create',
      'invitation.role',
      'invitation.send',
      'invitation.retire',
      'invitation.revoke',
      // The project-work-orders family's kinds (reconcilers/project-work-orders/), in family order.
      'workorder.upsert',
      'workorder.update',
      'workorder.cancel',
      'requirement.update',
      'task.progress',
      'project.progress',
    ];
    expect(CHANGE_KIND_ORDER).toEqual(expected);
  });

  it('derives the dependency table src/engine/plan.ts kept by hand', () => {
    expect(DEPENDENCIES).toEqual({
      'contact.anchor': ['user.invite', 'user.create'],
      'user.update': ['user.invite'],
      'licence.assign': ['user.invite', 'user.create', 'user.update'],
      'group.add': ['user.invite', 'user.create'],
      'user.mark': ['user.invite', 'group.remove', 'licence.remove'],
      // addUser after what makes the account eligible; the resource after the systemuser it makes.
      'systemuser.add': ['user.invite', 'user.create', 'user.update', 'licence.assign', 'group.add'],
      'systemuser.update': ['systemuser.add'],
      'bookableresource.create': ['systemuser.add'],
      'bookableresource.update': ['systemuser.add'],
      'contact.link': ['bookableresource.create'],
      'bookableresource.owner': ['bookableresource.create'],
      'characteristic.create': ['bookableresource.create'],
      'characteristic.update': ['bookableresource.create'],
      'characteristic.delete': ['bookableresource.create'],
      'invitation.create': ['webrole.grant'],
      'invitation.role': ['invitation.create'],
      'invitation.send': ['invitation.role'],
      'requirement.update': ['workorder.update'],
    });
  });

  it('derives the removal kinds the threshold guard counts', () => {
    expect([...REMOVAL_KINDS].sort()).toEqual(['bookableresource.deactivate', 'group.remove', 'invitation.revoke', 'licence.remove', 'user.disable', 'webrole.revoke', 'workorder.cancel']);
  });
});

const k = (kind: string, runsAfter: string[] = [], removal = false): OrderedKind => ({ kind: kind as ChangeKind, runsAfter: runsAfter as ChangeKind[], removal });

describe('deriveKindOrder', () => {
  const orders = [
    { reason: 'an order that already respects the dependencies comes out unchanged', declared: [k('a'), k('b', ['a']), k('c')], want: ['a', 'b', 'c'] },
    { reason: 'a kind declared before what it waits for moves just after it', declared: [k('m', ['r']), k('a'), k('r')], want: ['a', 'r', 'm'] },
    { reason: 'ties go to the kind declared first, so an independent kind keeps its place', declared: [k('x'), k('w', ['z']), k('y'), k('z')], want: ['x', 'y', 'z', 'w'] },
    { reason: 'a kind waiting for two others comes after the later of them', declared: [k('d', ['b', 'c']), k('b'), k('c', ['b'])], want: ['b', 'c', 'd'] },
  ];
  for (const c of orders) {
    it(c.reason, () => {
      expect(deriveKindOrder(c.declared).order).toEqual(c.want);
    });
  }

  it('keeps only the kinds that wait for something in the dependency table, and the removals apart', () => {
    const out = deriveKindOrder([k('a'), k('b', ['a'], true)]);
    expect(out.dependencies).toEqual({ b: ['a'] });
    expect([...out.removals]).toEqual(['b']);
  });

  const broken = [
    { reason: 'a cycle names the kinds in it', declared: [k('a'), k('b', ['c']), k('c', ['b'])], message: 'The change kinds b, c wait for each other in a cycle (runsAfter: b → c; c → b).' },
    { reason: 'a dependency on a kind nobody declares is named', declared: [k('a', ['ghost'])], message: 'Change kind a runs after ghost, which no kind declares.' },
    { reason: 'a kind that waits for itself is a cycle of one', declared: [k('a', ['a'])], message: 'Change kind a runs after itself.' },
    { reason: 'a change kind belongs to one kind module only', declared: [k('a'), k('a')], message: 'Change kind a is declared twice; each change kind belongs to one kind module.' },
  ];
  for (const c of broken) {
    it(`throws: ${c.reason}`, () => {
      expect(() => deriveKindOrder(c.declared)).toThrow(c.message);
    });
  }
});
