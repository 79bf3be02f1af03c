#!/usr/bin/env node
// `npm start`: the newcomer's demo — the reconciler converging a simulated tenant.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/demo.ts');
