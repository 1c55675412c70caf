export * from './heap.js';
export * from './link.js';
export * from './nat.js';
export * from './network.js';
export * from './servers/stun-server.js';
export * from './servers/stun-wire.js';
export * from './servers/turn-server.js';
