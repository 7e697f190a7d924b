/*
 * receiver.c — the webhook tests' loopback server (see receiver.h).
 */
#include "receiver.h"

#include <check.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A request body as it arrives. */
struct upload {
    char *data;
    size_t len;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **state)
{
    const struct receiver *r = cls;
    struct upload *u = *state;
    struct MHD_Response *resp;
    unsigned status, delay_ms = 0;
    enum MHD_Result ret;

    (void)method, (void)version;
    if (u == NULL) {
        *state = u = calloc(1, sizeof(*u));
        return u ? MHD_YES : MHD_NO;
    }
    if (*upload_size > 0) {
        char *grown = realloc(u->data, u->len + *upload_size + 1);

        if (grown == NULL)
            return MHD_NO;
        u->data = grown;
        memcpy(u->data + u->len, upload_data, *upload_size);
        u->len += *upload_size;
        u->data[u->len] = '\0';
        *upload_size = 0;
        return MHD_YES;
    }
    status = r->fn(c, url, u->data ? u->data : "", u->len, &delay_ms);
    if (delay_ms > 0)
        usleep(delay_ms * 1000);
    resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode code)
{
    struct upload *u = *state;

    (void)cls, (void)c, (void)code;
    if (u != NULL)
        free(u->data);
    free(u);
    *state = NULL;
}

void receiver_start(struct receiver *r, receiver_fn fn)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

    r->fn = fn;
    r->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0,
                                 NULL, NULL, on_request, r, MHD_OPTION_SOCK_ADDR, &addr,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    ck_assert_ptr_nonnull(r->daemon);
    r->port = MHD_get_daemon_info(r->daemon, MHD_DAEMON_INFO_BIND_PORT)->port;
}

void receiver_stop(struct receiver *r)
{
    if (r->daemon != NULL)
        MHD_stop_daemon(r->daemon);
    r->daemon = NULL;
}

const char *receiver_header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

int webhook_signature_ok(const char *secret, const char *id, const char *ts, const char *body,
                         const char *header)
{
    unsigned char key[512], mac[EVP_MAX_MD_SIZE];
    char content[16384], expected[128];
    unsigned mac_len = 0;
    int key_len, n;

    if (header == NULL)
        return 0;
    if (strncmp(secret, "whsec_", 6) == 0) {
        size_t encoded_len = strlen(secret) - 6; /* GCC 12 misjudges strlen(secret + 6) */
        key_len = EVP_DecodeBlock(key, (const unsigned char *)secret + 6, (int)encoded_len);
        for (const char *p = secret + strlen(secret); p > secret && p[-1] == '='; p--)
            key_len--;
    } else {
        key_len = (int)strlen(secret);
        memcpy(key, secret, (size_t)key_len);
    }
    n = snprintf(content, sizeof(content), "%s.%s.%s", id, ts, body);
    HMAC(EVP_sha256(), key, key_len, (unsigned char *)content, (size_t)n, mac, &mac_len);
    memcpy(expected, "v1,", 3);
    EVP_EncodeBlock((unsigned char *)expected + 3, mac, (int)mac_len);
    return strcmp(expected, header) == 0;
}
