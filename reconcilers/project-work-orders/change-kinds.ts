/**
 * The project-work-orders family's change kinds and targets, declared into the core's ChangeKinds
 * and TargetEntities (src/model/plan.ts) by declaration merging; test/kinds/workorders.test.ts checks
 * that they agree with the kinds of reconcilers/project-work-orders/index.ts.
 */
export {};

declare module '../../src/model/plan.js' {
  interface ChangeKinds {
    'workorder.upsert': true;
    'workorder.update': true;
    'requirement.update': true;
    'workorder.cancel': true;
    'task.progress': true;
    'project.progress': true;
  }

  interface TargetEntities {
    msdyn_workorder: true;
    msdyn_resourcerequirement: true;
    msdyn_projecttask: true;
    msdyn_project: true;
  }
}
