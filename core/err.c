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

const char *
lg_err_name(lg_errcode_t code)
{
    switch (code) {
    case LG_OK:
        return "ok";
    case LG_EINVAL:
        return "invalid";
    case LG_ENOTFOUND:
        return "not_found";
    case LG_ETOOBIG:
        return "too_big";
    case LG_EIO:
        return "io";
    case LG_ESTATE:
        return "state";
    }
    return "unknown";
}
