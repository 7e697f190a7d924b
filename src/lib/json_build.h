/*
 * json_build.h — adding members to objects built on hot paths (event bodies of a clock
 * advance, thousands a second).
 */
#ifndef KE_LIB_JSON_BUILD_H
#define KE_LIB_JSON_BUILD_H

#include <json-c/json.h>

/* Adds member key (a string literal, not yet in o): json-c then neither copies the key nor
 * looks for a member of that name first, as json_object_object_add() does. Takes v. */
static inline void json_add_new(json_object *o, const char *key, json_object *v)
{
    json_object_object_add_ex(o, key, v,
                              JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_KEY_IS_CONSTANT);
}

#endif
