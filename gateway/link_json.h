/* link_json.h - a parsed GitHub link as JSON, for the API. */
#ifndef LG_LINK_JSON_H
#define LG_LINK_JSON_H

#include "core/ghlink.h"

#include <jansson.h>

/* {"owner","repo","kind","candidates":[{"ref","path"}]}: a new reference the caller owns. */
json_t *lg_link_json_new(const lg_ghlink_t *link);

#endif
