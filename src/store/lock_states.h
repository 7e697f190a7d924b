/*
 * lock_states.h — what a physical lock holds: its key pairs and certificates, its log
 * counter, whom it was claimed by, its re-keying progress, and the log entries it made that
 * the platform has not received yet (held by the lock, or handed to a phone).
 */
#ifndef KE_STORE_LOCK_STATES_H
#define KE_STORE_LOCK_STATES_H

#include "store/log_entries.h"

#define PEM_MAX 2048
#define LOCK_HOLDER "LOCK" /* pending entries still inside the lock */

/* A lock's two certificates; every per-profile array of a lock_state is indexed by it. */
enum cert_profile { CERT_OPERATIONAL, CERT_MANUFACTURING };
#define CERT_PROFILES 2

/* One profile's installed key pair and certificate. */
struct lock_certificate {
    char key_pem[PEM_MAX];
    char cert_pem[PEM_MAX];
    int64_t not_after;
};

/* One profile's re-keying in progress: the new key pair, its CSR, the issued certificate. */
struct lock_rekeying {
    char stage[16]; /* NONE, CSR_CREATED, ISSUED */
    char key_pem[PEM_MAX];
    char csr_pem[PEM_MAX];
    char cert_pem[PEM_MAX];
    char carrier[UUID_STR_LEN]; /* phone carrying the CSR; "" when none */
};

struct lock_state {
    char serial_number[64];
    struct lock_certificate cert[CERT_PROFILES];
    struct {
        int64_t operational, manufacturing, eligibility_window;
    } lifetimes;
    char system_id[UUID_STR_LEN];         /* "" until claimed */
    char locking_device_id[UUID_STR_LEN]; /* "" until claimed */
    struct lock_rekeying rekey[CERT_PROFILES];
    int has_pems;    /* 0 after a brief read: the ten PEM fields are "" and must not be written */
    char battery[8]; /* LOCK_BATTERY_OK, _LOW or _EMPTY; read, never written by update */
    int in_gateway_range; /* 0: its gateway's radio does not reach it */
};

#define LOCK_BATTERY_OK "OK"
#define LOCK_BATTERY_LOW "LOW"
#define LOCK_BATTERY_EMPTY "EMPTY"

/* Sets the lock's battery and range (the control API's failure paths). ST_NOT_FOUND for an
 * unknown serial. */
enum status store_lock_condition_set(struct db *db, const char *serial, const char *battery,
                                     int in_gateway_range);

/* Locks with an offline CSR (of either profile) that a phone carries (uploaded at the
 * phone's next sync). */
enum status store_lock_states_carried_by(struct db *db, const char *operating_device_id,
                                         struct lock_state *rows, size_t cap, size_t *n);

/* An entry the platform has not received. entry.system_id and entry.locking_device_id are
 * filled in at upload from the lock's claim. */
struct pending_entry {
    int64_t seq;
    char serial_number[64];
    char holder[UUID_STR_LEN];
    struct lock_log_row entry;
};

enum status store_lock_state_insert(struct db *db, const struct lock_state *s);
enum status store_lock_state_get(struct db *db, const char *serial, struct lock_state *out);
/* The same rows without the ten PEM texts (has_pems = 0): what a visit, an upload or a
 * gateway needs. A full row spills into overflow pages; reading it copied kilobytes of
 * certificates on every simulated session. */
enum status store_lock_state_brief(struct db *db, const char *serial, struct lock_state *out);
/* The lock claimed into locking_device_id; ST_NOT_FOUND when none. */
enum status store_lock_state_brief_of_device(struct db *db, const char *locking_device_id,
                                             struct lock_state *out);
/* Writes every mutable column (certificates, claim, re-keying); s must come from a full read
 * or carry its PEMs (has_pems), else ST_INTERNAL: a brief row would erase the certificates. */
enum status store_lock_state_update(struct db *db, const struct lock_state *s);

/* Appends an entry to the lock's own log: gives it the lock's next sequence number and
 * a fresh id; holder is LOCK_HOLDER. e->entry.kind, event_name, occurred_at and the client
 * fields must be set. */
enum status store_pending_append(struct db *db, struct pending_entry *e);

/* Numbers an entry as store_pending_append() would (the lock's next sequence number,
 * holder LOCK_HOLDER) without storing it: for an entry the platform receives at once. e->seq
 * is 0. */
enum status store_pending_number(struct db *db, struct pending_entry *e);

/* The highest seq of any pending entry, 0 when there is none: entries appended later have
 * a higher one. */
enum status store_pending_last_seq(struct db *db, int64_t *seq);

/* Moves every entry the lock holds to the phone holder (the lock hands its log over). */
enum status store_pending_hand_over(struct db *db, const char *serial, const char *holder);

/* Entries held by holder with seq > after_seq, oldest first. */
enum status store_pending_list(struct db *db, const char *holder, int64_t after_seq,
                               struct pending_entry *rows, size_t cap, size_t *n);

/* Entries the lock itself still holds (holder LOCK_HOLDER) with seq > after_seq, oldest
 * first. */
enum status store_pending_in_lock(struct db *db, const char *serial, int64_t after_seq,
                                  struct pending_entry *rows, size_t cap, size_t *n);

/* Entries of a lock by any holder, oldest first (the hardware view). */
enum status store_pending_of_lock(struct db *db, const char *serial, struct pending_entry *rows,
                                  size_t cap, size_t *n);

enum status store_pending_delete(struct db *db, int64_t seq);

#endif
