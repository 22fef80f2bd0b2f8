/* queue_scripts.h - the Lua scripts behind core/queue.c: every step of a job that must be atomic.
 * Internal to the queue; KEYS and ARGV are documented above each in queue_scripts.c. */
#ifndef LG_QUEUE_SCRIPTS_H
#define LG_QUEUE_SCRIPTS_H

#define LG_QUEUE_GROUP "workers" /* the consumer group of both streams */

extern const char lg_queue_enqueue_lua[];
extern const char lg_queue_deliver_lua[];
extern const char lg_queue_state_lua[];
extern const char lg_queue_hold_lua[];
extern const char lg_queue_finish_lua[];
extern const char lg_queue_take_lua[];
extern const char lg_queue_status_lua[];

#endif
