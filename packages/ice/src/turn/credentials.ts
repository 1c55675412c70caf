import {
  Attr,
  getAttribute,
  type KeyAlgorithm,
  longTermKey,
  makeAttribute,
  PasswordAlgorithm,
  type PasswordAlgorithmValue,
  type StunAttribute,
  type StunMessage,
} from '@rtcwire/stun';

/**
 * Long-term credential state (RFC 8489 §9.2): the realm and nonce learnt from a 401, the chosen
 * password algorithm (§9.2.4, when the server offers PASSWORD-ALGORITHMS) and the derived key.
 */
export class LongTermCredentials {
  private realm: string | undefined;
  private nonce: string | undefined;
  private algorithms: readonly PasswordAlgorithmValue[] | undefined;
  private chosen: PasswordAlgorithmValue | undefined;
  private derivedKey: Uint8Array | undefined;

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  /** The HMAC key, once a realm is known. */
  get key(): Uint8Array | undefined {
    return this.derivedKey;
  }

  /**
   * Learn REALM and NONCE (and PASSWORD-ALGORITHMS) from a 401 (RFC 8489 §9.2.4). Returns false when
   * the response lacks them. Throws ParseError when they are malformed (caller drops the message).
   */
  learn(msg: StunMessage): boolean {
    const realm = getAttribute(msg, Attr.REALM);
    const nonce = getAttribute(msg, Attr.NONCE);
    if (realm === undefined || nonce === undefined) return false;
    this.realm = realm;
    this.nonce = nonce;
    const algorithms = getAttribute(msg, Attr.PASSWORD_ALGORITHMS);
    this.algorithms = algorithms;
    // Prefer SHA-256, else MD5; an offer with neither leaves MD5 without the attributes.
    this.chosen =
      algorithms?.find((a) => a.algorithm === PasswordAlgorithm.SHA256) ??
      algorithms?.find((a) => a.algorithm === PasswordAlgorithm.MD5);
    const alg: KeyAlgorithm = this.chosen?.algorithm === PasswordAlgorithm.SHA256 ? 'sha256' : 'md5';
    this.derivedKey = longTermKey(this.username, realm, this.password, alg);
    return true;
  }

  /** RFC 8489 §9.2.5: a 438 carries a fresh NONCE (and maybe a REALM); returns false without one. */
  refreshNonce(msg: StunMessage): boolean {
    const nonce = getAttribute(msg, Attr.NONCE);
    if (nonce === undefined) return false;
    const realm = getAttribute(msg, Attr.REALM);
    if (realm !== undefined && realm !== this.realm) return this.learn(msg);
    this.nonce = nonce;
    return true;
  }

  /** USERNAME, REALM, NONCE (+ PASSWORD-ALGORITHMS / PASSWORD-ALGORITHM) for an authenticated request. */
  attributes(): StunAttribute[] {
    if (this.realm === undefined || this.nonce === undefined) return [];
    const out = [
      makeAttribute(Attr.USERNAME, this.username),
      makeAttribute(Attr.REALM, this.realm),
      makeAttribute(Attr.NONCE, this.nonce),
    ];
    if (this.algorithms && this.chosen) {
      out.push(
        makeAttribute(Attr.PASSWORD_ALGORITHMS, this.algorithms),
        makeAttribute(Attr.PASSWORD_ALGORITHM, this.chosen),
      );
    }
    return out;
  }
}
