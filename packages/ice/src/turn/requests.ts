import type { AddressFamily, SocketAddress } from '@rtcwire/common';
import {
  AddressFamilyCode,
  Attr,
  type EncodeOptions,
  encodeStunMessage,
  makeAttribute,
  type StunAttribute,
  StunMethod,
  TRANSPORT_UDP,
} from '@rtcwire/stun';
import type { LongTermCredentials } from './credentials.js';
import type { Operation } from './results.js';

export interface RequestParams {
  readonly creds: LongTermCredentials;
  readonly lifetimeS: number | undefined;
  readonly relayFamily: AddressFamily | undefined;
  readonly software: string | undefined;
  readonly fingerprint: boolean;
}

/** Encode the request for `op`, authenticated when the credentials hold a key (RFC 8489 §9.2.3). */
export function encodeTurnRequest(op: Operation, tid: Uint8Array, params: RequestParams): Uint8Array {
  const attributes: StunAttribute[] = [];
  let method: number;
  switch (op.kind) {
    case 'allocate':
      method = StunMethod.ALLOCATE;
      attributes.push(makeAttribute(Attr.REQUESTED_TRANSPORT, TRANSPORT_UDP)); // RFC 8656 §7.1
      if (params.lifetimeS !== undefined) attributes.push(makeAttribute(Attr.LIFETIME, params.lifetimeS));
      if (params.relayFamily !== undefined) {
        attributes.push(makeAttribute(Attr.REQUESTED_ADDRESS_FAMILY, AddressFamilyCode[params.relayFamily]));
      }
      break;
    case 'refresh':
      method = StunMethod.REFRESH;
      attributes.push(makeAttribute(Attr.LIFETIME, op.lifetimeS)); // RFC 8656 §8.1 (0 deletes)
      break;
    case 'permission':
      method = StunMethod.CREATE_PERMISSION;
      attributes.push(makeAttribute(Attr.XOR_PEER_ADDRESS, op.entry.peer, tid)); // RFC 8656 §9.1
      break;
    case 'channel-bind':
      method = StunMethod.CHANNEL_BIND;
      // RFC 8656 §11.1
      attributes.push(
        makeAttribute(Attr.CHANNEL_NUMBER, op.entry.channel),
        makeAttribute(Attr.XOR_PEER_ADDRESS, op.entry.peer, tid),
      );
      break;
  }
  if (params.software !== undefined) attributes.push(makeAttribute(Attr.SOFTWARE, params.software));
  attributes.push(...params.creds.attributes());
  const key = params.creds.key;
  const options: EncodeOptions = key
    ? { integrity: { key }, fingerprint: params.fingerprint }
    : { fingerprint: params.fingerprint };
  return encodeStunMessage({ class: 'request', method, transactionId: tid, attributes }, options);
}

/** RFC 8656 §10.1: a Send indication (XOR-PEER-ADDRESS + DATA, no authentication). */
export function encodeSendIndication(
  peer: SocketAddress,
  data: Uint8Array,
  tid: Uint8Array,
  fingerprint: boolean,
): Uint8Array {
  const attributes = [makeAttribute(Attr.XOR_PEER_ADDRESS, peer, tid), makeAttribute(Attr.DATA, data)];
  return encodeStunMessage(
    { class: 'indication', method: StunMethod.SEND, transactionId: tid, attributes },
    { fingerprint },
  );
}
