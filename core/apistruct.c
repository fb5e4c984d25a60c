/*
 * apistruct.c - the versioned structs of the public API.
 *
 * A caller allocates newsgrep_*_options_t and newsgrep_*_stats_t by the
 * header it was built with, and says which by their leading `version`
 * (newsgrep.h, "Compatibility").  The library reads and writes such a
 * struct only as far as that version goes.  When a field is appended, the
 * struct's NEWSGREP_*_VERSION goes up and its row here gains a size: the
 * new version's is sizeof, and every older one stays as it was (the offset
 * of the first field it lacks).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ng.h"

static const struct {
	const char *name;      /* the struct's type, for messages */
	const char *init;      /* how a caller sets its version */
	uint32_t current;      /* this header's version */
	size_t size_of[2 + 1]; /* [version]: the bytes a caller's struct has */
} api_structs[NG_API_STRUCTS] = {
    [NG_OPEN_OPTIONS] = {"newsgrep_open_options_t",
                         "NEWSGREP_OPEN_OPTIONS_INIT",
                         NEWSGREP_OPEN_OPTIONS_VERSION,
                         {0, sizeof(newsgrep_open_options_t)}},
    [NG_INDEX_OPTIONS] = {"newsgrep_index_options_t",
                          "NEWSGREP_INDEX_OPTIONS_INIT",
                          NEWSGREP_INDEX_OPTIONS_VERSION,
                          {0, offsetof(newsgrep_index_options_t, shard_index),
                           sizeof(newsgrep_index_options_t)}},
    [NG_SEARCH_OPTIONS] = {"newsgrep_search_options_t",
                           "NEWSGREP_SEARCH_OPTIONS_INIT",
                           NEWSGREP_SEARCH_OPTIONS_VERSION,
                           {0, offsetof(newsgrep_search_options_t, paths_only),
                            sizeof(newsgrep_search_options_t)}},
    [NG_INDEX_STATS] = {"newsgrep_index_stats_t",
                        "NEWSGREP_INDEX_STATS_INIT",
                        NEWSGREP_INDEX_STATS_VERSION,
                        {0, sizeof(newsgrep_index_stats_t)}},
    [NG_CHECK_STATS] = {"newsgrep_check_stats_t",
                        "NEWSGREP_CHECK_STATS_INIT",
                        NEWSGREP_CHECK_STATS_VERSION,
                        {0, sizeof(newsgrep_check_stats_t)}},
};

/* The version a caller's struct says it has (its first member). */
static uint32_t version_of(const void *caller)
{
	uint32_t v;
	memcpy(&v, caller, sizeof(v));
	return v;
}

size_t ng_api_struct_size(ng_api_struct which, uint32_t version)
{
	if ((unsigned)which >= NG_API_STRUCTS || version == 0 ||
	    version > api_structs[which].current)
		return 0;
	return api_structs[which].size_of[version];
}

newsgrep_status_t ng_api_struct_check(ng_api_struct which, const void *caller, char *msg,
                                      size_t cap)
{
	uint32_t v = version_of(caller);
	if (ng_api_struct_size(which, v))
		return NEWSGREP_OK;
	if (v == 0)
		ng_msg_set(msg, cap, "%s has no version: initialise it with %s",
		           api_structs[which].name, api_structs[which].init);
	else
		ng_msg_set(msg, cap,
		           "%s has version %u, which this library (newsgrep %s) does not know: it "
		           "knows 1 to %u",
		           api_structs[which].name, (unsigned)v, NEWSGREP_VERSION_STRING,
		           (unsigned)api_structs[which].current);
	return NEWSGREP_INVALID_ARG;
}

newsgrep_status_t ng_api_struct_read(ng_api_struct which, void *full, const void *caller, char *msg,
                                     size_t cap)
{
	newsgrep_status_t st = ng_api_struct_check(which, caller, msg, cap);
	if (st != NEWSGREP_OK)
		return st;
	/* The fields the caller knows over the defaults already in `full`;
	 * `full` keeps the current version. */
	uint32_t current = version_of(full);
	memcpy(full, caller, ng_api_struct_size(which, version_of(caller)));
	memcpy(full, &current, sizeof(current));
	return NEWSGREP_OK;
}

void ng_api_struct_write(ng_api_struct which, void *caller, const void *full)
{
	uint32_t v = version_of(caller);
	size_t size = ng_api_struct_size(which, v);
	if (size <= sizeof(v))
		return;
	memcpy((char *)caller + sizeof(v), (const char *)full + sizeof(v), size - sizeof(v));
}

newsgrep_status_t ng_api_struct_init(ng_api_struct which, void *caller, uint32_t version,
                                     const void *defaults)
{
	size_t size = ng_api_struct_size(which, version);
	if (!caller || !size)
		return NEWSGREP_INVALID_ARG;
	memcpy(caller, defaults, size);
	memcpy(caller, &version, sizeof(version));
	return NEWSGREP_OK;
}

newsgrep_status_t newsgrep_open_options_init(newsgrep_open_options_t *opts, uint32_t version)
{
	const newsgrep_open_options_t defaults = NEWSGREP_OPEN_OPTIONS_INIT;
	return ng_api_struct_init(NG_OPEN_OPTIONS, opts, version, &defaults);
}
