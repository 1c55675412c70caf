export * from './jsep/index.js';
export * from './engine/index.js';
