#include "http/sse.h"

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "http/parking.h"
#include "http/response.h"
#include "lib/wallclock.h"

/* Bytes a source may leave unsent before it is asked to stop; one call writes about this
 * much of a backlog, the next call the next part once it is sent. */
#define PENDING_BOUND (256 * 1024)
#define BLOCK_SIZE (16 * 1024)

struct sse_writer {
    char *buf;
    size_t len, cap;
};

struct stream {
    struct parking_slot slot;
    struct sse_source src;
    struct sse_writer out;
    size_t sent;             /* of out.len */
    int ended;               /* the last record is written: end once it is sent */
    int64_t heartbeat_at_ns; /* when silence is next broken */
};

static atomic_int open_streams;

static enum status append(struct sse_writer *w, const char *text, size_t n)
{
    if (w->len + n + 1 > w->cap) {
        size_t cap = (w->len + n + 1) * 2;
        char *grown = realloc(w->buf, cap);
        if (grown == NULL)
            return ST_NOMEM;
        w->buf = grown;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, text, n);
    w->len += n;
    w->buf[w->len] = '\0';
    return ST_OK;
}

static enum status append_field(struct sse_writer *w, const char *name, const char *value, size_t n)
{
    enum status st = append(w, name, strlen(name));

    if (st == ST_OK)
        st = append(w, value, n);
    return st == ST_OK ? append(w, "\n", 1) : st;
}

enum status sse_write(struct sse_writer *w, const char *id, const char *event, const char *data)
{
    enum status st = ST_OK;

    if (id != NULL)
        st = append_field(w, "id: ", id, strlen(id));
    if (st == ST_OK)
        st = append_field(w, "event: ", event, strlen(event));
    /* A newline in data would end the field: each line travels as a data: line. */
    for (const char *p = data; st == ST_OK; p += strcspn(p, "\n") + 1) {
        st = append_field(w, "data: ", p, strcspn(p, "\n"));
        if (p[strcspn(p, "\n")] == '\0')
            break;
    }
    return st == ST_OK ? append(w, "\n", 1) : st;
}

size_t sse_pending(const struct sse_writer *w)
{
    return w->len;
}

static void write_end(struct stream *s, const char *reason)
{
    char data[64];

    snprintf(data, sizeof(data), "{\"reason\":\"%s\"}", reason);
    if (sse_write(&s->out, NULL, "end", data) != ST_OK)
        s->out.len = 0; /* out of memory: end without a word rather than half a record */
    s->ended = 1;
}

static void quiet_from_now(struct stream *s)
{
    s->heartbeat_at_ns = clock_monotonic_ns() + SSE_HEARTBEAT_S * 1000000000LL;
}

/* Fills the buffer with what there is to send now; leaves it empty when there is nothing. */
static void refill(struct stream *s)
{
    enum status st;

    if (parking_closing()) {
        write_end(s, "shutdown");
        return;
    }
    st = s->src.next(s->src.ctx, db_thread(), &s->out);
    if (st == ST_GONE)
        s->ended = 1;
    else if (st != ST_OK)
        write_end(s, "error");
    if (s->out.len > 0)
        quiet_from_now(s);
    else if (clock_monotonic_ns() >= s->heartbeat_at_ns) {
        if (append(&s->out, ": heartbeat\n\n", 13) == ST_OK)
            quiet_from_now(s);
    }
}

/* libmicrohttpd asks for the next bytes: sends what is buffered, else refills, else parks
 * until there may be more (returning 0 bytes from a suspended connection is the documented
 * way to wait). */
static ssize_t read_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream *s = cls;

    (void)pos;
    for (;;) {
        if (s->sent < s->out.len) {
            size_t n = s->out.len - s->sent < max ? s->out.len - s->sent : max;
            memcpy(buf, s->out.buf + s->sent, n);
            s->sent += n;
            if (s->sent == s->out.len)
                s->sent = s->out.len = 0;
            return (ssize_t)n;
        }
        if (parking_woken(&s->slot) & PARKING_WOKEN_HANGUP)
            return MHD_CONTENT_READER_END_WITH_ERROR;
        if (s->ended)
            return MHD_CONTENT_READER_END_OF_STREAM;
        struct parking_seen seen;
        parking_look(&seen);
        refill(s);
        if (s->out.len == 0 && !s->ended &&
            parking_park(&s->slot, PARKING_EVENTS, &seen, s->heartbeat_at_ns))
            return 0;
    }
}

static void free_stream(void *cls)
{
    struct stream *s = cls;

    parking_forget(&s->slot);
    if (s->src.release != NULL)
        s->src.release(s->src.ctx);
    free(s->out.buf);
    free(s);
    atomic_fetch_sub(&open_streams, 1);
}

enum status respond_stream(struct response *res, const struct sse_source *src)
{
    struct stream *s = calloc(1, sizeof(*s));
    char retry[32];

    if (s == NULL) {
        if (src->release != NULL)
            src->release(src->ctx);
        return ST_NOMEM;
    }
    atomic_fetch_add(&open_streams, 1);
    s->src = *src;
    quiet_from_now(s);
    /* The first bytes go out at once, and with them the headers: a client sees that the
     * stream is open before the first event. */
    snprintf(retry, sizeof(retry), "retry: %d\n\n", SSE_RETRY_MS);
    if (append(&s->out, retry, strlen(retry)) != ST_OK) {
        free_stream(s);
        return ST_NOMEM;
    }
    res->status = 200;
    res->stream = s;
    return ST_OK;
}

int sse_send(struct request *req, void *stream)
{
    static const char *const headers[] = {
        MHD_HTTP_HEADER_CACHE_CONTROL,
        "no-cache",
        "X-Accel-Buffering",
        "no", /* proxies that buffer answers would hold events back */
        NULL,
    };
    struct stream *s = stream;
    struct MHD_Response *r;

    s->slot.connection = req->connection;
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, BLOCK_SIZE, read_stream, s,
                                          free_stream);
    if (r == NULL) {
        free_stream(s);
        return MHD_NO;
    }
    return response_queue_raw(req, 200, "text/event-stream", r, headers);
}

void sse_discard(void *stream)
{
    if (stream != NULL)
        free_stream(stream);
}

int sse_open_streams(void)
{
    return atomic_load(&open_streams);
}
