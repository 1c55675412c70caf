/**
 * RTP headers captured from Chromium 156 on this machine: two RTCPeerConnections in one page sent
 * fake-device audio and video over loopback, recorded with `tshark -i lo -f udp`. SRTP leaves the
 * RTP header and its extensions in the clear, so those bytes are Chrome's own; the payload bytes
 * are SRTP ciphertext (opaque here). The extmap IDs come from the same session's offer:
 * 1 ssrc-audio-level, 2 abs-send-time, 3 transport-wide-cc, 4 mid, 7 video-timing, 8 color-space,
 * 13 video-orientation. tshark's RTP dissector decodes the same elements from these bytes.
 */
import { fromHex, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  absSendTimeExtension,
  audioLevelExtension,
  decodeHeaderExtensions,
  decodeRtpPacket,
  ExtensionMap,
  encodeRtpPacket,
  midExtension,
  readRtpHeader,
  rtpHeaderLength,
  transportWideCcExtension,
  videoOrientationExtension,
} from '../src/index.js';

const extmap = new ExtensionMap(
  new Map([
    [1, audioLevelExtension.uri],
    [2, absSendTimeExtension.uri],
    [3, transportWideCcExtension.uri],
    [4, midExtension.uri],
    [13, videoOrientationExtension.uri],
  ]),
);

// Opus packet, complete as captured (88 bytes, SRTP tag included in what RTP sees as payload).
const AUDIO = fromHex(
  '906f0fa9c46fc71996de1fd6bede000322e6a3db310008403010ba001817bc9331aff5328c38a5d8ed51728e6a04f491' +
    'd932b20577d17f72f1a92a4c1154b59a3cdd8012607ad19d410d497750d38e38906d601fd0005fa3',
);

// First packet of a video frame (marker set); the 834-byte capture is cut 16 bytes into the payload.
const VIDEO_HEAD = fromHex(
  '90f668bda2e03a068488ad8bbede000822e6865831000540318306060610d0007c010009000f00100030000000000000' +
    '19a04a089d763a5ccf3c84d1b5bf5a83',
);

// An RTX padding probe (P=1, X=1, PT 97) cut after its header; in SRTP the padding is encrypted.
const RTX_PROBE_HEAD = fromHex('b06108d90000000091cbcc49bede0003403131000122e665f9000000');

describe('Chrome-captured RTP headers', () => {
  it('decodes an Opus packet and its four extensions', () => {
    const packet = decodeRtpPacket(AUDIO);
    expect([packet.marker, packet.payloadType, packet.sequenceNumber, packet.timestamp, packet.ssrc]).toEqual([
      false,
      111,
      0x0fa9,
      0xc46fc719,
      0x96de1fd6,
    ]);
    expect(extmap.get(packet, absSendTimeExtension)).toBe(0xe6a3db);
    expect(extmap.get(packet, transportWideCcExtension)).toBe(8);
    expect(extmap.get(packet, midExtension)).toBe('0');
    expect(extmap.get(packet, audioLevelExtension)).toEqual({ voiceActivity: true, level: 58 });
    expect(packet.payload.length).toBe(88 - 28);
    // Chrome's element order and padding survive a re-encode byte for byte
    expect(toHex(encodeRtpPacket(packet))).toBe(toHex(AUDIO));
  });

  it('decodes a video packet with color-space, orientation and video-timing elements', () => {
    const header = readRtpHeader(VIDEO_HEAD);
    expect([header.marker, header.payloadType, header.sequenceNumber, header.payloadOffset]).toEqual([
      true,
      118,
      0x68bd,
      48,
    ]);
    const packet = decodeRtpPacket(VIDEO_HEAD);
    expect(packet.extensions.map((e) => [e.id, toHex(e.data)])).toEqual([
      [2, 'e68658'],
      [3, '0005'],
      [4, '31'],
      [8, '06060610'],
      [13, '00'],
      [7, '010009000f0010003000000000'],
    ]);
    expect(extmap.read(VIDEO_HEAD, header, videoOrientationExtension)).toEqual({
      backCamera: false,
      flip: false,
      rotation: 0,
    });
    expect(extmap.read(VIDEO_HEAD, header, midExtension)).toBe('1');
    expect(toHex(encodeRtpPacket(packet))).toBe(toHex(VIDEO_HEAD));
  });

  it('finds the header of an SRTP padding probe without trusting its padding', () => {
    expect(rtpHeaderLength(RTX_PROBE_HEAD)).toBe(28);
    const elements = decodeHeaderExtensions(RTX_PROBE_HEAD, 0xbede, 16, 12);
    expect(elements.map((e) => [e.id, toHex(e.data)])).toEqual([
      [4, '31'],
      [3, '0001'],
      [2, 'e665f9'],
    ]);
  });
});
