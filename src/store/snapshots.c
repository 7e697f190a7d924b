#include "store/snapshots.h"
#include "store/sql.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_INFIX ".snapshot."
#define TMP_INFIX ".snapshot-tmp." /* never matches FILE_INFIX, so lists skip it */
#define BUSY_RETRIES 5000          /* 2 ms apart: ten seconds, like the busy timeout */

/* Snapshots of an in-memory database, newest first. */
struct memory_snapshot {
    struct snapshot_info info;
    sqlite3 *handle;
    struct memory_snapshot *next;
};

/* One snapshot operation at a time: two creations of one name must not both succeed. */
static pthread_mutex_t snap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct memory_snapshot *memory_snapshots;

int store_snapshot_name_ok(const char *name)
{
    size_t n = 0;

    for (; name[n] != '\0'; n++) {
        char c = name[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return n >= 1 && n <= SNAPSHOT_NAME_MAX;
}

static int is_memory(sqlite3 *h)
{
    char *vfs = NULL;
    int memory;

    sqlite3_file_control(h, "main", SQLITE_FCNTL_VFSNAME, &vfs);
    memory = vfs != NULL && strncmp(vfs, "memdb", 5) == 0;
    sqlite3_free(vfs);
    return memory;
}

/* "<db><infix><name>"; ST_INVALID when it does not fit. */
static enum status file_path(sqlite3 *h, const char *infix, const char *name, char *out)
{
    const char *base = sqlite3_db_filename(h, "main");

    if (base == NULL || *base == '\0')
        return ST_INTERNAL;
    return snprintf(out, PATH_MAX, "%s%s%s", base, infix, name) < PATH_MAX ? ST_OK : ST_INVALID;
}

/* Copies the whole of src into dest in one step, so that it is one transaction on each
 * side; waits out readers that hold a lock the copy needs. */
static enum status copy_database(sqlite3 *dest, sqlite3 *src)
{
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", src, "main");
    int rc = SQLITE_BUSY;

    if (b == NULL) {
        fprintf(stderr, "keyless-emulator: backup: %s\n", sqlite3_errmsg(dest));
        return db_status(sqlite3_errcode(dest));
    }
    for (int i = 0; i < BUSY_RETRIES && (rc == SQLITE_BUSY || rc == SQLITE_LOCKED); i++) {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(2);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        fprintf(stderr, "keyless-emulator: backup: %s\n", sqlite3_errstr(rc));
    return rc == SQLITE_DONE ? ST_OK : db_status(rc == SQLITE_OK ? SQLITE_ERROR : rc);
}

static int64_t memory_size(sqlite3 *h)
{
    sqlite3_stmt *s = NULL;
    int64_t size = 0;

    if (sqlite3_prepare_v2(h,
                           "SELECT page_count * page_size FROM pragma_page_count(), "
                           "pragma_page_size()",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        size = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return size;
}

static struct memory_snapshot *memory_find(const char *name)
{
    struct memory_snapshot *m = memory_snapshots;

    while (m != NULL && strcmp(m->info.name, name) != 0)
        m = m->next;
    return m;
}

static enum status create_in_memory(sqlite3 *live, const char *name, int64_t created_at,
                                    struct snapshot_info *out)
{
    struct memory_snapshot *m;
    enum status st;

    if (memory_find(name) != NULL)
        return ST_CONFLICT;
    m = calloc(1, sizeof(*m));
    if (m == NULL)
        return ST_NOMEM;
    if (sqlite3_open_v2(":memory:", &m->handle, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        st = ST_NOMEM;
    else
        st = copy_database(m->handle, live);
    if (st != ST_OK) {
        sqlite3_close(m->handle);
        free(m);
        return st;
    }
    snprintf(m->info.name, sizeof(m->info.name), "%s", name);
    m->info.created_at = created_at;
    m->info.size_bytes = memory_size(m->handle);
    m->next = memory_snapshots;
    memory_snapshots = m;
    *out = m->info;
    return ST_OK;
}

static enum status file_info(const char *path, const char *name, struct snapshot_info *out)
{
    struct stat sb;

    if (stat(path, &sb) != 0)
        return errno == ENOENT ? ST_NOT_FOUND : ST_INTERNAL;
    snprintf(out->name, sizeof(out->name), "%s", name);
    out->created_at = (int64_t)sb.st_mtime;
    out->size_bytes = (int64_t)sb.st_size;
    return ST_OK;
}

/* Writes a temporary file first and links it into place, so that a crash never leaves half
 * a snapshot under the real name and an existing one is never replaced. */
static enum status create_file(sqlite3 *live, const char *name, struct snapshot_info *out)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    sqlite3 *dest = NULL;
    enum status st = file_path(live, FILE_INFIX, name, path);

    if (st == ST_OK)
        st = file_path(live, TMP_INFIX, name, tmp);
    if (st != ST_OK)
        return st;
    if (access(path, F_OK) == 0)
        return ST_CONFLICT;
    unlink(tmp);
    if (sqlite3_open_v2(tmp, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        st = ST_INTERNAL;
    if (st == ST_OK)
        st = copy_database(dest, live);
    /* The copy carries the live database's WAL flag; a snapshot is one self-contained file. */
    if (st == ST_OK &&
        sqlite3_exec(dest, "PRAGMA journal_mode=DELETE;", NULL, NULL, NULL) != SQLITE_OK)
        st = ST_INTERNAL;
    sqlite3_close(dest);
    if (st == ST_OK && link(tmp, path) != 0)
        st = errno == EEXIST ? ST_CONFLICT : ST_INTERNAL;
    unlink(tmp);
    return st == ST_OK ? file_info(path, name, out) : st;
}

enum status store_snapshot_create(struct db *db, const char *name, int64_t created_at,
                                  struct snapshot_info *out)
{
    sqlite3 *live = db_handle(db);
    enum status st;

    if (!store_snapshot_name_ok(name))
        return ST_INVALID;
    pthread_mutex_lock(&snap_lock);
    st = is_memory(live) ? create_in_memory(live, name, created_at, out)
                         : create_file(live, name, out);
    pthread_mutex_unlock(&snap_lock);
    return st;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct snapshot_info *)a)->name, ((const struct snapshot_info *)b)->name);
}

/* Appends one row to a growing array. */
static enum status push(struct snapshot_info **rows, size_t *n, size_t *cap,
                        const struct snapshot_info *row)
{
    if (*n == *cap) {
        size_t grown = *cap ? *cap * 2 : 16;
        struct snapshot_info *more = realloc(*rows, grown * sizeof(**rows));
        if (more == NULL)
            return ST_NOMEM;
        *rows = more;
        *cap = grown;
    }
    (*rows)[(*n)++] = *row;
    return ST_OK;
}

/* The files "<db>.snapshot.<name>" in the database's folder. */
static enum status list_files(sqlite3 *live, struct snapshot_info **rows, size_t *n, size_t *cap)
{
    char path[PATH_MAX], prefix[PATH_MAX], *slash;
    struct dirent *e;
    enum status st = file_path(live, FILE_INFIX, "", path);
    DIR *dir;

    if (st != ST_OK)
        return st;
    slash = strrchr(path, '/');
    snprintf(prefix, sizeof(prefix), "%s", slash ? slash + 1 : path);
    if (slash != NULL)
        slash[slash == path ? 1 : 0] = '\0';
    dir = opendir(slash != NULL ? path : ".");
    if (dir == NULL)
        return ST_INTERNAL;
    while (st == ST_OK && (e = readdir(dir)) != NULL) {
        struct snapshot_info row;
        const char *name = e->d_name + strlen(prefix);
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || !store_snapshot_name_ok(name))
            continue;
        if (file_path(live, FILE_INFIX, name, path) == ST_OK &&
            file_info(path, name, &row) == ST_OK)
            st = push(rows, n, cap, &row);
    }
    closedir(dir);
    return st;
}

enum status store_snapshot_list(struct db *db, struct snapshot_info **rows, size_t *n)
{
    sqlite3 *live = db_handle(db);
    size_t cap = 0;
    enum status st = ST_OK;

    *rows = NULL;
    *n = 0;
    pthread_mutex_lock(&snap_lock);
    if (is_memory(live)) {
        for (struct memory_snapshot *m = memory_snapshots; st == ST_OK && m; m = m->next)
            st = push(rows, n, &cap, &m->info);
    } else {
        st = list_files(live, rows, n, &cap);
    }
    pthread_mutex_unlock(&snap_lock);
    if (st != ST_OK) {
        free(*rows);
        *rows = NULL;
        *n = 0;
    } else if (*n > 1) {
        qsort(*rows, *n, sizeof(**rows), by_name);
    }
    return st;
}

static int schema_version(sqlite3 *h)
{
    sqlite3_stmt *s = NULL;
    int version = -1;

    if (sqlite3_prepare_v2(h, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1, &s,
                           NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return version;
}

struct restore_ctx {
    sqlite3 *source;
    snapshot_hook_fn hook;
    void *hook_ctx;
};

/* db_transact() is the store's one write lock, and it begins a transaction that a backup's
 * destination must not have: the empty transaction is ended, the copy (one transaction of
 * its own) made with the lock still held, and a fresh one begun for the hook and for
 * db_transact() to commit. */
static enum status restore_tx(struct db *db, void *ctx)
{
    struct restore_ctx *c = ctx;
    sqlite3 *live = db_handle(db);
    enum status st = db_status(sqlite3_exec(live, "COMMIT;", NULL, NULL, NULL));
    enum status copied = st == ST_OK ? copy_database(live, c->source) : st;

    st = db_status(sqlite3_exec(live, "BEGIN;", NULL, NULL, NULL));
    if (st == ST_OK && copied == ST_OK && c->hook != NULL)
        st = c->hook(db, c->hook_ctx);
    return copied != ST_OK ? copied : st;
}

/* The source of a restore: the in-memory copy, or the file opened read-only (*opened). */
static enum status open_source(sqlite3 *live, const char *name, sqlite3 **source, sqlite3 **opened,
                               struct snapshot_info *out)
{
    char path[PATH_MAX];
    struct memory_snapshot *m;
    enum status st;

    *opened = NULL;
    if (is_memory(live)) {
        m = memory_find(name);
        if (m == NULL)
            return ST_NOT_FOUND;
        *source = m->handle;
        *out = m->info;
        return ST_OK;
    }
    st = file_path(live, FILE_INFIX, name, path);
    if (st == ST_OK)
        st = file_info(path, name, out);
    if (st == ST_OK && sqlite3_open_v2(path, opened, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        st = ST_INTERNAL;
    *source = *opened;
    return st;
}

enum status store_snapshot_restore(struct db *db, const char *name, snapshot_hook_fn hook,
                                   void *ctx, struct snapshot_info *out)
{
    struct restore_ctx c = {.hook = hook, .hook_ctx = ctx};
    sqlite3 *live = db_handle(db), *opened = NULL;
    enum status st;

    if (!store_snapshot_name_ok(name))
        return ST_NOT_FOUND;
    pthread_mutex_lock(&snap_lock);
    st = open_source(live, name, &c.source, &opened, out);
    if (st == ST_OK && schema_version(c.source) != schema_version(live))
        st = ST_CONFLICT;
    if (st == ST_OK)
        st = db_transact_alone(db, restore_tx, &c);
    sqlite3_close(opened);
    pthread_mutex_unlock(&snap_lock);
    return st;
}

struct reset_ctx {
    snapshot_hook_fn hook;
    void *hook_ctx;
    int tables;
};

/* Table names come from the schema; anything else would be a bug, not input. */
static int plain_identifier(const char *s)
{
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static enum status reset_tx(struct db *db, void *ctx)
{
    struct reset_ctx *c = ctx;
    sqlite3 *h = db_handle(db);
    sqlite3_stmt *s = NULL;
    char sql[128];
    /* Checked at commit, when every table is empty: the order of deletes does not matter. */
    int rc = sqlite3_exec(h, "PRAGMA defer_foreign_keys=ON;", NULL, NULL, NULL);

    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h,
                                "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
                                "name NOT LIKE 'sqlite%' AND name NOT IN "
                                "('schema_migrations', 'settings') ORDER BY name",
                                -1, &s, NULL);
    while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(s, 0);
        if (!plain_identifier(table) ||
            snprintf(sql, sizeof(sql), "DELETE FROM %s;", table) >= (int)sizeof(sql)) {
            rc = SQLITE_INTERNAL;
            break;
        }
        rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
        c->tables++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_OK)
        return db_status(rc);
    return c->hook != NULL ? c->hook(db, c->hook_ctx) : ST_OK;
}

enum status store_reset(struct db *db, snapshot_hook_fn hook, void *ctx, int *tables)
{
    struct reset_ctx c = {hook, ctx, 0};
    /* Alone: it defers foreign-key checks to the commit, which in a group would also defer
     * (and then fail together) the checks of every member after it. */
    enum status st = db_transact_alone(db, reset_tx, &c);

    if (tables != NULL)
        *tables = st == ST_OK ? c.tables : 0;
    return st;
}

void store_snapshots_release(void)
{
    pthread_mutex_lock(&snap_lock);
    while (memory_snapshots != NULL) {
        struct memory_snapshot *m = memory_snapshots;
        memory_snapshots = m->next;
        sqlite3_close(m->handle);
        free(m);
    }
    pthread_mutex_unlock(&snap_lock);
}
