export * from './attributes.js';
export * from './media.js';
export type { SdpAttribute, SdpConnection, SdpLine, SdpMedia, SdpOrigin, SessionDescription } from './model.js';
export { parseAttribute, parseSdp } from './parse.js';
export { writeSdp } from './write.js';
