// Placeholder until the Graph protocol lands (issue 2, in progress in this session).
import type { ServiceHandler } from '../types.js';

export const graphHandler: ServiceHandler = (req) => ({
  status: 501,
  body: { error: { code: 'NotImplemented', message: `Graph ${req.method} ${req.path} is not simulated yet` } },
});
