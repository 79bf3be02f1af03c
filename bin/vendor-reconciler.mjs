#!/usr/bin/env node
// The `vendor-reconciler` command. Runs the TypeScript source through tsx, so it needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
