/*
 * page_token.h — opaque, tamper-evident list positions.
 *
 * A token names the last item a page returned (two integer sort keys) and is bound by an
 * HMAC to the list it came from (the scope string: resource, system and filters), so a
 * token of another list, another system or a forged one is refused instead of silently
 * reading the wrong rows. Tokens stay valid across restarts as long as the key does.
 */
#ifndef KE_LIB_PAGE_TOKEN_H
#define KE_LIB_PAGE_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "lib/problem.h"

#define PAGE_TOKEN_KEY_LEN 32
#define PAGE_TOKEN_MAX_LEN 96

/* Writes the token for keys[0..1] into out (at least PAGE_TOKEN_MAX_LEN bytes). */
void page_token_encode(const unsigned char key[PAGE_TOKEN_KEY_LEN], const char *scope,
                       const int64_t keys[2], char *out);

/* Reads a token back. Returns ST_OK, or ST_INVALID when it is malformed, forged or was
 * issued for another scope. */
enum status page_token_decode(const unsigned char key[PAGE_TOKEN_KEY_LEN], const char *scope,
                              const char *token, int64_t keys[2]);

#endif
