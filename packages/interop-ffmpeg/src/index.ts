export { MediaFixtures, decodeErrors, probe, splitNalUnits } from './media.js';
