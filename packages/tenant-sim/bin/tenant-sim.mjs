#!/usr/bin/env node
// The `tenant-sim` command, a dev-time tool: runs the TypeScript source through tsx, so the
// simulator needs no build step (it is never compiled or deployed; README.md beside bin/).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
