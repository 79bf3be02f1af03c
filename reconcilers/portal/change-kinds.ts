/**
 * The customer portal family's change kinds and targets, declared into the core's ChangeKinds and
 * TargetEntities (src/model/plan.ts) by declaration merging; test/kinds/portal.test.ts checks that
 * they agree with the kinds of reconcilers/portal/index.ts.
 */
export {};

declare module '../../src/model/plan.js' {
  interface ChangeKinds {
    'webrole.grant': true;
    'webrole.revoke': true;
    'invitation.create': true;
    'invitation.role': true;
    'invitation.send': true;
    'invitation.retire': true;
    'invitation.revoke': true;
  }

  interface TargetEntities {
    adx_invitation: true;
    adx_webrole: true;
  }
}
