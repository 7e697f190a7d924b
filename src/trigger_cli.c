#include "trigger_cli.h"

#include <ctype.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/curl_api.h"

#define ANSWER_MAX (4L * 1024 * 1024)
#define TIMEOUT_S 120L
#define URL_MAX 2048
#define HEADER_MAX 1024

struct trigger_args {
    const char *event_type, *url, *system_id, *token;
};

/* The answer's body, capped: a control API answer is never that long. */
struct answer {
    char *data;
    size_t len;
    int too_long;
};

static void usage(FILE *out)
{
    fputs("usage: keyless-emulator trigger EVENT_TYPE [--url URL] [--system ID]\n"
          "                                [--control-token T]\n"
          "\n"
          "Asks a running emulator to make system ID emit EVENT_TYPE, one of the vendor's 17\n"
          "webhook events, by the shortest real story, and prints the story and the events.\n"
          "\n"
          "  --url URL           the emulator's base URL (default: $KEYLESS_EMULATOR_URL)\n"
          "  --system ID         the system (default: $KEYLESS_EMULATOR_SYSTEM_ID)\n"
          "  --control-token T   the emulator's control token\n"
          "                      (default: $KEYLESS_EMULATOR_CONTROL_TOKEN)\n"
          "\n"
          "Exit status: 0 the event was emitted, 1 the emulator refused, 2 bad usage,\n"
          "125 the emulator cannot be reached.\n",
          out);
}

static int bad_usage(const char *what)
{
    fprintf(stderr, "keyless-emulator: trigger: %s\n\n", what);
    usage(stderr);
    return TRIGGER_USAGE;
}

static const char *flag_or_env(const char *flag, const char *name)
{
    const char *v = flag != NULL ? flag : getenv(name);

    return v != NULL && v[0] != '\0' ? v : NULL;
}

/* A system id goes into the path as it is: letters, digits and dashes only. */
static int is_id(const char *s)
{
    for (; *s != '\0'; s++)
        if (!isalnum((unsigned char)*s) && *s != '-')
            return 0;
    return 1;
}

/* 0 to go on; -1 when --help was answered; else the exit status (usage printed). */
static int parse_args(int argc, char **argv, struct trigger_args *a)
{
    enum { OPT_URL = 256, OPT_SYSTEM, OPT_TOKEN, OPT_HELP };
    static const struct option options[] = {
        {"url", required_argument, NULL, OPT_URL},
        {"system", required_argument, NULL, OPT_SYSTEM},
        {"control-token", required_argument, NULL, OPT_TOKEN},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *url = NULL, *system_id = NULL, *token = NULL;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == OPT_URL)
            url = optarg;
        else if (c == OPT_SYSTEM)
            system_id = optarg;
        else if (c == OPT_TOKEN)
            token = optarg;
        else if (c == OPT_HELP) {
            usage(stdout);
            return -1;
        } else
            return bad_usage("unknown flag or missing value");
    }
    if (optind != argc - 1)
        return bad_usage("give exactly one EVENT_TYPE");
    a->event_type = argv[optind];
    a->url = flag_or_env(url, "KEYLESS_EMULATOR_URL");
    a->system_id = flag_or_env(system_id, "KEYLESS_EMULATOR_SYSTEM_ID");
    a->token = flag_or_env(token, "KEYLESS_EMULATOR_CONTROL_TOKEN");
    if (a->url == NULL)
        return bad_usage("no emulator: give --url or set KEYLESS_EMULATOR_URL");
    if (a->system_id == NULL)
        return bad_usage("no system: give --system or set KEYLESS_EMULATOR_SYSTEM_ID");
    if (!is_id(a->system_id))
        return bad_usage("--system must be a system id");
    return 0;
}

static size_t collect(char *ptr, size_t size, size_t n, void *userdata)
{
    struct answer *a = userdata;
    size_t len = size * n;
    char *grown;

    if (a->len + len > (size_t)ANSWER_MAX) {
        a->too_long = 1;
        return 0;
    }
    grown = realloc(a->data, a->len + len + 1);
    if (grown == NULL)
        return 0;
    memcpy(grown + a->len, ptr, len);
    a->data = grown;
    a->len += len;
    a->data[a->len] = '\0';
    return len;
}

/* POSTs body to the trigger of the system; the transport's verdict, the status in *status. */
static CURLcode post(const struct curl_api *curl, const struct trigger_args *a, const char *body,
                     long *status, struct answer *answer, char *error)
{
    char url[URL_MAX], bearer[HEADER_MAX];
    size_t base = strlen(a->url);
    struct curl_slist *headers = curl->slist_append(NULL, "Content-Type: application/json");
    CURL *easy = curl->easy_init();
    CURLcode rc = CURLE_OUT_OF_MEMORY;

    while (base > 0 && a->url[base - 1] == '/')
        base--; /* "http://host:port/" is as good as without the slash */
    snprintf(url, sizeof(url), "%.*s/_emulator/v1/systems/%s/trigger", (int)base, a->url,
             a->system_id);
    if (a->token != NULL) {
        snprintf(bearer, sizeof(bearer), "Authorization: Bearer %s", a->token);
        headers = curl->slist_append(headers, bearer);
    }
    if (easy == NULL || headers == NULL)
        goto out;
    curl->easy_setopt(easy, CURLOPT_URL, url);
    curl->easy_setopt(easy, CURLOPT_POSTFIELDS, body);
    curl->easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl->easy_setopt(easy, CURLOPT_USERAGENT, "keyless-emulator/" KE_VERSION);
    curl->easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect);
    curl->easy_setopt(easy, CURLOPT_WRITEDATA, answer);
    curl->easy_setopt(easy, CURLOPT_TIMEOUT, TIMEOUT_S);
    curl->easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl->easy_setopt(easy, CURLOPT_ERRORBUFFER, error);
    rc = curl->easy_perform(easy);
    if (rc == CURLE_OK)
        curl->easy_getinfo(easy, CURLINFO_RESPONSE_CODE, status);
out:
    curl->slist_free_all(headers);
    if (easy != NULL)
        curl->easy_cleanup(easy);
    return rc;
}

/* The story's sentences, one a line: each ends in ". " before a capital letter. */
static void print_story(const char *story)
{
    const char *p = story;

    while (*p != '\0') {
        const char *end = p;
        while (end[0] != '\0' &&
               !(end[0] == '.' && end[1] == ' ' && isupper((unsigned char)end[2])))
            end++;
        printf("  %.*s%s\n", (int)(end - p), p, end[0] == '.' ? "." : "");
        p = end[0] == '.' ? end + 2 : end;
    }
}

static void print_items(const char *title, json_object *items)
{
    size_t n = json_object_is_type(items, json_type_array) ? json_object_array_length(items) : 0;

    if (n == 0)
        return;
    printf("%s:\n", title);
    for (size_t i = 0; i < n; i++) {
        json_object *item = json_object_array_get_idx(items, i);
        printf("  %-26s %s\n", json_object_get_string(json_object_object_get(item, "kind")),
               json_object_get_string(json_object_object_get(item, "id")));
    }
}

/* Whether the answer lists the event among those emitted. */
static int emitted(json_object *answer, const char *event_type)
{
    json_object *events = json_object_object_get(answer, "emitted");
    size_t n = json_object_is_type(events, json_type_array) ? json_object_array_length(events) : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *type =
            json_object_object_get(json_object_array_get_idx(events, i), "eventType");
        if (strcmp(json_object_get_string(type), event_type) == 0)
            return 1;
    }
    return 0;
}

static void print_told(json_object *answer, const struct trigger_args *a)
{
    json_object *events = json_object_object_get(answer, "emitted");
    size_t n = json_object_array_length(events);

    printf("%s emitted by system %s.\n\n", a->event_type, a->system_id);
    print_story(json_object_get_string(json_object_object_get(answer, "story")));
    printf("\n");
    print_items("created", json_object_object_get(answer, "created"));
    print_items("deleted", json_object_object_get(answer, "deleted"));
    printf("emitted (%zu event%s):\n", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(events, i);
        printf("  %-46s %s\n", json_object_get_string(json_object_object_get(e, "eventType")),
               json_object_get_string(json_object_object_get(e, "eventId")));
    }
}

/* The problem document's detail and invalid fields, on stderr. */
static void print_refusal(long status, json_object *answer)
{
    json_object *detail = json_object_object_get(answer, "detail");
    json_object *invalid = json_object_object_get(answer, "invalidParams");
    size_t n =
        json_object_is_type(invalid, json_type_array) ? json_object_array_length(invalid) : 0;

    fprintf(stderr, "keyless-emulator: trigger: the emulator answered %ld: %s\n", status,
            detail != NULL ? json_object_get_string(detail) : "(no problem document)");
    for (size_t i = 0; i < n; i++) {
        json_object *item = json_object_array_get_idx(invalid, i);
        fprintf(stderr, "  %s: %s\n", json_object_get_string(json_object_object_get(item, "name")),
                json_object_get_string(json_object_object_get(item, "reason")));
    }
}

static int report(long status, const struct answer *body, const struct trigger_args *a)
{
    json_object *answer = body->data != NULL ? json_tokener_parse(body->data) : NULL;
    int rc = TRIGGER_REFUSED;

    if (status == 200 && answer != NULL && emitted(answer, a->event_type)) {
        print_told(answer, a);
        rc = TRIGGER_EMITTED;
    } else if (status == 200) {
        fprintf(stderr,
                "keyless-emulator: trigger: the emulator answered 200 but does not list"
                " %s among the events emitted\n",
                a->event_type);
    } else {
        print_refusal(status, answer);
    }
    json_object_put(answer);
    return rc;
}

int trigger_main(int argc, char **argv)
{
    struct trigger_args a;
    struct answer body = {0};
    char error[CURL_ERROR_SIZE] = "";
    const struct curl_api *curl;
    json_object *request;
    long status = 0;
    CURLcode rc;
    int exit_status = parse_args(argc, argv, &a);

    if (exit_status != 0)
        return exit_status < 0 ? 0 : exit_status;
    if ((curl = curl_api_load()) == NULL)
        return TRIGGER_UNREACHABLE;
    request = json_object_new_object();
    if (request == NULL)
        return TRIGGER_UNREACHABLE;
    json_object_object_add(request, "eventType", json_object_new_string(a.event_type));
    rc = post(curl, &a, json_object_to_json_string(request), &status, &body, error);
    json_object_put(request);
    if (body.too_long) {
        fprintf(stderr, "keyless-emulator: trigger: the answer is longer than %ld bytes\n",
                ANSWER_MAX);
        exit_status = TRIGGER_REFUSED;
    } else if (rc != CURLE_OK) {
        fprintf(stderr, "keyless-emulator: trigger: cannot reach %s: %s\n", a.url,
                error[0] != '\0' ? error : curl->easy_strerror(rc));
        exit_status = TRIGGER_UNREACHABLE;
    } else {
        exit_status = report(status, &body, &a);
    }
    free(body.data);
    return exit_status;
}
