/* clock.h - time as the processes use it: a monotonic millisecond clock, and sleeping. */
#ifndef LG_CLOCK_H
#define LG_CLOCK_H

#include <stdint.h>

/* Milliseconds on the monotonic clock (for deadlines and durations, never for dates). */
int64_t lg_mono_ms(void);
/* Sleeps ms milliseconds (a signal may end it early). */
void lg_sleep_ms(int64_t ms);

#endif
