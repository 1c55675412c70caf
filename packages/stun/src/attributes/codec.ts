import { InvalidArgumentError, ParseError } from '@rtcwire/common';
import type { StunAttribute, StunMessage } from '../message.js';

/**
 * A typed view of one attribute type: `decode` turns the wire value into T (throwing ParseError on
 * malformed remote input), `encode` turns T into the wire value (throwing InvalidArgumentError /
 * RangeError on local misuse). XOR-address codecs need the message's transaction id.
 */
export interface AttributeCodec<T> {
  readonly type: number;
  readonly name: string;
  encode(value: T, transactionId?: Uint8Array): Uint8Array;
  decode(value: Uint8Array, transactionId: Uint8Array): T;
}

/** Build an attribute from a typed value. */
export function makeAttribute<T>(codec: AttributeCodec<T>, value: T, transactionId?: Uint8Array): StunAttribute {
  return { type: codec.type, value: codec.encode(value, transactionId) };
}

/** The first attribute of `codec`'s type, decoded; undefined when absent. Throws ParseError when malformed. */
export function getAttribute<T>(msg: StunMessage, codec: AttributeCodec<T>): T | undefined {
  for (const a of msg.attributes) {
    if (a.type === codec.type) return decodeAttributeValue(codec, a.value, msg);
  }
  return undefined;
}

/** Every attribute of `codec`'s type, decoded, in order (e.g. several XOR-PEER-ADDRESS). */
export function getAttributes<T>(msg: StunMessage, codec: AttributeCodec<T>): T[] {
  const out: T[] = [];
  for (const a of msg.attributes) {
    if (a.type === codec.type) out.push(decodeAttributeValue(codec, a.value, msg));
  }
  return out;
}

/** True when the message has an attribute of this type. */
export function hasAttribute(msg: StunMessage, type: number): boolean {
  return msg.attributes.some((a) => a.type === type);
}

/** Decode one value; a ParseError's offset is made relative to the whole message when `msg` has `raw`. */
function decodeAttributeValue<T>(codec: AttributeCodec<T>, value: Uint8Array, msg: StunMessage): T {
  try {
    return codec.decode(value, msg.transactionId);
  } catch (err) {
    const base = valueOffset(msg, value);
    if (err instanceof ParseError) {
      if (base === 0) throw err;
      const detail = err.message.replace(/ \(at byte \d+\)$/, '');
      throw new ParseError(err.code, detail, base + err.offset, { cause: err });
    }
    throw new ParseError('stun_bad_attribute', `${codec.name}: ${(err as Error).message}`, base, { cause: err });
  }
}

function valueOffset(msg: StunMessage, value: Uint8Array): number {
  const raw = (msg as { raw?: Uint8Array }).raw;
  if (!raw || raw.buffer !== value.buffer) return 0;
  const at = value.byteOffset - raw.byteOffset;
  return at >= 0 && at <= raw.byteLength ? at : 0;
}

/** Helpers shared by codecs. */
export function expectLength(name: string, value: Uint8Array, ...allowed: number[]): void {
  if (!allowed.includes(value.byteLength)) {
    throw new ParseError('stun_bad_attribute', `${name}: length ${value.byteLength}, expected ${allowed.join('|')}`, 0);
  }
}

export function needTransactionId(name: string, tid: Uint8Array | undefined): Uint8Array {
  if (tid?.byteLength !== 12) throw new InvalidArgumentError(`${name} needs the 12-byte transaction id`);
  return tid;
}
