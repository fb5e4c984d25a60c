/*
 * feed.h - newsgrep-watch run --atom DIR: a watch's Atom feed (feed.c).
 */
#ifndef NEWSGREP_WATCH_FEED_H
#define NEWSGREP_WATCH_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "newsgrep.h"

typedef struct watch_feed watch_feed;

/* The feed of watch `name`, DIR/NAME.atom, entitled `title`, of at most
 * `max` entries: reads back the entries the file holds (a damaged file's
 * are skipped).  NULL, with a message in err[0..cap), when the file is
 * there but cannot be read (or is not a regular file), or memory runs
 * out. */
watch_feed *watch_feed_open(const char *dir, const char *name, const char *title, size_t max,
                            char *err, size_t cap);
/* Adds a delivered hit; false when memory ran out (commit then fails). */
bool watch_feed_add(watch_feed *f, const newsgrep_hit_t *hit);
/* How many entries were added. */
size_t watch_feed_fresh(const watch_feed *f);
/* DIR/NAME.atom */
const char *watch_feed_path(const watch_feed *f);
/* Replaces the feed atomically with the new entries and the old ones (no
 * write when nothing is new and the file is there); 0, or -1 with a
 * message in err[0..cap) and the old feed as it was. */
int watch_feed_commit(watch_feed *f, char *err, size_t cap);
void watch_feed_free(watch_feed *f);

#endif
