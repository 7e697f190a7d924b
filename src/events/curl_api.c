#include "events/curl_api.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#define LIBCURL_SONAME "libcurl.so.4"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct curl_api api;
static const struct curl_api *loaded;

/* dlsym() returns an object pointer; POSIX guarantees it converts to a function pointer. */
#define BIND(member, symbol)                                                                       \
    do {                                                                                           \
        void *f = dlsym(lib, symbol);                                                              \
        if (f == NULL)                                                                             \
            goto missing;                                                                          \
        *(void **)&api.member = f;                                                                 \
    } while (0)

static void load(void)
{
    void *lib = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);

    if (lib == NULL) {
        fprintf(stderr,
                "keyless-emulator: cannot load %s (webhooks and the trigger command need"
                " it): %s\n",
                LIBCURL_SONAME, dlerror());
        return;
    }
    BIND(global_init, "curl_global_init");
    BIND(global_cleanup, "curl_global_cleanup");
    BIND(multi_init, "curl_multi_init");
    BIND(multi_cleanup, "curl_multi_cleanup");
    BIND(multi_add_handle, "curl_multi_add_handle");
    BIND(multi_remove_handle, "curl_multi_remove_handle");
    BIND(multi_perform, "curl_multi_perform");
    BIND(multi_poll, "curl_multi_poll");
    BIND(multi_wakeup, "curl_multi_wakeup");
    BIND(multi_info_read, "curl_multi_info_read");
    BIND(easy_init, "curl_easy_init");
    BIND(easy_cleanup, "curl_easy_cleanup");
    BIND(easy_setopt, "curl_easy_setopt");
    BIND(easy_perform, "curl_easy_perform");
    BIND(easy_getinfo, "curl_easy_getinfo");
    BIND(easy_strerror, "curl_easy_strerror");
    BIND(slist_append, "curl_slist_append");
    BIND(slist_free_all, "curl_slist_free_all");
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "keyless-emulator: curl_global_init failed\n");
        return;
    }
    loaded = &api;
    return;
missing:
    fprintf(stderr, "keyless-emulator: %s lacks a function the emulator needs: %s\n",
            LIBCURL_SONAME, dlerror());
}

const struct curl_api *curl_api_load(void)
{
    pthread_once(&once, load);
    return loaded;
}
