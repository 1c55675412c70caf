export * from './types.js';
export * from './frame-assembler.js';
export * from './vp8.js';
export * from './h264-nal.js';
export * from './h264-sps.js';
export * from './h264-params.js';
export * from './h264.js';
export * from './opus.js';
