/*
 * reference_server.c — the bare libraries, for comparison in the benchmark: a
 * libmicrohttpd thread pool with epoll, one SQLite connection per worker (WAL,
 * synchronous=NORMAL), json-c rendering, no routing, auth or validation.
 *
 *   GET  /item/<id>  one primary-key row as JSON
 *   POST /item       inserts a row (body ignored) and answers it as JSON
 *
 * usage: reference_server DB PORT_FILE THREADS   (listens on 127.0.0.1, any free port)
 */
#include <json-c/json.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *db_path;
static _Thread_local sqlite3 *conn;
static _Thread_local sqlite3_stmt *get_stmt, *insert_stmt;
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_ulong counter;

static sqlite3 *thread_conn(void)
{
    if (conn == NULL) {
        sqlite3_open_v2(db_path, &conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
        sqlite3_exec(conn, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
        sqlite3_busy_timeout(conn, 5000);
        sqlite3_prepare_v2(conn, "SELECT id, name, created FROM items WHERE id = ?", -1, &get_stmt,
                           NULL);
        sqlite3_prepare_v2(conn, "INSERT INTO items (id, name, created) VALUES (?, ?, ?)", -1,
                           &insert_stmt, NULL);
    }
    return conn;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned code, json_object *o)
{
    const char *text = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "{}";
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;

    MHD_add_response_header(r, "Content-Type", "application/json");
    ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    json_object_put(o);
    return ret;
}

static json_object *row_json(sqlite3_stmt *s)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "id",
                           json_object_new_string((const char *)sqlite3_column_text(s, 0)));
    json_object_object_add(o, "name",
                           json_object_new_string((const char *)sqlite3_column_text(s, 1)));
    json_object_object_add(o, "created", json_object_new_int64(sqlite3_column_int64(s, 2)));
    return o;
}

static enum MHD_Result get_item(struct MHD_Connection *c, const char *id)
{
    json_object *o = NULL;

    thread_conn();
    sqlite3_reset(get_stmt);
    sqlite3_bind_text(get_stmt, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(get_stmt) == SQLITE_ROW)
        o = row_json(get_stmt);
    sqlite3_reset(get_stmt);
    return send_json(c, o ? 200 : 404, o);
}

static enum MHD_Result post_item(struct MHD_Connection *c)
{
    char id[64];
    json_object *o = json_object_new_object();

    thread_conn();
    snprintf(id, sizeof(id), "item-%lu-%lu", (unsigned long)pthread_self() % 100000,
             atomic_fetch_add(&counter, 1));
    pthread_mutex_lock(&write_lock);
    sqlite3_reset(insert_stmt);
    sqlite3_bind_text(insert_stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert_stmt, 2, "bench", -1, SQLITE_STATIC);
    sqlite3_bind_int64(insert_stmt, 3, 1700000000);
    sqlite3_step(insert_stmt);
    sqlite3_reset(insert_stmt);
    pthread_mutex_unlock(&write_lock);
    json_object_object_add(o, "id", json_object_new_string(id));
    return send_json(c, 201, o);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *size, void **state)
{
    (void)cls;
    (void)version;
    (void)data;
    if (*state == NULL) {
        *state = (void *)1;
        return MHD_YES;
    }
    if (*size > 0) {
        *size = 0;
        return MHD_YES;
    }
    if (strcmp(method, "GET") == 0 && strncmp(url, "/item/", 6) == 0)
        return get_item(c, url + 6);
    if (strcmp(method, "POST") == 0 && strcmp(url, "/item") == 0)
        return post_item(c);
    return send_json(c, 404, NULL);
}

int main(int argc, char **argv)
{
    struct MHD_Daemon *d;
    sqlite3 *setup;
    sigset_t stop;
    FILE *f;
    int sig;

    if (argc != 4)
        return 2;
    db_path = argv[1];
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    sqlite3_open(db_path, &setup);
    sqlite3_exec(setup,
                 "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY,"
                 " name TEXT, created INTEGER); INSERT OR IGNORE INTO items VALUES"
                 " ('item-1', 'first', 1700000000);",
                 NULL, NULL, NULL);
    sqlite3_close(setup);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, on_request,
                         NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)atoi(argv[3]),
                         MHD_OPTION_END);
    if (d == NULL)
        return 1;
    f = fopen(argv[2], "w");
    fprintf(f, "%u\n", MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port);
    fclose(f);
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    return 0;
}
