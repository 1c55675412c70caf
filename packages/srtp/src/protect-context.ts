/**
 * Sending direction: RTP → SRTP and RTCP → SRTCP for every SSRC sent under one master key.
 * Input is local (our own packets), so malformed input throws InvalidArgumentError.
 */
import { InvalidArgumentError } from '@rtcwire/common';
import { allocBytes, SrtpContextBase, readU32, rtpHeaderLength, writeU32 } from './context-base.js';
import { estimateIndex } from './replay-window.js';

const SRTCP_E_FLAG = 0x80000000;

export class SrtpProtectContext extends SrtpContextBase {
  /** Highest 48-bit index sent per SSRC (the ROC lives in its upper 32 bits). */
  private readonly sentIndex = new Map<number, number>();
  /** Next SRTCP index per SSRC (RFC 3711 §3.4, 31 bits). */
  private readonly rtcpIndex = new Map<number, number>();
  /** ROC for the first packet of an SSRC, when set before it was sent. */
  private readonly firstRoc = new Map<number, number>();

  /** Current ROC of `ssrc` (initial ROC before its first packet). */
  rolloverCounter(ssrc: number): number {
    const h = this.sentIndex.get(ssrc);
    return h === undefined ? (this.firstRoc.get(ssrc) ?? this.initialRoc) : Math.floor(h / 0x10000);
  }

  /** Sets the ROC of `ssrc` (signalled out of band, e.g. when taking over a stream); RFC 3711 §3.3.1. */
  setRolloverCounter(ssrc: number, roc: number): void {
    const h = this.sentIndex.get(ssrc);
    if (h === undefined) this.firstRoc.set(ssrc, roc);
    else this.sentIndex.set(ssrc, roc * 0x10000 + (h % 0x10000));
  }

  /** Sets the SRTCP index the next RTCP packet of `ssrc` will carry (31 bits). */
  setNextRtcpIndex(ssrc: number, index: number): void {
    this.rtcpIndex.set(ssrc, index & 0x7fffffff);
  }

  /** RFC 3711 §3.3: encrypts the payload (header and extensions stay clear) and appends the tag. */
  protect(rtp: Uint8Array): Uint8Array {
    const len = rtp.length;
    const hdr = rtpHeaderLength(rtp, len);
    if (hdr < 0) throw new InvalidArgumentError('srtp protect: not an RTP packet');
    const ssrc = readU32(rtp, 8);
    const seq = ((rtp[2] ?? 0) << 8) | (rtp[3] ?? 0);
    const highest = this.sentIndex.get(ssrc) ?? -1;
    let index = estimateIndex(highest, seq, highest < 0 ? this.rolloverCounter(ssrc) : 0);
    if (index < 0) index = seq; // a retransmission from before the first packet sent: ROC 0
    if (index > highest) this.sentIndex.set(ssrc, index);
    const roc = Math.floor(index / 0x10000);
    const tag = this.profile.srtpTagLength;
    const out = allocBytes(len + tag);
    if (this.rtp.cm !== undefined) {
      this.rtp.cm.protect(rtp, out, hdr, len, len, tag, ssrc, roc, seq); // RFC 3711 §4.2: tag over packet || ROC
    } else {
      this.rtp.gcm!.seal(rtp, out, hdr, len, ssrc, roc, seq); // RFC 7714 §8.2: AAD = RTP header
    }
    return out;
  }

  /** RFC 3711 §3.4: encrypts after the first 8 bytes, appends E|SRTCP index and the tag. */
  protectRtcp(rtcp: Uint8Array): Uint8Array {
    const len = rtcp.length;
    if (len < 8 || (rtcp[0] ?? 0) >>> 6 !== 2) throw new InvalidArgumentError('srtcp protect: not an RTCP packet');
    const ssrc = readU32(rtcp, 4);
    const index = this.rtcpIndex.get(ssrc) ?? 0;
    this.rtcpIndex.set(ssrc, (index + 1) & 0x7fffffff);
    const word = (SRTCP_E_FLAG | index) >>> 0;
    if (this.rtcp.cm !== undefined) {
      const tag = this.profile.srtcpTagLength;
      const out = allocBytes(len + 4 + tag);
      writeU32(out, len, word); // authenticated, not encrypted
      this.rtcp.cm.protect(rtcp, out, 8, len, len + 4, tag, ssrc, -1, index);
      return out;
    }
    // RFC 7714 §9.1: header(8) | ciphertext | tag(16) | E|index, AAD = header || E|index.
    const out = allocBytes(len + 16 + 4);
    this.rtcp.gcm!.seal(rtcp, out, 8, len, ssrc, -1, word);
    writeU32(out, len + 16, word);
    return out;
  }
}
