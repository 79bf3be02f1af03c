/**
 * Everything one run observes, read in bulk or from delta tokens: the core's part of it.
 *
 * The core reads only what is declared here. Each family adds its own fields by augmenting this
 * interface (TypeScript declaration merging), in reconcilers/<family>/observation.ts, and fills them
 * from its tables and lookups (Family.observe, src/engine/family.ts). The fields of a family that is
 * off are absent at run time; only that family reads them, and it is not called when off.
 *
 * The plan is a pure function of this object and the settings (src/engine/plan.ts).
 */
import type { SubscribedSku } from './rows.js';

export interface Observation {
  observedAt: string;
  /**
   * The tenant's subscribed licences (GET /subscribedSkus). Shared by every family that assigns
   * licences: the licence capacity guard (src/engine/guards/licence-capacity.ts) counts each SKU's
   * free units against the changes of all families at once.
   */
  subscribedSkus: SubscribedSku[];
}
