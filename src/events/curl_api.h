/*
 * curl_api.h — libcurl, loaded the first time a webhook is to be sent.
 *
 * Most runs of the emulator (a CI job's, a demo's) never send a webhook, yet linking
 * libcurl loads some thirty libraries at every exec: ~2.5 ms of a 15 ms start and ~2 MB
 * resident. So the emulator is not linked against it; the dispatcher loads it with
 * dlopen() when a delivery is first pending (and the trigger command when it calls a
 * running emulator), and calls it through this table, whose members are libcurl's own
 * functions under their own names without the prefix.
 */
#ifndef KE_EVENTS_CURL_API_H
#define KE_EVENTS_CURL_API_H

#include <curl/curl.h>

struct curl_api {
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *multi);
    CURLMcode (*multi_add_handle)(CURLM *multi, CURL *easy);
    CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *easy);
    CURLMcode (*multi_perform)(CURLM *multi, int *running);
    CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd fds[], unsigned nfds, int timeout_ms,
                            int *numfds);
    CURLMcode (*multi_wakeup)(CURLM *multi);
    CURLMsg *(*multi_info_read)(CURLM *multi, int *left);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *easy);
    CURLcode (*easy_setopt)(CURL *easy, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *easy);
    CURLcode (*easy_getinfo)(CURL *easy, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *line);
    void (*slist_free_all)(struct curl_slist *list);
};

/* Loads libcurl and runs curl_global_init() once; NULL (said on stderr) if it cannot. The
 * table stays valid until the process ends. */
const struct curl_api *curl_api_load(void);

#endif
