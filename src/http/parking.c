#include "http/parking.h"

#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>

#include "lib/wallclock.h"

/* How often the timer looks for clients that hung up, at the longest. */
#define TICK_MS 1000
/* The most connections whose sockets one tick polls (more are looked at on later ticks). */
#define POLL_MAX 1024

/* Lock order: this lock, then libmicrohttpd's own (taken inside suspend and resume). No
 * libmicrohttpd callback runs while libmicrohttpd holds its lock, so none can wait for
 * this one the other way round. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed; /* on the monotonic clock: the timer's, and close()'s */
static struct parking_slot *head;
static uint64_t wakes[PARKING_CHANNELS];
static int waiters, closing, running;
static int64_t timer_wakes_at_ns; /* when the timer looks next (it sleeps until then) */
static pthread_t timer;

/* Called with the lock held. */
static void unpark(struct parking_slot *s, unsigned why)
{
    if (s->prev != NULL)
        s->prev->next = s->next;
    else
        head = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
    s->prev = s->next = NULL;
    s->parked = 0;
    s->woken |= why;
    MHD_resume_connection(s->connection);
}

/* Wakes the slots parked on channel (-1: all); called with the lock held. */
static void wake_channel(int channel, unsigned why)
{
    for (struct parking_slot *s = head, *next; s != NULL; s = next) {
        next = s->next;
        if (channel < 0 || (int)s->channel == channel)
            unpark(s, why);
    }
}

void parking_look(struct parking_seen *seen)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < PARKING_CHANNELS; i++)
        seen->wakes[i] = wakes[i];
    pthread_mutex_unlock(&lock);
}

int parking_park(struct parking_slot *s, enum parking_channel channel,
                 const struct parking_seen *seen, int64_t deadline_ns)
{
    int parked = 0;

    pthread_mutex_lock(&lock);
    if (!closing && wakes[channel] == seen->wakes[channel]) {
        s->prev = NULL;
        s->next = head;
        if (head != NULL)
            head->prev = s;
        head = s;
        s->parked = parked = 1;
        s->channel = channel;
        s->woken = 0;
        s->deadline_ns = deadline_ns;
        if (!s->in_use) {
            s->in_use = 1;
            waiters++;
        }
        /* Under the lock, so that no wake can try to resume it before it is suspended. */
        MHD_suspend_connection(s->connection);
        if (deadline_ns < timer_wakes_at_ns)
            pthread_cond_broadcast(&changed); /* the timer must look sooner */
    }
    pthread_mutex_unlock(&lock);
    return parked;
}

unsigned parking_woken(struct parking_slot *s)
{
    unsigned why;

    pthread_mutex_lock(&lock);
    why = s->woken;
    pthread_mutex_unlock(&lock);
    return why;
}

void parking_forget(struct parking_slot *s)
{
    pthread_mutex_lock(&lock);
    if (s->parked) /* only while the server stops: nothing else completes a parked request */
        unpark(s, PARKING_WOKEN_CLOSE);
    if (s->in_use) {
        s->in_use = 0;
        waiters--;
        if (closing)
            pthread_cond_broadcast(&changed); /* parking_close() counts the waiters left */
    }
    pthread_mutex_unlock(&lock);
}

void parking_wake(enum parking_channel channel)
{
    pthread_mutex_lock(&lock);
    wakes[channel]++;
    wake_channel((int)channel, PARKING_WOKEN_WAKE);
    pthread_mutex_unlock(&lock);
}

void parking_wake_events(void)
{
    parking_wake(PARKING_EVENTS);
}

void parking_wake_deliveries(void)
{
    parking_wake(PARKING_DELIVERIES);
}

int parking_closing(void)
{
    int c;

    pthread_mutex_lock(&lock);
    c = closing;
    pthread_mutex_unlock(&lock);
    return c;
}

int parking_waiters(void)
{
    int n;

    pthread_mutex_lock(&lock);
    n = waiters;
    pthread_mutex_unlock(&lock);
    return n;
}

/* Whether the peer of a parked connection closed its side or the socket failed. */
static int hung_up(const struct pollfd *p)
{
    return (p->revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static int socket_of(const struct parking_slot *s)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(s->connection, MHD_CONNECTION_INFO_CONNECTION_FD);

    return info != NULL ? info->connect_fd : -1;
}

/* One look, with the lock held: wakes the slots whose deadline passed or whose client hung
 * up; returns the nearest deadline still ahead. */
static int64_t tick(struct pollfd *fds, struct parking_slot **slots)
{
    int64_t now = clock_monotonic_ns(), nearest = now + TICK_MS * 1000000LL;
    size_t n = 0;

    for (struct parking_slot *s = head, *next; s != NULL; s = next) {
        next = s->next;
        if (s->deadline_ns <= now) {
            unpark(s, PARKING_WOKEN_DEADLINE);
            continue;
        }
        if (s->deadline_ns < nearest)
            nearest = s->deadline_ns;
        if (n < POLL_MAX && (fds[n].fd = socket_of(s)) >= 0) {
            fds[n].events = POLLRDHUP;
            fds[n].revents = 0;
            slots[n++] = s;
        }
    }
    if (n > 0 && poll(fds, n, 0) > 0)
        for (size_t i = 0; i < n; i++)
            if (hung_up(&fds[i]) && slots[i]->parked)
                unpark(slots[i], PARKING_WOKEN_HANGUP);
    return nearest;
}

static void *run_timer(void *arg)
{
    struct pollfd *fds = calloc(POLL_MAX, sizeof(*fds));
    struct parking_slot **slots = calloc(POLL_MAX, sizeof(*slots));
    struct timespec until;

    (void)arg;
    pthread_mutex_lock(&lock);
    while (running && fds != NULL && slots != NULL) {
        timer_wakes_at_ns = tick(fds, slots);
        clock_deadline_after_ms((timer_wakes_at_ns - clock_monotonic_ns()) / 1000000 + 1, &until);
        pthread_cond_timedwait(&changed, &lock, &until);
        timer_wakes_at_ns = 0; /* looking now: a park needs no broadcast */
    }
    pthread_mutex_unlock(&lock);
    free(fds);
    free(slots);
    return NULL;
}

enum status parking_start(void)
{
    pthread_condattr_t attr;

    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&changed, &attr);
    pthread_condattr_destroy(&attr);
    closing = 0;
    running = 1;
    if (pthread_create(&timer, NULL, run_timer, NULL) != 0) {
        running = 0;
        return ST_INTERNAL;
    }
    return ST_OK;
}

int parking_close(int64_t timeout_ms)
{
    struct timespec until;
    int left;

    clock_deadline_after_ms(timeout_ms, &until);
    pthread_mutex_lock(&lock);
    closing = 1;
    wake_channel(-1, PARKING_WOKEN_CLOSE);
    while (waiters > 0 && pthread_cond_timedwait(&changed, &lock, &until) == 0)
        ;
    left = waiters;
    pthread_mutex_unlock(&lock);
    return left;
}

void parking_stop(void)
{
    pthread_mutex_lock(&lock);
    if (!running) {
        pthread_mutex_unlock(&lock);
        return;
    }
    running = 0;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    pthread_join(timer, NULL);
    pthread_cond_destroy(&changed);
}
