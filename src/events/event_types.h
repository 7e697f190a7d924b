/*
 * event_types.h — the names of the platform's webhook events, as the vendor reference lists
 * them (seventeen). What is emitted is decided where it happens; this list is what the
 * control API checks names against (webhook filters, triggers). Depends on nothing.
 */
#ifndef KE_EVENTS_EVENT_TYPES_H
#define KE_EVENTS_EVENT_TYPES_H

/* Every vendor event type in alphabetical order, NULL-terminated. */
extern const char *const event_type_names[];

/* True when name is one of event_type_names. */
int event_type_known(const char *name);

#endif
