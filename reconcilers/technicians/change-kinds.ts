/**
 * The technicians family's change kinds and the objects they target, declared into the core's
 * ChangeKinds and TargetEntities (src/model/plan.ts) by declaration merging. A new technicians kind
 * adds its change kinds here and its module under reconcilers/technicians/ (docs/architecture.md,
 * "Adding a kind"); test/kinds/technicians.test.ts checks the two agree.
 */
export {};

declare module '../../src/model/plan.js' {
  interface ChangeKinds {
    'user.invite': true;
    'user.update': true;
    'user.mark': true;
    'user.create': true;
    'user.disable': true;
    'licence.assign': true;
    'licence.remove': true;
    'group.add': true;
    'group.remove': true;
    'contact.anchor': true;
    'systemuser.add': true;
    'systemuser.update': true;
    'bookableresource.create': true;
    'bookableresource.update': true;
    'bookableresource.deactivate': true;
    'bookableresource.owner': true;
    'contact.link': true;
    'characteristic.create': true;
    'characteristic.update': true;
    'characteristic.delete': true;
  }

  interface TargetEntities {
    user: true;
    group: true;
    contact: true;
    systemuser: true;
    bookableresource: true;
    bookableresourcecharacteristic: true;
  }
}
