/*
 * messages.h — SMS and e-mail messages the platform would have sent. Delivery is simulated:
 * the text is recorded so that a test can read an invitation code or an offline-key link
 * the way a phone would.
 */
#ifndef KE_STORE_MESSAGES_H
#define KE_STORE_MESSAGES_H

#include "lib/rng.h"
#include "store/db.h"

struct message_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char channel[8]; /* "SMS" or "EMAIL" */
    char recipient[320];
    char subject[64]; /* the id of what the message delivers */
    char text[1024];
    int64_t created_at;
};

/* Records a message inside the caller's transaction; the id is generated. */
enum status store_message_insert(struct db *db, struct message_row *row);

enum status store_message_list(struct db *db, const char *system_id, int64_t after_seq,
                               struct message_row *rows, size_t cap, size_t *n);

#endif
