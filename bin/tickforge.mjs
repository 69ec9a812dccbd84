#!/usr/bin/env node
// tickforge runs its TypeScript sources (and the user's design files, which are the model) through tsx.
import { register } from 'tsx/esm/api';
register();
await import('../cli/main.ts');
