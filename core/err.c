/* err.c - filling lg_err_t. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int
lg_err_set(lg_err_t *err, lg_errcode_t code, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return -1;
}
