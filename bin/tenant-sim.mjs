#!/usr/bin/env node
// Runs the TypeScript source through tsx, so the simulator needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/simulator/cli.ts');
