#!/usr/bin/env node
// `npm start`: the newcomer's demo — the reconciler converging a simulated tenant. A dev-time tool:
// it runs the TypeScript source through tsx (a dev dependency) and starts tenant-sim (the workspace
// package, also a dev dependency); the deployed Functions app runs the compiled dist/ instead.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/demo.ts');
