/* log.h - one structured line per event (logfmt text or JSON) on stderr, always with the request or
 * job id. The level is checked before anything is formatted. Thread-safe: each line is one write(2). */
#ifndef LG_LOG_H
#define LG_LOG_H

#include <stddef.h>

typedef enum { LG_LOG_DEBUG, LG_LOG_INFO, LG_LOG_WARN, LG_LOG_ERROR } lg_log_level_t;
typedef enum { LG_LOG_TEXT, LG_LOG_JSON } lg_log_format_t;

/* Field tags; write fields with the LG_S/LG_SN/LG_I macros below. */
enum { LG_FT_END, LG_FT_STR, LG_FT_STRN, LG_FT_INT };
#define LG_S(key, value)     LG_FT_STR, (const char *)(key), (const char *)(value)
#define LG_SN(key, value, n) LG_FT_STRN, (const char *)(key), (const char *)(value), (size_t)(n)
#define LG_I(key, value)     LG_FT_INT, (const char *)(key), (long long)(value)

extern lg_log_level_t lg_log_min_level;

void lg_log_setup(lg_log_level_t min_level, lg_log_format_t format);
/* Writes one line: id may be NULL ("-"); fields follow as LG_S/LG_SN/LG_I triples. Use lg_log(). */
void lg_log_write(lg_log_level_t level, const char *id, const char *event, ...);

#define lg_log(level, id, event, ...)                                                                        \
    do {                                                                                                     \
        if ((level) >= lg_log_min_level)                                                                     \
            lg_log_write((level), (id), (event), ##__VA_ARGS__, LG_FT_END);                                  \
    } while (0)

#endif
