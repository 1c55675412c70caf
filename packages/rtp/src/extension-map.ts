/**
 * Maps negotiated header extension IDs (SDP `a=extmap`, RFC 8285 §5) to URIs and typed codecs.
 * The caller provides the `Map<id, uri>` from its SDP; this class only looks things up.
 */
import { InvalidArgumentError } from '@rtcwire/common';
import type { ExtensionCodec } from './extension-codecs.js';
import { findHeaderExtension, type RtpHeaderExtension } from './header-extensions.js';
import type { RtpHeaderView } from './rtp-header.js';
import type { RtpPacket } from './rtp-packet.js';

export class ExtensionMap {
  private readonly idToUri: ReadonlyMap<number, string>;
  private readonly uriToId = new Map<string, number>();

  constructor(idToUri: ReadonlyMap<number, string>) {
    for (const [id, uri] of idToUri) {
      if (!Number.isInteger(id) || id < 1 || id > 255) throw new InvalidArgumentError(`extmap id ${id} outside 1-255`);
      if (this.uriToId.has(uri)) throw new InvalidArgumentError(`extmap uri ${uri} mapped twice`);
      this.uriToId.set(uri, id);
    }
    this.idToUri = new Map(idToUri);
  }

  idOf(uri: string): number | undefined {
    return this.uriToId.get(uri);
  }

  uriOf(id: number): string | undefined {
    return this.idToUri.get(id);
  }

  /** Decode the value of `codec` from a decoded packet; undefined when not negotiated or absent. */
  get<T>(packet: RtpPacket, codec: ExtensionCodec<T>): T | undefined {
    const id = this.uriToId.get(codec.uri);
    if (id === undefined) return undefined;
    for (const e of packet.extensions) if (e.id === id) return codec.decode(e.data);
    return undefined;
  }

  /** Decode the value of `codec` straight from packet bytes, without decoding the packet. */
  read<T>(packet: Uint8Array, header: RtpHeaderView, codec: ExtensionCodec<T>): T | undefined {
    const id = this.uriToId.get(codec.uri);
    if (id === undefined) return undefined;
    const data = findHeaderExtension(packet, header, id);
    return data === undefined ? undefined : codec.decode(data);
  }

  /**
   * Overwrite the value of `codec` inside packet bytes (e.g. an SFU renumbering transport-wide
   * sequence numbers). Returns false, changing nothing, when the extension is not negotiated, not
   * present, or the new value has a different length than the element.
   */
  rewrite<T>(packet: Uint8Array, header: RtpHeaderView, codec: ExtensionCodec<T>, value: T): boolean {
    const id = this.uriToId.get(codec.uri);
    if (id === undefined) return false;
    const data = findHeaderExtension(packet, header, id);
    if (data === undefined) return false;
    const encoded = codec.encode(value);
    if (encoded.length !== data.length) return false;
    data.set(encoded);
    return true;
  }

  /** Build the element for `codec` with its negotiated ID; throws when the URI was not negotiated. */
  element<T>(codec: ExtensionCodec<T>, value: T): RtpHeaderExtension {
    const id = this.uriToId.get(codec.uri);
    if (id === undefined) throw new InvalidArgumentError(`extension ${codec.uri} was not negotiated`);
    return { id, data: codec.encode(value) };
  }
}
