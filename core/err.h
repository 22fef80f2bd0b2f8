/* err.h - the error value every fallible labgate function fills: a code and a message for people. */
#ifndef LG_ERR_H
#define LG_ERR_H

typedef enum {
    LG_OK = 0,
    LG_EINVAL, /* the input is malformed or out of bounds */
    LG_ENOTFOUND,
    LG_ETOOBIG,
    LG_EIO,      /* the system refused: file, socket, process */
    LG_ESTATE,   /* the operation does not fit the current state */
    LG_ETIMEOUT, /* a deadline passed: worth trying again later */
} lg_errcode_t;

typedef struct {
    lg_errcode_t code;
    char msg[256];
} lg_err_t;

/* Fills err (which may be NULL) and returns -1, so a caller can write `return lg_err_set(...)`. */
int lg_err_set(lg_err_t *err, lg_errcode_t code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
