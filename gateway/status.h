/* status.h - the reason phrase of an HTTP status code. */
#ifndef LG_STATUS_H
#define LG_STATUS_H

/* "OK" for 200, "Not Found" for 404, and so on; a generic phrase for codes without one. */
const char *lg_status_reason(int status);

#endif
