/*
 * stories.h — trigger stories: for each of the platform's seventeen event types, the
 * shortest real story through the simulated world that makes a system emit it.
 *
 * A story creates what it needs (a user, an invited and activated phone, a placeholder and
 * a factory-fresh lock claimed by the phone, a permission, a gateway claimed, associated and
 * powered on, a remote command, ...) and reaches the platform only through the domain's
 * functions, as the Administration API does, and the world only through the simulator's
 * own steps (accept, claim, visit, power on, wake, the jobs already due). Timing comes from
 * the hardware it makes: a lock whose re-keying window is its whole certificate lifetime is
 * eligible at once, so no story moves the system's clock. Depends on the domain, the store
 * and the rest of the simulator.
 */
#ifndef KE_SIM_STORIES_H
#define KE_SIM_STORIES_H

#include "lib/problem.h"
#include "store/db.h"
#include "store/hardware.h"

#define STORY_TEXT_MAX 4096
#define STORY_ITEMS_MAX 16

/* Something a story made (or removed): its kind, as the control API names it
 * ("user", "lockingDevice", "hardwareLockingDevice", ...), and its id (a serial number for
 * hardware). */
struct story_item {
    const char *kind;
    char id[HARDWARE_SERIAL_LEN];
};

/* What a story did. The events it emitted are the system's events with seq in
 * (first_seq, last_seq]: read them from the event log (store_outbox_list). */
struct story_report {
    char text[STORY_TEXT_MAX];                  /* one plain sentence a step */
    struct story_item created[STORY_ITEMS_MAX]; /* what it made that is still there */
    size_t ncreated;
    struct story_item deleted[STORY_ITEMS_MAX]; /* what it made and removed again */
    size_t ndeleted;
    int64_t first_seq, last_seq;
};

/* Runs the story of event_type in system_id at the system's now, inside the caller's
 * transaction. ST_NOT_FOUND (no detail) for an unknown system; ST_INVALID when no story
 * emits event_type; ST_INTERNAL, with the detail in p, when the story ran but the event is
 * not among those it emitted (a bug: the caller rolls back). Other failures of a step are
 * returned as they are, their detail in p. */
enum status sim_story_run(struct db *db, const char *system_id, const char *event_type,
                          struct story_report *out, struct problem *p);

#endif
