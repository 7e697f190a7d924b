/*
 * sse.h — answering with a stream of Server-Sent Events (text/event-stream).
 *
 * A handler validates its request and answers respond_stream() with a source: a function
 * that writes what is new since its last call. The stream writes a retry hint, then calls
 * the source whenever there may be something new — at once, after every wake of the
 * parking lot (events committed) — and parks in between, without holding a worker thread;
 * after 15 s of silence it writes a heartbeat comment, which also finds clients that went
 * away. When the source says it is over (ST_GONE, after writing its last record) or the
 * server stops (an `end` record with reason "shutdown"), the stream ends.
 */
#ifndef KE_HTTP_SSE_H
#define KE_HTTP_SSE_H

#include "http/request.h"

#define SSE_HEARTBEAT_S 15
#define SSE_RETRY_MS 3000

/* Where a source writes its records. */
struct sse_writer;

/* Appends one event: `id:` (unless id is NULL), `event:`, and data as `data:` lines. */
enum status sse_write(struct sse_writer *w, const char *id, const char *event, const char *data);

/* The bytes written and not yet sent: a source stops at a bound instead of writing a
 * whole backlog into memory; it is called again once they are sent. */
size_t sse_pending(const struct sse_writer *w);

struct sse_source {
    /* Writes what is new into w. ST_OK whether or not it wrote anything; ST_GONE when the
     * stream is over (it wrote a last record saying why); another status ends the stream
     * with an `end` record of reason "error". Runs on the connection's worker thread. */
    enum status (*next)(void *ctx, struct db *db, struct sse_writer *w);
    void (*release)(void *ctx); /* frees ctx when the connection is done */
    void *ctx;
};

/* Answers 200 with the stream of src (whose ctx it then owns, also on failure). */
enum status respond_stream(struct response *res, const struct sse_source *src);

/* Sends a stream that respond_stream() set up; returns an MHD_Result. A stream that is not
 * sent must be dropped with sse_discard(). */
int sse_send(struct request *req, void *stream);
void sse_discard(void *stream);

/* Streams open now (for /metrics and the tests). */
int sse_open_streams(void);

#endif
