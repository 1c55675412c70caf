/*
 * Optional native fast path for @rtcwire/srtp.
 *
 * Node statically links OpenSSL and exports its symbols, so this addon calls libcrypto directly with
 * cipher contexts that live as long as an SRTP session key: no per-packet context allocation, which is
 * what dominates the cost of node:crypto's createCipheriv/createHmac for 1,200-byte packets.
 *
 * The packet layout, ROC and replay rules are in TypeScript; this file holds the symmetric
 * primitives and the IV construction (mirrored by src/iv.ts for the node:crypto fallback, which
 * must produce the same bytes: test/backend.test.ts).
 *
 * - AES-CM + HMAC-SHA1 (RFC 3711 §4.1.1, §4.2.1): one EVP aes-ctr context re-keyed only with the IV,
 *   and HMAC computed from precomputed SHA-1 inner/outer pad states (a struct copy per packet).
 * - AES-GCM (RFC 7714): one EVP gcm context re-initialised with the IV per packet.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>

typedef struct {
  EVP_CIPHER_CTX *ctr;
  SHA_CTX inner; /* SHA-1 state after absorbing (authKey XOR ipad) */
  SHA_CTX outer; /* SHA-1 state after absorbing (authKey XOR opad) */
  uint8_t salt[14];
} cm_ctx;

typedef struct {
  EVP_CIPHER_CTX *gcm;
  uint8_t salt[12];
} gcm_ctx;

static void xor32(uint8_t *b, uint32_t v) {
  b[0] ^= (uint8_t)(v >> 24);
  b[1] ^= (uint8_t)(v >> 16);
  b[2] ^= (uint8_t)(v >> 8);
  b[3] ^= (uint8_t)v;
}

/*
 * AES-CM IV (RFC 3711 §4.1.1): (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).
 * SRTP (roc >= 0): index = ROC || SEQ in bytes 8..13. SRTCP (roc < 0): 31-bit index in bytes 10..13.
 */
static void cm_iv(const cm_ctx *c, uint32_t ssrc, int64_t roc, uint32_t seqOrIndex, uint8_t iv[16]) {
  memcpy(iv, c->salt, 14);
  iv[14] = iv[15] = 0;
  xor32(iv + 4, ssrc);
  if (roc >= 0) {
    xor32(iv + 8, (uint32_t)roc);
    iv[12] ^= (uint8_t)(seqOrIndex >> 8);
    iv[13] ^= (uint8_t)seqOrIndex;
  } else {
    xor32(iv + 10, seqOrIndex & 0x7fffffff);
  }
}

/*
 * AES-GCM IV: SRTP (RFC 7714 §8.1) 0x0000 || SSRC || ROC || SEQ, XOR salt; SRTCP (§9.1)
 * 0x0000 || SSRC || 0x0000 || 0 || index, XOR salt.
 */
static void gcm_iv(const gcm_ctx *g, uint32_t ssrc, int64_t roc, uint32_t seqOrWord, uint8_t iv[12]) {
  memcpy(iv, g->salt, 12);
  xor32(iv + 2, ssrc);
  if (roc >= 0) {
    xor32(iv + 6, (uint32_t)roc);
    iv[10] ^= (uint8_t)(seqOrWord >> 8);
    iv[11] ^= (uint8_t)seqOrWord;
  } else {
    xor32(iv + 8, seqOrWord & 0x7fffffff);
  }
}

#define CHECK(call)                                                                                            \
  do {                                                                                                         \
    if ((call) != napi_ok) {                                                                                   \
      napi_throw_error(env, NULL, "srtp_native: " #call " failed");                                            \
      return NULL;                                                                                             \
    }                                                                                                          \
  } while (0)

static int get_bytes(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  napi_typedarray_type type;
  void *ptr = NULL;
  size_t length = 0;
  if (napi_get_typedarray_info(env, v, &type, &length, &ptr, NULL, NULL) != napi_ok || type != napi_uint8_array)
    return 0;
  *data = (uint8_t *)ptr;
  *len = length;
  return 1;
}

static napi_value make_bool(napi_env env, int b) {
  napi_value r;
  napi_get_boolean(env, b ? true : false, &r);
  return r;
}

static void cm_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  cm_ctx *c = (cm_ctx *)data;
  EVP_CIPHER_CTX_free(c->ctr);
  OPENSSL_cleanse(c, sizeof(*c));
  free(c);
}

static void gcm_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  gcm_ctx *g = (gcm_ctx *)data;
  EVP_CIPHER_CTX_free(g->gcm);
  free(g);
}

/* createCm(encKey: Uint8Array(16|32), authKey: Uint8Array(<=64), salt: Uint8Array(14)) -> external */
static napi_value create_cm(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *key, *auth, *salt;
  size_t keyLen, authLen, saltLen;
  if (argc < 3 || !get_bytes(env, argv[0], &key, &keyLen) || !get_bytes(env, argv[1], &auth, &authLen) ||
      !get_bytes(env, argv[2], &salt, &saltLen) || (keyLen != 16 && keyLen != 32) || authLen > 64 || saltLen != 14) {
    napi_throw_type_error(env, NULL, "createCm(encKey, authKey, salt)");
    return NULL;
  }
  cm_ctx *c = (cm_ctx *)calloc(1, sizeof(cm_ctx));
  if (!c) {
    napi_throw_error(env, NULL, "srtp_native: out of memory");
    return NULL;
  }
  memcpy(c->salt, salt, 14);
  c->ctr = EVP_CIPHER_CTX_new();
  const EVP_CIPHER *cipher = keyLen == 16 ? EVP_aes_128_ctr() : EVP_aes_256_ctr();
  uint8_t zero_iv[16] = {0};
  if (!c->ctr || EVP_EncryptInit_ex(c->ctr, cipher, NULL, key, zero_iv) != 1) {
    EVP_CIPHER_CTX_free(c->ctr);
    free(c);
    napi_throw_error(env, NULL, "srtp_native: aes-ctr init failed");
    return NULL;
  }
  /* RFC 2104: HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)), K zero-padded to the 64-byte block. */
  uint8_t pad[64];
  memset(pad, 0x36, 64);
  for (size_t i = 0; i < authLen; i++) pad[i] ^= auth[i];
  SHA1_Init(&c->inner);
  SHA1_Update(&c->inner, pad, 64);
  memset(pad, 0x5c, 64);
  for (size_t i = 0; i < authLen; i++) pad[i] ^= auth[i];
  SHA1_Init(&c->outer);
  SHA1_Update(&c->outer, pad, 64);
  OPENSSL_cleanse(pad, sizeof(pad));
  napi_value ext;
  CHECK(napi_create_external(env, c, cm_finalize, NULL, &ext));
  return ext;
}

/* HMAC-SHA1 over data[0..len) followed by the optional 4-byte big-endian ROC; writes 20 bytes to mac. */
static void cm_hmac(const cm_ctx *c, const uint8_t *data, size_t len, int64_t roc, uint8_t mac[20]) {
  SHA_CTX s = c->inner;
  SHA1_Update(&s, data, len);
  if (roc >= 0) {
    uint8_t r[4] = {(uint8_t)(roc >> 24), (uint8_t)(roc >> 16), (uint8_t)(roc >> 8), (uint8_t)roc};
    SHA1_Update(&s, r, 4);
  }
  uint8_t inner[20];
  SHA1_Final(inner, &s);
  s = c->outer;
  SHA1_Update(&s, inner, 20);
  SHA1_Final(mac, &s);
}

static int cm_xor(cm_ctx *c, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len) {
  int outl = 0;
  if (EVP_EncryptInit_ex(c->ctr, NULL, NULL, NULL, iv) != 1) return 0;
  if (len == 0) return 1;
  return EVP_EncryptUpdate(c->ctr, out, &outl, in, (int)len) == 1;
}

typedef struct {
  void *ctx;
  uint8_t *src, *dst;
  size_t srcLen, dstLen;
  int32_t a, b, c;
  uint32_t ssrc, seqOrIndex;
  int64_t roc;
} args_t;

/* Parses (handle, src, dst, a, b, c, ssrc, roc, seqOrIndex) shared by every operation. */
static int parse_args(napi_env env, napi_callback_info info, args_t *o) {
  size_t argc = 9;
  napi_value argv[9];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 9) return 0;
  if (napi_get_value_external(env, argv[0], &o->ctx) != napi_ok) return 0;
  if (!get_bytes(env, argv[1], &o->src, &o->srcLen) || !get_bytes(env, argv[2], &o->dst, &o->dstLen)) return 0;
  if (napi_get_value_int32(env, argv[3], &o->a) != napi_ok || napi_get_value_int32(env, argv[4], &o->b) != napi_ok ||
      napi_get_value_int32(env, argv[5], &o->c) != napi_ok || napi_get_value_uint32(env, argv[6], &o->ssrc) != napi_ok ||
      napi_get_value_int64(env, argv[7], &o->roc) != napi_ok ||
      napi_get_value_uint32(env, argv[8], &o->seqOrIndex) != napi_ok)
    return 0;
  return 1;
}

static int cm_ranges_ok(const args_t *o, size_t encStart, size_t encEnd, size_t authEnd, size_t tagLen) {
  return encStart <= encEnd && encEnd <= authEnd && encEnd <= o->srcLen && authEnd + tagLen <= o->dstLen &&
         tagLen <= 20;
}

static napi_value cm_protect(napi_env env, napi_callback_info info) {
  args_t o;
  if (!parse_args(env, info, &o)) {
    napi_throw_type_error(env, NULL, "cmProtect: bad arguments");
    return NULL;
  }
  cm_ctx *c = (cm_ctx *)o.ctx;
  size_t encStart = (size_t)o.a, encEnd = (size_t)o.b, authEnd = (size_t)(o.c >> 8), tagLen = (size_t)(o.c & 0xff);
  if (o.a < 0 || o.b < 0 || o.c < 0 || !cm_ranges_ok(&o, encStart, encEnd, authEnd, tagLen)) {
    napi_throw_range_error(env, NULL, "cmProtect: range");
    return NULL;
  }
  if (o.src != o.dst) memmove(o.dst, o.src, encStart);
  uint8_t iv[16];
  cm_iv(c, o.ssrc, o.roc, o.seqOrIndex, iv);
  if (!cm_xor(c, iv, o.src + encStart, o.dst + encStart, encEnd - encStart)) return make_bool(env, 0);
  uint8_t mac[20];
  cm_hmac(c, o.dst, authEnd, o.roc, mac);
  memcpy(o.dst + authEnd, mac, tagLen);
  return make_bool(env, 1);
}

/* cmUnprotect(h, src, dst, encStart, encEnd, (authEnd << 8) | tagLen, ssrc, roc, seqOrIndex) -> authentic?
 * Verifies the tag at src[authEnd..] first; only then copies the header and decrypts into dst. */
static napi_value cm_unprotect(napi_env env, napi_callback_info info) {
  args_t o;
  if (!parse_args(env, info, &o)) {
    napi_throw_type_error(env, NULL, "cmUnprotect: bad arguments");
    return NULL;
  }
  cm_ctx *c = (cm_ctx *)o.ctx;
  size_t encStart = (size_t)o.a, encEnd = (size_t)o.b, authEnd = (size_t)(o.c >> 8), tagLen = (size_t)(o.c & 0xff);
  if (o.a < 0 || o.b < 0 || o.c < 0 || encStart > encEnd || encEnd > authEnd || authEnd + tagLen > o.srcLen ||
      encEnd > o.dstLen || tagLen > 20) {
    napi_throw_range_error(env, NULL, "cmUnprotect: range");
    return NULL;
  }
  uint8_t mac[20];
  cm_hmac(c, o.src, authEnd, o.roc, mac);
  if (CRYPTO_memcmp(mac, o.src + authEnd, tagLen) != 0) return make_bool(env, 0);
  if (o.src != o.dst) memmove(o.dst, o.src, encStart);
  uint8_t iv[16];
  cm_iv(c, o.ssrc, o.roc, o.seqOrIndex, iv);
  return make_bool(env, cm_xor(c, iv, o.src + encStart, o.dst + encStart, encEnd - encStart));
}

/* createGcm(key: Uint8Array(16|32), salt: Uint8Array(12)) -> external */
static napi_value create_gcm(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *key, *salt;
  size_t keyLen, saltLen;
  if (argc < 2 || !get_bytes(env, argv[0], &key, &keyLen) || (keyLen != 16 && keyLen != 32) ||
      !get_bytes(env, argv[1], &salt, &saltLen) || saltLen != 12) {
    napi_throw_type_error(env, NULL, "createGcm(key, salt)");
    return NULL;
  }
  gcm_ctx *g = (gcm_ctx *)calloc(1, sizeof(gcm_ctx));
  if (!g) {
    napi_throw_error(env, NULL, "srtp_native: out of memory");
    return NULL;
  }
  memcpy(g->salt, salt, 12);
  g->gcm = EVP_CIPHER_CTX_new();
  const EVP_CIPHER *cipher = keyLen == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
  if (!g->gcm || EVP_CipherInit_ex(g->gcm, cipher, NULL, NULL, NULL, 1) != 1 ||
      EVP_CIPHER_CTX_ctrl(g->gcm, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
      EVP_CipherInit_ex(g->gcm, NULL, NULL, key, NULL, 1) != 1) {
    EVP_CIPHER_CTX_free(g->gcm);
    free(g);
    napi_throw_error(env, NULL, "srtp_native: aes-gcm init failed");
    return NULL;
  }
  napi_value ext;
  CHECK(napi_create_external(env, g, gcm_finalize, NULL, &ext));
  return ext;
}

/*
 * gcmSeal(h, src, dst, aadEnd, encEnd, 0, ssrc, roc, seqOrWord): AAD = src[0..aadEnd), and for SRTCP
 * (roc < 0) also the 4-byte E|index word `seqOrWord` (RFC 7714 §9.2); encrypts src[aadEnd..encEnd)
 * into dst and writes the 16-byte tag at dst[encEnd..encEnd+16).
 * gcmOpen(...) with the tag at src[encEnd..encEnd+16) -> authentic? (dst is written either way).
 */
static napi_value gcm_run(napi_env env, napi_callback_info info, int enc) {
  args_t o;
  if (!parse_args(env, info, &o)) {
    napi_throw_type_error(env, NULL, "gcm: bad arguments");
    return NULL;
  }
  gcm_ctx *g = (gcm_ctx *)o.ctx;
  size_t aadEnd = (size_t)o.a, encEnd = (size_t)o.b;
  size_t need = enc ? encEnd + 16 : encEnd;
  if (o.a < 0 || o.b < 0 || aadEnd > encEnd || encEnd > o.srcLen || need > o.dstLen ||
      (!enc && encEnd + 16 > o.srcLen)) {
    napi_throw_range_error(env, NULL, "gcm: range");
    return NULL;
  }
  int outl = 0;
  EVP_CIPHER_CTX *x = g->gcm;
  uint8_t iv[12];
  gcm_iv(g, o.ssrc, o.roc, o.seqOrIndex, iv);
  if (EVP_CipherInit_ex(x, NULL, NULL, NULL, iv, enc) != 1) return make_bool(env, 0);
  if (aadEnd > 0 && EVP_CipherUpdate(x, NULL, &outl, o.src, (int)aadEnd) != 1) return make_bool(env, 0);
  if (o.roc < 0) {
    uint8_t word[4] = {0, 0, 0, 0};
    xor32(word, o.seqOrIndex);
    if (EVP_CipherUpdate(x, NULL, &outl, word, 4) != 1) return make_bool(env, 0);
  }
  if (o.src != o.dst) memmove(o.dst, o.src, aadEnd);
  if (encEnd > aadEnd &&
      EVP_CipherUpdate(x, o.dst + aadEnd, &outl, o.src + aadEnd, (int)(encEnd - aadEnd)) != 1)
    return make_bool(env, 0);
  if (enc) {
    if (EVP_CipherFinal_ex(x, o.dst + encEnd, &outl) != 1) return make_bool(env, 0);
    return make_bool(env, EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, o.dst + encEnd) == 1);
  }
  uint8_t tag[16];
  memcpy(tag, o.src + encEnd, 16);
  if (EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG, 16, tag) != 1) return make_bool(env, 0);
  return make_bool(env, EVP_CipherFinal_ex(x, o.dst + encEnd, &outl) == 1);
}

static napi_value gcm_seal(napi_env env, napi_callback_info info) { return gcm_run(env, info, 1); }
static napi_value gcm_open(napi_env env, napi_callback_info info) { return gcm_run(env, info, 0); }

/* Bumped whenever the JS-facing signatures change; src/crypto-native.ts refuses other versions. */
#define SRTP_NATIVE_API_VERSION 2

static napi_value init(napi_env env, napi_value exports) {
  napi_value version;
  napi_create_uint32(env, SRTP_NATIVE_API_VERSION, &version);
  napi_property_descriptor props[] = {
      {"apiVersion", NULL, NULL, NULL, NULL, version, napi_enumerable, NULL},
      {"createCm", NULL, create_cm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"cmProtect", NULL, cm_protect, NULL, NULL, NULL, napi_enumerable, NULL},
      {"cmUnprotect", NULL, cm_unprotect, NULL, NULL, NULL, napi_enumerable, NULL},
      {"createGcm", NULL, create_gcm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gcmSeal", NULL, gcm_seal, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gcmOpen", NULL, gcm_open, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
