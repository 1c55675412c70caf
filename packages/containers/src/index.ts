export * from './ivf.js';
