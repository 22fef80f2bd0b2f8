/* err.c - filling lg_err_t. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
lg_err_set(lg_err_t *err, lg_errcode_t code, const char *fmt, ...)
{
    if (err != NULL) {
        char text[sizeof(err->msg)]; /* the arguments may be err->msg itself: "...: %s", err->msg */
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof(text), fmt, ap);
        va_end(ap);
        err->code = code;
        memcpy(err->msg, text, sizeof(text));
    }
    return -1;
}
