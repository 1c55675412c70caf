export * from './jsep/index.js';
