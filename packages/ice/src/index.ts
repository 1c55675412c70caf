export * from './agent.js';
export * from './candidate.js';
export type { CandidatePair, LocalCandidate, PairState, PairStats } from './pair.js';
export { pairPriority } from './pair.js';
export * from './turn/index.js';
export * from './types.js';
