/*
 * newsgrep-index - builds an index of news articles and keeps it up to date.
 *
 * Made to be run from cron: with no folder named it updates the folders the
 * index already covers; it prints nothing with -q unless something is
 * wrong; one writer at a time (exit 75 when another holds the index).
 *
 * Exit status: 0 success, 1 some files skipped as bad input (each reported
 * on stderr), 2 a fatal error, 75 the index is locked by another writer.
 * SIGINT and SIGTERM stop it after committing what is done; it then dies
 * of the same signal, as a shell expects.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliopt.h"
#include "closeout.h"
#include "dblist.h"
#include "indexer.h"
#include "newsgrep.h"
#include "safetext.h"

#define DEFAULT_WAIT 600.0 /* seconds --wait waits without a value */

static const char usage[] =
    "usage: newsgrep-index [OPTION]... [DIR|FILE]...\n"
    "\n"
    "Brings the index up to date with the news articles (YAML front matter)\n"
    "under each DIR: new files are added, changed ones indexed again, deleted\n"
    "ones dropped. Each DIR becomes one of the index's folders; with none\n"
    "named, all of them are updated. Indexed: *.md *.markdown *.txt *.yaml\n"
    "*.yml files; hidden files and folders and .newsgrepignore patterns skipped.\n"
    "\n"
    "  --db PATH         the index, one (default: $NEWSGREP_DB, else\n"
    "                    $XDG_DATA_HOME/newsgrep, else ~/.local/share/newsgrep)\n"
    "  --rebuild         build the index afresh beside the old one, then swap\n"
    "                    it in at once (from its folders, or the DIRs named)\n"
    "  --forget DIR      drop DIR from the index's folders, with its articles\n"
    "  --compact         copy the index into a compact one and swap it in (an\n"
    "                    index that updates changed shrinks; no file is read)\n"
    "  --status          show the index's folders, size, revision and format\n"
    "  --check           check the index for damage without changing it (after\n"
    "                    a crash or a disk error): exit 0 sound, 2 damaged\n"
    "  --wait[=SECONDS]  wait for another newsgrep-index to finish\n"
    "                    (default 600 s) instead of exiting with status 75\n"
    "  --batch N         commit every N changes (default 10000)\n"
    "  --memory MIB      commit when the changes not yet committed take about\n"
    "                    MIB mebibytes (default 64)\n"
    "  -j, --jobs N      threads that write a new index (default: one per core,\n"
    "                    up to 4, from 1000 files)\n"
    "  --follow          follow symbolic links to folders (links to files are\n"
    "                    always followed; nothing is indexed twice)\n"
    "  --shard K/N       index only shard K of N of the archive (the articles\n"
    "                    whose URL hashes to K), to split it among N machines\n"
    "  -q, --quiet       print nothing unless something is wrong\n"
    "  -h, --help        show this help\n"
    "  -V, --version     show the version\n"
    "\n"
    "Without -q, one summary line; on a terminal, a progress bar on stderr.\n"
    "Bad files are reported as 'path:line:column: problem' and skipped; the\n"
    "index keeps their last good version.\n"
    "Exit status: 0 success, 1 some files skipped as bad input, 2 fatal error,\n"
    "75 the index is locked by another newsgrep-index.\n";

/* The modes, in index_mode's order: the option that picks each, and the
 * function that runs it. */
static const struct mode {
	const char *option;
	int (*run)(const struct index_args *a);
	bool takes_folders;
} modes[] = {
    [MODE_UPDATE] = {NULL, mode_update, true},
    [MODE_REBUILD] = {"rebuild", mode_rebuild, true},
    [MODE_FORGET] = {"forget", mode_forget, false},
    [MODE_COMPACT] = {"compact", mode_compact, false},
    [MODE_STATUS] = {"status", mode_status, false},
    [MODE_CHECK] = {"check", mode_check, false},
};

/* clang-format off */
static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"quiet", no_argument, NULL, 'q'},
    {"rebuild", no_argument, NULL, 'R'},
    {"forget", required_argument, NULL, 'F'},
    {"compact", no_argument, NULL, 'C'},
    {"status", no_argument, NULL, 'S'},
    {"check", no_argument, NULL, 'K'},
    {"wait", optional_argument, NULL, 'W'},
    {"batch", required_argument, NULL, 'B'},
    {"memory", required_argument, NULL, 'M'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"jobs", required_argument, NULL, 'j'},
    {"follow", no_argument, NULL, 'L'},
    {"shard", required_argument, NULL, 'X'},
    {NULL, 0, NULL, 0},
};
/* clang-format on */

#define SHORT_OPTIONS "d:j:qhV" /* getopt's, which cliopt_check checks too */
static const cliopt co = {
    .prog = "newsgrep-index", .shorts = SHORT_OPTIONS, .longopts = longopts, .numeric = "j"};

/* An option's whole argument as a number from 1 to max. */
static bool parse_count(const char *arg, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || n == 0 || n > max || arg[0] == '-')
		return false;
	*out = n;
	return true;
}

/* --wait's argument, or its default without one. */
static bool parse_wait(const char *arg, double *out)
{
	*out = DEFAULT_WAIT;
	if (!arg)
		return true;
	char *end;
	errno = 0;
	*out = strtod(arg, &end);
	return !(errno || end == arg || *end || !(*out >= 0) || *out > 1e7);
}

/* --shard's argument, "K/N" with 1 <= K <= N <= NEWSGREP_SHARD_MAX, into
 * a->shard_index and a->shard_count. */
static bool parse_shard(const char *arg, struct index_args *a)
{
	const char *slash = strchr(arg, '/');
	if (!slash || slash == arg || strlen(arg) > 32)
		return false;
	char k[33];
	memcpy(k, arg, (size_t)(slash - arg));
	k[slash - arg] = '\0';
	unsigned long index, count;
	if (!parse_count(k, NEWSGREP_SHARD_MAX, &index) ||
	    !parse_count(slash + 1, NEWSGREP_SHARD_MAX, &count) || index > count ||
	    !isdigit((unsigned char)k[0]) || !isdigit((unsigned char)slash[1]))
		return false;
	a->shard_index = (uint32_t)index;
	a->shard_count = (uint32_t)count;
	return true;
}

/* The modes' options seen, until pick_mode makes one mode of them. */
struct mode_flags {
	bool rebuild, compact, status, check;
};

/*
 * Reads the options into *a and *f.  Returns -1 when the run goes on, else
 * the exit status: of --help or --version, or of an option refused (said).
 */
static int parse_options(int argc, char **argv, struct index_args *a, struct mode_flags *f)
{
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, SHORT_OPTIONS, longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (a->db_path) {
				cliopt_fail(&co, "--db is given more than once: newsgrep-index "
				                 "writes one index at a time");
				return EXIT_FATAL;
			}
			a->db_path = optarg;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'R':
			f->rebuild = true;
			break;
		case 'F':
			a->forget = optarg;
			break;
		case 'C':
			f->compact = true;
			break;
		case 'L':
			a->follow = true;
			break;
		case 'S':
			f->status = true;
			break;
		case 'K':
			f->check = true;
			break;
		case 'W':
			if (!parse_wait(optarg, &a->wait)) {
				safetext_line(stderr,
				              "newsgrep-index: --wait wants a number of seconds, "
				              "not '%s'",
				              optarg);
				return EXIT_FATAL;
			}
			break;
		case 'B':
			if (!parse_count(optarg, ULONG_MAX, &a->batch)) {
				safetext_line(
				    stderr,
				    "newsgrep-index: --batch wants a positive number, not '%s'",
				    optarg);
				return EXIT_FATAL;
			}
			break;
		case 'M':
			if (!parse_count(optarg, 1ul << 20, &a->memory)) {
				safetext_line(
				    stderr,
				    "newsgrep-index: --memory wants a number of MiB from 1 to "
				    "1048576, not '%s'",
				    optarg);
				return EXIT_FATAL;
			}
			break;
		case 'j':
			if (!parse_count(optarg, 64, &a->jobs)) {
				safetext_line(
				    stderr,
				    "newsgrep-index: --jobs wants a number from 1 to 64, not "
				    "'%s'",
				    optarg);
				return EXIT_FATAL;
			}
			break;
		case 'X':
			if (!parse_shard(optarg, a)) {
				safetext_line(
				    stderr,
				    "newsgrep-index: --shard wants K/N, shard K of N (1 <= K "
				    "<= N <= %d), not '%s'",
				    NEWSGREP_SHARD_MAX, optarg);
				return EXIT_FATAL;
			}
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			cliopt_print_version(&co);
			return 0;
		default: /* cliopt_check let nothing else through */
			cliopt_fail(&co, "cannot read option '%s'", argv[optind - 1]);
			return EXIT_FATAL;
		}
	}
	a->paths = argv + optind;
	a->npaths = (size_t)(argc - optind);
	return -1;
}

/* Makes one mode of the modes' options, or says why not and returns false. */
static bool pick_mode(const struct mode_flags *f, struct index_args *a)
{
	bool forget = a->forget;
	if (f->rebuild + forget + f->compact > 1) {
		fprintf(stderr, "newsgrep-index: --rebuild, --forget and --compact do not go "
		                "together\n");
		return false;
	}
	if ((f->status || f->check) && f->rebuild + forget + f->compact + (f->status && f->check)) {
		fprintf(stderr, "newsgrep-index: --%s does not go with --%s\n",
		        f->check ? "check" : "status",
		        f->rebuild   ? "rebuild"
		        : forget     ? "forget"
		        : f->compact ? "compact"
		                     : "status");
		return false;
	}
	a->mode = f->status    ? MODE_STATUS
	          : f->check   ? MODE_CHECK
	          : f->rebuild ? MODE_REBUILD
	          : forget     ? MODE_FORGET
	          : f->compact ? MODE_COMPACT
	                       : MODE_UPDATE;
	if (a->shard_count &&
	    (a->mode == MODE_STATUS || a->mode == MODE_CHECK || a->mode == MODE_COMPACT)) {
		fprintf(stderr, "newsgrep-index: --shard does not go with --%s\n",
		        modes[a->mode].option);
		return false;
	}
	if (!modes[a->mode].takes_folders && a->npaths) {
		fprintf(stderr, "newsgrep-index: --%s takes no folders%s\n", modes[a->mode].option,
		        a->mode == MODE_FORGET ? " besides its own" : "");
		return false;
	}
	return true;
}

/*
 * A $NEWSGREP_DB that lists indexes with ':' (newsgrep searches them as
 * one) names the index to write only when it lists exactly one: which of
 * several to write is not for newsgrep-index to guess.  Sets a->db_path
 * (into *copy, freed by the caller) or says why not; false then.
 */
static bool listed_index(struct index_args *a, char **copy)
{
	const char *env = getenv("NEWSGREP_DB");
	const char **listed = NULL;
	size_t n = 0;
	if (!env || !strchr(env, ':'))
		return true;
	if (!dblist_split(env, copy, &listed, &n)) {
		fprintf(stderr, "newsgrep-index: out of memory\n");
		return false;
	}
	if (n == 1)
		a->db_path = listed[0];
	free(listed);
	if (n > 1)
		fprintf(stderr,
		        "newsgrep-index: $NEWSGREP_DB lists %zu indexes, and newsgrep-index "
		        "writes one at a time: name it with --db PATH\n",
		        n);
	else if (n == 0)
		fprintf(stderr,
		        "newsgrep-index: $NEWSGREP_DB names no index: set it, or use --db PATH\n");
	if (n != 1) {
		free(*copy);
		*copy = NULL;
	}
	return n == 1;
}

int main(int argc, char **argv)
{
	closeout_at_exit("newsgrep-index");
	if (cliopt_check(&co, argc, argv))
		return EXIT_FATAL;
	struct index_args a = {0};
	struct mode_flags f = {0};
	int rc = parse_options(argc, argv, &a, &f);
	if (rc >= 0)
		return rc;
	if (!pick_mode(&f, &a))
		return EXIT_FATAL;
	char *default_path = NULL, *copy = NULL;
	if (!a.db_path && !listed_index(&a, &copy))
		return EXIT_FATAL;
	if (!a.db_path) {
		if (newsgrep_default_db_path(&default_path) != NEWSGREP_OK) {
			fprintf(stderr, "newsgrep-index: cannot tell where the index goes: "
			                "set HOME or NEWSGREP_DB, or use --db PATH\n");
			return EXIT_FATAL;
		}
		a.db_path = default_path;
	}
	rc = modes[a.mode].run(&a);
	newsgrep_free(default_path);
	free(copy);
	return rc;
}
