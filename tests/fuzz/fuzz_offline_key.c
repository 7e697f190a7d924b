/*
 * fuzz_offline_key.c — offline key values as a lock reads them, and as the platform signs
 * them.
 *
 * The first input byte picks a mode (modulo 4), the rest is its argument:
 *   0  a value text: decoded and verified against the system key;
 *   1  raw blob bytes (cut or zero-padded to 146), base64-encoded, then the same: this
 *      reaches the signature check with every payload;
 *   2  claims (ids, window, slot, an instant) built from the bytes, signed, then decoded
 *      and verified: the claims must come back unchanged and the verdict must follow the
 *      window;
 *   3  a public key PEM text, used to verify a valid value (OpenSSL's parser, our checks).
 * The key pair is derived once from a fixed seed.
 */
#include <inttypes.h>
#include <openssl/evp.h>

#include "fuzz.h"
#include "lib/offline_key.h"

#define OD "0b1f6a52-2d4e-4c8a-9f17-6e3b5a9d1c20"
#define LD "5d3a5d9e-6b0f-4c1e-9a51-0d3f1b7c2a10"

static char *private_pem, *public_pem;
static char good_value[OFFLINE_KEY_VALUE_LEN];

static void uuid_text(const uint8_t *b, char out[UUID_STR_LEN])
{
    snprintf(out, UUID_STR_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    unsigned char seed[OFFLINE_KEY_SEED_LEN];
    struct offline_key_claims c = {"3fa85f64-5717-4562-b3fc-2c963f66afa6",
                                   "2c963f66-afa6-4562-b3fc-3fa85f645717",
                                   OD,
                                   LD,
                                   1000,
                                   2000,
                                   OFFLINE_KEY_SLOT_CURRENT};

    (void)argc;
    (void)argv;
    memset(seed, 0x42, sizeof(seed));
    if (offline_key_generate_pem(seed, &private_pem) != ST_OK ||
        offline_key_public_pem(private_pem, &public_pem) != ST_OK ||
        offline_key_sign(private_pem, &c, good_value) != ST_OK)
        abort();
    return 0;
}

static int64_t i64(const uint8_t *b)
{
    uint64_t u = 0;

    for (int i = 0; i < 8; i++)
        u = u << 8 | b[i];
    return (int64_t)u;
}

static void check_value(const char *value, int64_t now)
{
    struct offline_key_claims c, shown;
    enum offline_key_verdict v;

    memset(&shown, 0, sizeof(shown));
    if (offline_key_decode(value, &c) == ST_OK)
        FUZZ_CHECK(strlen(value) == OFFLINE_KEY_VALUE_LEN - 1, "decoded a %zu-char value",
                   strlen(value));
    v = offline_key_verify(value, public_pem, OD, LD, now, &shown);
    FUZZ_CHECK(v >= OFFLINE_KEY_OK && v <= OFFLINE_KEY_ERROR, "verdict %d", (int)v);
    FUZZ_CHECK(v != OFFLINE_KEY_ERROR, "error verdict for a usable key");
    FUZZ_CHECK(strcmp(offline_key_verdict_name(v), "error") != 0, "name");
}

static void check_blob(const uint8_t *data, size_t size)
{
    unsigned char blob[OFFLINE_KEY_BLOB_LEN] = {0};
    char value[OFFLINE_KEY_VALUE_LEN + 4];

    memcpy(blob, data, size < sizeof(blob) ? size : sizeof(blob));
    FUZZ_CHECK(EVP_EncodeBlock((unsigned char *)value, blob, sizeof(blob)) ==
                   OFFLINE_KEY_VALUE_LEN - 1,
               "encode");
    check_value(value, size >= 8 ? i64(data) : 0);
}

static void check_signed(const uint8_t *data, size_t size)
{
    uint8_t b[16 * 4 + 8 * 3 + 1] = {0};
    struct offline_key_claims c, back;
    char value[OFFLINE_KEY_VALUE_LEN];
    enum offline_key_verdict v, want;
    int64_t now;

    memset(&c, 0, sizeof(c));
    memset(&back, 0, sizeof(back)); /* so that memcmp() sees equal padding */
    memcpy(b, data, size < sizeof(b) ? size : sizeof(b));
    uuid_text(b, c.key_id);
    uuid_text(b + 16, c.system_id);
    uuid_text(b + 32, c.operating_device_id);
    uuid_text(b + 48, c.locking_device_id);
    c.start = i64(b + 64);
    c.end = i64(b + 72);
    now = i64(b + 80);
    c.slot = b[88] & 1 ? OFFLINE_KEY_SLOT_NEXT : OFFLINE_KEY_SLOT_CURRENT;
    FUZZ_CHECK(offline_key_sign(private_pem, &c, value) == ST_OK, "sign");
    FUZZ_CHECK(offline_key_decode(value, &back) == ST_OK, "decode of a signed value");
    FUZZ_CHECK(memcmp(&back, &c, sizeof(c)) == 0, "claims changed");
    v = offline_key_verify(value, public_pem, c.operating_device_id, c.locking_device_id, now,
                           NULL);
    want = now < c.start  ? OFFLINE_KEY_NOT_YET_VALID
           : now >= c.end ? OFFLINE_KEY_EXPIRED
                          : OFFLINE_KEY_OK;
    FUZZ_CHECK(v == want, "verdict %s, expected %s", offline_key_verdict_name(v),
               offline_key_verdict_name(want));
    if (strcmp(c.operating_device_id, OD) != 0)
        FUZZ_CHECK(offline_key_verify(value, public_pem, OD, c.locking_device_id, now, NULL) ==
                       OFFLINE_KEY_WRONG_DEVICE,
                   "another phone's key accepted");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;

    if (size == 0)
        return 0;
    text = fuzz_text(data + 1, size - 1);
    switch (data[0] % 4) {
    case 0:
        check_value(text, 1500);
        break;
    case 1:
        check_blob(data + 1, size - 1);
        break;
    case 2:
        check_signed(data + 1, size - 1);
        break;
    default:
        FUZZ_CHECK(offline_key_verify(good_value, text, OD, LD, 1500, NULL) != OFFLINE_KEY_OK ||
                       strcmp(text, public_pem) == 0 || strstr(text, "PUBLIC KEY") != NULL,
                   "a value verified with a text that is no key");
        break;
    }
    free(text);
    return 0;
}
