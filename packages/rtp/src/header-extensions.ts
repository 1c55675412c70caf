/**
 * RTP header extension elements (RFC 8285): the one-byte (0xBEDE) and two-byte (0x100X) forms.
 *
 * One-byte element:  | ID (4) | L (4) | data (L+1 bytes) |      IDs 1–14, 1–16 bytes
 * Two-byte element:  | ID (8) | L (8) | data (L bytes)   |      IDs 1–255, 0–255 bytes
 * Zero bytes between elements are padding (RFC 8285 §4.2, §4.3).
 */
import { InvalidArgumentError, ParseError } from '@rtcwire/common';
import type { RtpHeaderView } from './rtp-header.js';
import { view } from './wire.js';

/** One RFC 8285 element; `data` is a view into the packet after decoding. */
export interface RtpHeaderExtension {
  readonly id: number;
  readonly data: Uint8Array;
}

/** RFC 8285 §4.2 "defined by profile" value of the one-byte form. */
export const ONE_BYTE_PROFILE = 0xbede;
/** RFC 8285 §4.3: 0x100 in the upper 12 bits, 4 "appbits" below. */
export const TWO_BYTE_PROFILE = 0x1000;
export const TWO_BYTE_PROFILE_MASK = 0xfff0;

export type ExtensionForm = 'one-byte' | 'two-byte';

/** True when the profile value denotes an RFC 8285 extension block. */
export function isRfc8285Profile(profile: number): boolean {
  return profile === ONE_BYTE_PROFILE || (profile & TWO_BYTE_PROFILE_MASK) === TWO_BYTE_PROFILE;
}

/**
 * Decode the elements of an RFC 8285 block occupying `packet[offset, offset + length)`.
 * Element data are zero-copy views. Throws `ParseError('invalid_extension')` for overruns.
 */
export function decodeHeaderExtensions(
  packet: Uint8Array,
  profile: number,
  offset: number,
  length: number,
): RtpHeaderExtension[] {
  const out: RtpHeaderExtension[] = [];
  const end = offset + length;
  // Views are built on the ArrayBuffer directly (see wire.ts `view`); hoist its lookups.
  const buffer = packet.buffer;
  const base = packet.byteOffset;
  let at = offset;
  if (profile === ONE_BYTE_PROFILE) {
    while (at < end) {
      const b = packet[at] as number;
      const id = b >> 4;
      if (id === 0) {
        // RFC 8285 §4.2: ID 0 is padding (MUST NOT be an identifier); like libwebrtc, a non-zero
        // length nibble is ignored and only this byte is skipped.
        at++;
        continue;
      }
      // RFC 8285 §4.2: ID 15 is reserved; processing of the block stops there.
      if (id === 15) break;
      const len = (b & 0x0f) + 1;
      at++;
      if (at + len > end) throw new ParseError('invalid_extension', `element ${id} overruns the block`, at - 1);
      out.push({ id, data: new Uint8Array(buffer, base + at, len) });
      at += len;
    }
  } else {
    while (at < end) {
      const id = packet[at] as number;
      if (id === 0) {
        at++;
        continue;
      }
      if (at + 2 > end) throw new ParseError('invalid_extension', `element ${id} header overruns the block`, at);
      const len = packet[at + 1] as number;
      at += 2;
      if (at + len > end) throw new ParseError('invalid_extension', `element ${id} overruns the block`, at - 2);
      out.push({ id, data: new Uint8Array(buffer, base + at, len) });
      at += len;
    }
  }
  return out;
}

/**
 * Find the element with `id` in a validated packet without building the element list. Returns a
 * view into `packet` (writes go to the packet, e.g. rewriting a transport-wide sequence number), or
 * undefined when absent, when the block is not RFC 8285, or when the block is malformed.
 */
export function findHeaderExtension(packet: Uint8Array, header: RtpHeaderView, id: number): Uint8Array | undefined {
  if (!header.hasExtension) return undefined;
  const profile = header.extensionProfile;
  const end = header.extensionOffset + header.extensionLength;
  let at = header.extensionOffset;
  if (profile === ONE_BYTE_PROFILE) {
    while (at < end) {
      const b = packet[at] as number;
      const elementId = b >> 4;
      if (elementId === 0) {
        at++;
        continue;
      }
      if (elementId === 15) return undefined;
      const len = (b & 0x0f) + 1;
      at++;
      if (at + len > end) return undefined;
      if (elementId === id) return view(packet, at, at + len);
      at += len;
    }
  } else if ((profile & TWO_BYTE_PROFILE_MASK) === TWO_BYTE_PROFILE) {
    while (at < end) {
      const elementId = packet[at] as number;
      if (elementId === 0) {
        at++;
        continue;
      }
      if (at + 2 > end) return undefined;
      const len = packet[at + 1] as number;
      at += 2;
      if (at + len > end) return undefined;
      if (elementId === id) return view(packet, at, at + len);
      at += len;
    }
  }
  return undefined;
}

/** The form needed for `extensions`: one-byte unless an ID is > 14 or a length is 0 or > 16. */
export function chooseExtensionForm(extensions: readonly RtpHeaderExtension[]): ExtensionForm {
  for (const e of extensions) {
    if (e.id > 14 || e.data.length === 0 || e.data.length > 16) return 'two-byte';
  }
  return 'one-byte';
}

/** Bytes of extension data (without the 4-byte block header), padded to a multiple of 4. */
export function headerExtensionsSize(extensions: readonly RtpHeaderExtension[], form: ExtensionForm): number {
  const perElement = form === 'one-byte' ? 1 : 2;
  let n = 0;
  for (const e of extensions) {
    checkElement(e, form);
    n += perElement + e.data.length;
  }
  return (n + 3) & ~3;
}

function checkElement(e: RtpHeaderExtension, form: ExtensionForm): void {
  const len = e.data.length;
  if (form === 'one-byte') {
    // RFC 8285 §4.2: IDs 1-14, 1-16 bytes.
    if (!(e.id >= 1 && e.id <= 14 && Number.isInteger(e.id)) || len < 1 || len > 16) {
      throw new InvalidArgumentError(`one-byte extension needs id 1-14 and 1-16 bytes (id ${e.id}, ${len} bytes)`);
    }
  } else if (!(e.id >= 1 && e.id <= 255 && Number.isInteger(e.id)) || len > 255) {
    // RFC 8285 §4.3: IDs 1-255, 0-255 bytes.
    throw new InvalidArgumentError(`two-byte extension needs id 1-255 and 0-255 bytes (id ${e.id}, ${len} bytes)`);
  }
}

/**
 * Write the elements (without the 4-byte block header) at `out[offset]`, zero-padded to a multiple
 * of 4; returns the bytes written. Throws `InvalidArgumentError` for IDs or lengths the form cannot carry.
 */
export function writeHeaderExtensions(
  extensions: readonly RtpHeaderExtension[],
  form: ExtensionForm,
  out: Uint8Array,
  offset: number,
): number {
  let at = offset;
  for (const e of extensions) {
    const len = e.data.length;
    checkElement(e, form);
    if (form === 'one-byte') {
      out[at++] = (e.id << 4) | (len - 1);
    } else {
      out[at++] = e.id;
      out[at++] = len;
    }
    // A byte loop beats TypedArray#set for the few bytes an element carries.
    const data = e.data;
    if (len <= 16) for (let k = 0; k < len; k++) out[at + k] = data[k] as number;
    else out.set(data, at);
    at += len;
  }
  while ((at - offset) & 3) out[at++] = 0;
  return at - offset;
}
