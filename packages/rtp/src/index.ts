export * from './extension-codecs.js';
export * from './extension-map.js';
export * from './header-extensions.js';
export * from './ntp.js';
export * from './rtcp/index.js';
export * from './rtp-header.js';
export * from './rtp-packet.js';
export * from './rtx.js';
