import { readFileSync } from 'node:fs';
import { parseSdp, type SessionDescription } from '@rtcwire/sdp';
import {
  type Capabilities,
  DEFAULT_AUDIO_CODECS,
  DEFAULT_HEADER_EXTENSIONS,
  DEFAULT_VIDEO_CODECS,
  type TransportPlan,
} from '../../src/index.js';

// Chromium 156 offers captured on this machine with @rtcwire/interop-chrome.
export function chromeOffer(name: 'chrome-156-offer' | 'chrome-156-recvonly-offer'): SessionDescription {
  return parseSdp(readFileSync(new URL(`../fixtures/${name}.sdp`, import.meta.url), 'utf8'));
}

export const caps: Capabilities = {
  codecs: { audio: DEFAULT_AUDIO_CODECS, video: DEFAULT_VIDEO_CODECS },
  extensions: DEFAULT_HEADER_EXTENSIONS,
};

export const transport: TransportPlan = {
  iceUfrag: 'abcd',
  icePwd: 'abcdefghijklmnopqrstuvwx',
  iceLite: false,
  fingerprints: [
    {
      algorithm: 'sha-256',
      value: Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':'),
    },
  ],
  setup: 'passive',
  candidates: ['candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host'],
  endOfCandidates: true,
  defaultAddress: { address: '127.0.0.1', port: 50000 },
};
