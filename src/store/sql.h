/*
 * sql.h — statements and rows, for the store's own files only (tools/check_layers.py keeps
 * <sqlite3.h> and this header inside src/store): prepared-statement cache, row readers, the
 * common statement shapes and the one mapping of SQLite's result codes.
 */
#ifndef KE_STORE_SQL_H
#define KE_STORE_SQL_H

#include <sqlite3.h>

#include "store/db.h"

/* A prepared statement for sql, cached on the connection by the sql pointer (pass string
 * literals). The statement is reset and its bindings cleared before it is returned. */
enum status db_prepare(struct db *db, const char *sql, sqlite3_stmt **out);

/* ---- statements and rows (store/rows.c) ---------------------------------------------- */

/* Reads rows from a prepared, bound statement: calls read(stmt, rows, i) for each of at
 * most cap rows; *n receives the count. */
typedef void (*db_row_reader)(sqlite3_stmt *stmt, void *rows, size_t i);
enum status db_read_rows(sqlite3_stmt *stmt, db_row_reader read, void *rows, size_t cap, size_t *n);

/* Steps a statement that returns no rows; *changes (may be NULL) gets the rows changed. */
enum status db_exec_stmt(struct db *db, sqlite3_stmt *stmt, int *changes);

/* Reads exactly one row: ST_OK, or ST_NOT_FOUND when the statement returns none. */
enum status db_read_one(sqlite3_stmt *stmt, db_row_reader read, void *row);

/* Steps a write that must change exactly one row: ST_OK, or ST_NOT_FOUND when none. */
enum status db_exec_one(struct db *db, sqlite3_stmt *stmt);

/* Reads the one row a statement with a single text parameter ?1 selects (lookups by a
 * unique key): ST_OK, or ST_NOT_FOUND. */
enum status db_get_by(struct db *db, const char *sql, const char *key, db_row_reader read,
                      void *row);

/* One page of a keyset list, the common shape of every list: sql binds ?1 = key (the
 * system id, or NULL where the list is global), ?2 = the last seq already read, ?3 = cap. */
enum status db_list_page(struct db *db, const char *sql, const char *key, int64_t after_seq,
                         db_row_reader read, void *rows, size_t cap, size_t *n);

/* The common shapes of tenant-scoped statements: sql binds ?1 = system id, ?2 = id. */
enum status db_get_scoped(struct db *db, const char *sql, const char *system_id, const char *id,
                          db_row_reader read, void *row);
enum status db_exec_scoped(struct db *db, const char *sql, const char *system_id, const char *id);

/* The one mapping from SQLite result codes to emulator statuses. */
enum status db_status(int sqlite_rc);

/* Binds a C string, or NULL for SQL NULL when s is NULL or empty. Like every other bind in
 * the store, s is not copied: it must outlive the statement's execution (db_prepare()
 * clears the bindings before the statement's next use). */
int db_bind_text_or_null(sqlite3_stmt *stmt, int index, const char *s);

/* Row readers for a statement whose answer is one number (column 0): into int rows[i],
 * int64_t rows[i]. A flag reads as 0 or 1, NULL as 0. */
void db_row_int(sqlite3_stmt *stmt, void *rows, size_t i);
void db_row_int64(sqlite3_stmt *stmt, void *rows, size_t i);

/* Copies column i as text into out (cap bytes), "" for NULL. */
void db_column_copy(sqlite3_stmt *stmt, int i, char *out, size_t cap);

/* The raw handle, for the few callers that need SQLite itself (backups). */
sqlite3 *db_handle(struct db *db);

#endif
