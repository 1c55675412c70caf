export * from './answer.js';
export * from './capabilities.js';
export * from './codec-negotiation.js';
export * from './description.js';
export * from './direction.js';
export * from './h264-profile.js';
export * from './offer.js';
