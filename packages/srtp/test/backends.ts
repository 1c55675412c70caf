import { defaultSrtpBackend } from '../src/index.js';

/** Backends to run every vector and property against: node:crypto always, native when built. */
export const BACKENDS: ('native' | 'node-crypto')[] =
  defaultSrtpBackend() === 'native' ? ['native', 'node-crypto'] : ['node-crypto'];
