// Placeholder until the Dataverse protocol lands (issue 2, in progress in this session).
import type { ServiceHandler } from '../types.js';

export const dataverseHandler: ServiceHandler = (req) => ({
  status: 501,
  body: { error: { code: '0x80040216', message: `Dataverse ${req.method} ${req.path} is not simulated yet` } },
});
