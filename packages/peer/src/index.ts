export * from './engine/index.js';
export * from './jsep/index.js';
