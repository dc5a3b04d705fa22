#!/usr/bin/env node
// Runs the TypeScript CLI without a build step: tsx compiles on import.
import { register } from 'tsx/esm/api';

register();
await import('../lib/cli/main.ts');
