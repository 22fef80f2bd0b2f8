/* link_json.c - a parsed GitHub link as JSON. */
#include "link_json.h"

json_t *
lg_link_json_new(const lg_ghlink_t *link)
{
    json_t *candidates = json_array();
    for (size_t i = 0; i < link->nsplits; i++)
        json_array_append_new(
            candidates, json_pack("{s:s,s:s}", "ref", link->splits[i].ref, "path", link->splits[i].path));
    return json_pack("{s:s,s:s,s:s,s:o}", "owner", link->owner, "repo", link->repo, "kind",
                     lg_ghlink_kind_name(link->kind), "candidates", candidates);
}
