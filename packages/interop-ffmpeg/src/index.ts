export { decodeErrors, MediaFixtures, probe, splitNalUnits } from './media.js';
