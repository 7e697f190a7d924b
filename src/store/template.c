#include "store/template.h"
#include "store/sql.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bytes 18 and 19 of a database header: the file format versions, 2 for WAL. */
#define HEADER_WRITE_VERSION 18
#define HEADER_READ_VERSION 19

/* A copy of the image SQLite may own (sqlite3_deserialize) and that may be edited. */
static enum status copy_template(const struct db_template *t, unsigned char **out)
{
    unsigned char *bytes = sqlite3_malloc64(t->len);

    if (bytes == NULL)
        return ST_NOMEM;
    memcpy(bytes, t->image, t->len);
    *out = bytes;
    return ST_OK;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The rename is only durable once the directory is synced too. */
static int sync_parent(const char *path)
{
    char copy[4096];
    int fd, rc;

    snprintf(copy, sizeof(copy), "%s", path);
    fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* Writes the settings rows into the image (*bytes, *len; reallocated as it grows): the values
 * a store would otherwise write in its first transaction, whose commit creates the WAL and
 * syncs its header and the directory, at every start on a new file. */
static enum status add_settings(unsigned char **bytes, size_t *len,
                                const struct template_setting *settings, size_t n)
{
    static const char sql[] = "INSERT INTO settings (key, value) VALUES (?, ?)";
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    sqlite3_int64 size = 0;
    unsigned char *image;
    enum status st = ST_INTERNAL;
    int rc;

    if (n == 0)
        return ST_OK;
    /* memdb has no WAL: the image is a rollback one while SQLite edits it. */
    (*bytes)[HEADER_WRITE_VERSION] = (*bytes)[HEADER_READ_VERSION] = 1;
    if (sqlite3_open(":memory:", &h) != SQLITE_OK)
        goto out;
    rc = sqlite3_deserialize(h, "main", *bytes, (sqlite3_int64)*len, (sqlite3_int64)*len,
                             SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
    *bytes = NULL; /* the connection owns it now, even on failure */
    if (rc != SQLITE_OK || sqlite3_exec(h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
        goto out;
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, settings[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_blob(s, 2, settings[i].value, (int)settings[i].len, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            goto out;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK ||
        (image = sqlite3_serialize(h, "main", &size, 0)) == NULL)
        goto out;
    image[HEADER_WRITE_VERSION] = image[HEADER_READ_VERSION] = 2;
    *bytes = image;
    *len = (size_t)size;
    st = ST_OK;
out:
    sqlite3_finalize(s);
    sqlite3_close(h);
    return st;
}

enum status template_create_file(const struct db_template *t, const char *path,
                                 const struct template_setting *settings, size_t n)
{
    char tmp[4096];
    unsigned char *bytes = NULL;
    size_t len = t->len;
    int fd = -1;
    enum status st;

    if (access(path, F_OK) == 0)
        return ST_CONFLICT;
    if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp))
        return ST_INVALID;
    if ((st = copy_template(t, &bytes)) != ST_OK ||
        (st = add_settings(&bytes, &len, settings, n)) != ST_OK)
        goto out;
    st = ST_INTERNAL;
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write_all(fd, bytes, len) != 0 || fdatasync(fd) != 0)
        goto out;
    if (close(fd) != 0 || (fd = -1, link(tmp, path)) != 0)
        goto out; /* link, not rename: a file that appeared meanwhile is never replaced */
    st = sync_parent(path) == 0 ? ST_OK : ST_INTERNAL;
out:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    sqlite3_free(bytes);
    return st;
}

enum status template_fill(const struct db_template *t, sqlite3 *dest)
{
    sqlite3 *src = NULL;
    sqlite3_backup *backup = NULL;
    unsigned char *bytes = NULL;
    enum status st = copy_template(t, &bytes);
    int rc;

    if (st != ST_OK)
        return st;
    /* An in-memory database cannot be in WAL mode: mark the copy as a rollback one. */
    bytes[HEADER_WRITE_VERSION] = bytes[HEADER_READ_VERSION] = 1;
    st = ST_INTERNAL;
    if (sqlite3_open(":memory:", &src) != SQLITE_OK)
        goto out;
    rc = sqlite3_deserialize(src, "main", bytes, (sqlite3_int64)t->len, (sqlite3_int64)t->len,
                             SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
    bytes = NULL; /* the connection owns it now, even on failure */
    if (rc != SQLITE_OK || (backup = sqlite3_backup_init(dest, "main", src, "main")) == NULL)
        goto out;
    if (sqlite3_backup_step(backup, -1) == SQLITE_DONE)
        st = ST_OK;
out:
    sqlite3_backup_finish(backup);
    sqlite3_close(src);
    sqlite3_free(bytes);
    return st;
}
