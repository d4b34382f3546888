#!/usr/bin/env node
// parcelbot is TypeScript run as it is: tsx compiles it on load, so `npm install` is the only step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
