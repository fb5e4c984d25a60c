/*
 * newsgrep-watch - standing searches: each watch delivers the articles
 * that entered the index since its last run, each exactly once.
 *
 *   newsgrep-watch [--db INDEX] add NAME [options] QUERY...
 *   newsgrep-watch [--db INDEX] list
 *   newsgrep-watch [--db INDEX] rm NAME
 *   newsgrep-watch [--db INDEX] run [-q] [-n] [--json] [--atom DIR] [NAME...]
 *
 * The watches live in the index (core/watch.c).  `run` reads with a
 * reader, prints every watch's new hits as newsgrep does (search/print_*),
 * checks that standard output took them (fflush, ferror), and only then
 * takes the index's lock to record how far each watch delivered: a run
 * killed or unable to write delivers the same articles next time.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cliopt.h"
#include "closeout.h"
#include "feed.h"
#include "killstep.h"
#include "newsgrep.h"
#include "printer.h"

enum { EXIT_NEW = 0, EXIT_NOTHING = 1, EXIT_ERROR = 2, EXIT_LOCKED = 75 };

/* Seconds `run`, `add` and `rm` wait for the indexer to let go of the
 * index's lock. */
#define LOCK_WAIT 600.0

static const char usage[] =
    "Usage: newsgrep-watch [--db INDEX] COMMAND [ARGS]\n"
    "Standing searches: each watch prints the articles that entered the index\n"
    "since it last ran, each exactly once, whatever their date.\n"
    "\n"
    "Commands:\n"
    "  add NAME [OPTIONS] QUERY...  follow QUERY (the query language of newsgrep)\n"
    "      --since DATE, --until DATE  published from / until DATE: YYYY[-MM[-DD]],\n"
    "                               or 7d, 2w, 3m, 1y, yesterday: from each run's time\n"
    "      --like PATH|URL          the story of this article (QUERY may then be empty)\n"
    "      -F, --fixed-strings      the query is plain words\n"
    "      -e, --exact              no stemming\n"
    "      --all-duplicates         every article of a URL, not only the first\n"
    "      --changed                an article that changed is delivered again\n"
    "      --max-expansion N        a wildcard stands for at most N words\n"
    "  list                         the watches, their queries and progress\n"
    "  rm NAME                      remove a watch\n"
    "  run [OPTIONS] [NAME...]      print what is new for each watch (or those named)\n"
    "      -q, --quiet              print nothing when nothing is new\n"
    "      -n, --dry-run            print it but record nothing, write no feed\n"
    "      --json                   one JSON record per line\n"
    "      --atom DIR               keep each watch's Atom feed in DIR/NAME.atom\n"
    "      --atom-entries N         the newest N entries a feed holds (default 50)\n"
    "\n"
    "Options:\n"
    "  --db INDEX    the index (default: $NEWSGREP_DB, else ~/.local/share/newsgrep)\n"
    "  -h, --help    this help\n"
    "  -V, --version the version\n"
    "\n"
    "Exit status: 0 something new (run) or done, 1 nothing new, 2 error,\n"
    "75 the index stayed locked by newsgrep-index.\n";

static const char *prog = "newsgrep-watch";

static int fail_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	return EXIT_ERROR;
}

static int report(newsgrep_status_t st, const char *msg)
{
	fprintf(stderr, "%s: %s\n", prog, msg && *msg ? msg : newsgrep_status_string(st));
	return st == NEWSGREP_LOCKED ? EXIT_LOCKED : EXIT_ERROR;
}

/* The failure of watch `name`, named unless its message names it. */
static int report_watch(newsgrep_status_t st, const char *name, const char *msg)
{
	char quoted[NEWSGREP_WATCH_NAME_MAX + 3];
	snprintf(quoted, sizeof(quoted), "'%s'", name);
	if (!msg || !*msg)
		msg = newsgrep_status_string(st);
	if (strstr(msg, quoted))
		return report(st, msg);
	fprintf(stderr, "%s: watch %s: %s\n", prog, quoted, msg);
	return st == NEWSGREP_LOCKED ? EXIT_LOCKED : EXIT_ERROR;
}

static int open_index(newsgrep_db_t **db, const char *path, newsgrep_db_mode_t mode)
{
	newsgrep_open_options_t oo = NEWSGREP_OPEN_OPTIONS_INIT;
	oo.lock_wait = LOCK_WAIT;
	char *msg = NULL;
	newsgrep_status_t st = newsgrep_db_open(db, path, mode, &oo, &msg);
	if (st == NEWSGREP_OK)
		return 0;
	int rc = report(st, msg);
	newsgrep_free(msg);
	return rc;
}

/* A writer of an index that is there already (a writer would make one). */
static int open_writer(newsgrep_db_t **db, const char *path)
{
	newsgrep_db_t *r;
	int rc = open_index(&r, path, NEWSGREP_DB_READ);
	if (rc)
		return rc;
	newsgrep_db_close(r);
	return open_index(db, path, NEWSGREP_DB_WRITE);
}

static char *join_words(char **words, int n)
{
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	char *q = calloc(1, len);
	for (int i = 0; q && i < n; i++) {
		if (i)
			strcat(q, " ");
		strcat(q, words[i]);
	}
	return q;
}

enum {
	OPT_SINCE = 256,
	OPT_UNTIL,
	OPT_ALL_DUPLICATES,
	OPT_CHANGED,
	OPT_MAX_EXPANSION,
	OPT_JSON,
	OPT_ATOM,
	OPT_ATOM_ENTRIES,
	OPT_LIKE
};

/* --atom-entries: the default and the most a feed may hold. */
#define ATOM_ENTRIES 50
#define ATOM_ENTRIES_MAX 1000

static int cmd_add(const char *db_path, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"until", required_argument, NULL, OPT_UNTIL},
	    {"fixed-strings", no_argument, NULL, 'F'},
	    {"exact", no_argument, NULL, 'e'},
	    {"all-duplicates", no_argument, NULL, OPT_ALL_DUPLICATES},
	    {"changed", no_argument, NULL, OPT_CHANGED},
	    {"max-expansion", required_argument, NULL, OPT_MAX_EXPANSION},
	    {"like", required_argument, NULL, OPT_LIKE},
	    {0, 0, 0, 0}};
	newsgrep_search_options_t o = NEWSGREP_SEARCH_OPTIONS_INIT;
	const char *since = NULL, *until = NULL;
	if (argc < 2)
		return fail_usage("%s", "add needs a NAME and a QUERY");
	/* add NAME [options] QUERY...: the options after the name. */
	const char *name = argv[1];
	argc--;
	argv++;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+Fe", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SINCE:
			since = optarg; /* read by the library, relative ones at each run */
			break;
		case OPT_UNTIL:
			until = optarg;
			break;
		case OPT_LIKE:
			if (!*optarg)
				return fail_usage("%s",
				                  "--like: name an article: its file or its URL");
			o.like = optarg;
			break;
		case 'F':
			o.fixed_strings = 1;
			break;
		case 'e':
			o.exact = 1;
			break;
		case OPT_ALL_DUPLICATES:
			o.all_duplicates = 1;
			break;
		case OPT_CHANGED:
			o.has_changed_after = 1;
			break;
		case OPT_MAX_EXPANSION: {
			char *end;
			errno = 0;
			o.max_expansion = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-')
				return fail_usage("--max-expansion takes a number, not '%s'",
				                  optarg);
			break;
		}
		default:
			return fail_usage("%s", "bad option of add");
		}
	}
	if (argc - optind < 1 && !o.like)
		return fail_usage("%s", "add needs a NAME and a QUERY (or --like)");
	char *query = join_words(argv + optind, argc - optind);
	if (!query)
		return report(NEWSGREP_NOMEM, NULL);
	newsgrep_db_t *db;
	int rc = open_writer(&db, db_path);
	if (!rc) {
		newsgrep_status_t st = newsgrep_watch_add_dates(db, name, query, &o, since, until);
		if (st != NEWSGREP_OK)
			rc = report(st, newsgrep_db_errmsg(db));
		newsgrep_db_close(db);
	}
	free(query);
	return rc;
}

static int cmd_rm(const char *db_path, int argc, char **argv)
{
	if (argc != 2)
		return fail_usage("%s", "rm takes one NAME");
	newsgrep_db_t *db;
	int rc = open_writer(&db, db_path);
	if (rc)
		return rc;
	newsgrep_status_t st = newsgrep_watch_remove(db, argv[1]);
	if (st != NEWSGREP_OK)
		rc = report(st, newsgrep_db_errmsg(db));
	newsgrep_db_close(db);
	return rc;
}

/* A space before each word of `list`'s query and options but the first. */
static void space(bool *any)
{
	if (*any)
		putchar(' ');
	*any = true;
}

/* "--since DAY" (a relative date as given: `text`). */
static void print_date(const char *opt, int has, int64_t t, const char *text, bool *any)
{
	char day[32];
	newsgrep_hit_t h = {.has_date = 1, .date = t};
	if (!has)
		return;
	if (!text)
		format_date(&h, 1, day, sizeof(day));
	space(any);
	printf("%s ", opt);
	put_spaced(stdout, text ? text : day, strlen(text ? text : day));
}

/* The options of a watch, as `add` takes them; `any`: words before them. */
static void print_options(const newsgrep_search_options_t *o, const char *since, const char *until,
                          bool any)
{
	print_date("--since", o->has_since, o->since, since, &any);
	print_date("--until", o->has_until, o->until, until, &any);
	if (o->like) {
		space(&any);
		fputs("--like ", stdout);
		put_spaced(stdout, o->like, strlen(o->like));
	}
	const struct {
		bool on;
		const char *name;
	} flags[] = {{o->fixed_strings, "-F"},
	             {o->exact, "--exact"},
	             {o->all_duplicates, "--all-duplicates"},
	             {o->has_changed_after, "--changed"}};
	for (size_t i = 0; i < sizeof(flags) / sizeof(*flags); i++)
		if (flags[i].on) {
			space(&any);
			fputs(flags[i].name, stdout);
		}
	if (o->max_expansion) {
		space(&any);
		printf("--max-expansion %llu", (unsigned long long)o->max_expansion);
	}
}

static int cmd_list(const char *db_path, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return fail_usage("%s", "list takes no arguments");
	newsgrep_db_t *db;
	int rc = open_index(&db, db_path, NEWSGREP_DB_READ);
	if (rc)
		return rc;
	char **names = NULL;
	size_t n = 0;
	newsgrep_status_t st = newsgrep_watch_list(db, &names, &n);
	for (size_t i = 0; st == NEWSGREP_OK && i < n; i++) {
		char *query = NULL;
		uint64_t last = 0;
		newsgrep_search_options_t o = NEWSGREP_SEARCH_OPTIONS_INIT;
		char *since = NULL, *until = NULL;
		st = newsgrep_watch_get(db, names[i], &query, &o, NULL, &last);
		if (st == NEWSGREP_OK)
			st = newsgrep_watch_dates(db, names[i], &since, &until);
		if (st != NEWSGREP_OK) {
			newsgrep_free(query);
			break;
		}
		printf("%s\t%llu\t", names[i], (unsigned long long)last);
		put_spaced(stdout, query, strlen(query));
		print_options(&o, since, until, *query != '\0');
		putchar('\n');
		newsgrep_free(query);
		newsgrep_free(since);
		newsgrep_free(until);
	}
	if (st != NEWSGREP_OK)
		rc = report(st, newsgrep_db_errmsg(db));
	newsgrep_roots_free(names, n);
	newsgrep_db_close(db);
	return rc ? rc : n ? EXIT_NEW : EXIT_NOTHING;
}

/* What one watch's run gave, to record once it is written. */
typedef struct mark {
	const char *name;
	char identity[33];
	uint64_t upto;
	int resynchronised;
	uint64_t delivered;
	bool ok; /* run and written: to be recorded */
} mark;

/* How `run` delivers. */
typedef struct run_opts {
	bool json, quiet;
	bool dry_run;     /* print, but record nothing and write no feed */
	const char *atom; /* --atom DIR, or NULL */
	size_t atom_entries;
} run_opts;

typedef struct delivery {
	mark *m;
	bool json, quiet, header_done;
	print_opts po;
	watch_feed *feed; /* --atom: the hits go there */
} delivery;

static void print_header(delivery *d)
{
	if (d->header_done)
		return;
	d->header_done = true;
	if (d->json) {
		fputs("{\"type\":\"watch\",\"name\":", stdout);
		put_json_string(stdout, d->m->name);
		fputs("}\n", stdout);
	} else {
		printf("== %s ==\n", d->m->name);
	}
}

static int deliver(void *ctx, const newsgrep_hit_t *hit)
{
	delivery *d = ctx;
	d->m->delivered++;
	if (d->feed)
		return !watch_feed_add(d->feed, hit);
	kill_step(); /* (crash tests: killed with hits half printed) */
	print_header(d);
	if (d->json) {
		print_json_hit(stdout, hit, &d->po);
	} else {
		print_text_hit(stdout, hit, &d->po);
	}
	return ferror(stdout) != 0;
}

/* The title of watch `name`'s feed: "NAME: QUERY", or its name. */
static char *feed_title(newsgrep_db_t *db, const char *name)
{
	char *query = NULL;
	newsgrep_search_options_t o = NEWSGREP_SEARCH_OPTIONS_INIT;
	char *title = NULL;
	if (newsgrep_watch_get(db, name, &query, &o, NULL, NULL) == NEWSGREP_OK) {
		const char *like = o.like ? o.like : "";
		size_t n = strlen(name) + strlen(query) + strlen(like) + 16;
		if ((title = malloc(n)))
			snprintf(title, n, "%s%s%s%s%s", name, *query || *like ? ": " : "", query,
			         *query && *like ? " " : "", *like ? "like " : "");
		if (title && *like)
			strcat(title, like);
	}
	newsgrep_free(query);
	return title;
}

/* Opens watch m's feed in --atom's folder; 0, or an exit status. */
static int open_feed(newsgrep_db_t *db, const run_opts *ro, const mark *m, watch_feed **feed)
{
	char *title = feed_title(db, m->name);
	if (!title)
		return report(NEWSGREP_OK, newsgrep_db_errmsg(db));
	char err[512];
	*feed = watch_feed_open(ro->atom, m->name, title, ro->atom_entries, err, sizeof(err));
	free(title);
	if (!*feed) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return EXIT_ERROR;
	}
	return 0;
}

/* Says what went to watch m's feed (unless -q and nothing). */
static void print_feed_news(const mark *m, const watch_feed *feed, const run_opts *ro)
{
	if (!m->delivered || m->resynchronised)
		return;
	if (ro->json) {
		fputs("{\"type\":\"watch\",\"name\":", stdout);
		put_json_string(stdout, m->name);
		printf(",\"new\":%llu,\"atom\":", (unsigned long long)m->delivered);
		put_json_string(stdout, watch_feed_path(feed));
		fputs(ro->dry_run ? ",\"written\":false}\n" : "}\n", stdout);
	} else {
		printf("%s: %llu new %s ", m->name, (unsigned long long)m->delivered,
		       ro->dry_run ? "for" : "in");
		put_spaced(stdout, watch_feed_path(feed), strlen(watch_feed_path(feed)));
		puts(ro->dry_run ? " (a dry run: not written)" : "");
	}
}

/* Runs one watch, printing its news (or writing them to its feed); 0, or
 * an exit status. */
static int run_one(newsgrep_db_t *db, mark *m, const run_opts *ro)
{
	bool json = ro->json, quiet = ro->quiet;
	delivery d = {.m = m, .json = json, .quiet = quiet, .po = {.end = '\n'}};
	int rc = ro->atom ? open_feed(db, ro, m, &d.feed) : 0;
	if (rc)
		return rc;
	newsgrep_status_t st = newsgrep_watch_run(db, m->name, NULL, deliver, &d, m->identity,
	                                          &m->upto, &m->resynchronised);
	char err[512];
	if (st == NEWSGREP_STOPPED && d.feed)
		rc = report(NEWSGREP_NOMEM, NULL);
	else if (st == NEWSGREP_STOPPED)
		rc = EXIT_ERROR; /* stdout failed: said below */
	else if (st != NEWSGREP_OK)
		rc = report_watch(st, m->name, newsgrep_db_errmsg(db));
	else if (d.feed && !ro->dry_run && watch_feed_commit(d.feed, err, sizeof(err)) != 0) {
		fprintf(stderr,
		        "%s: %s: watch '%s' is not recorded: its next run delivers the same "
		        "articles again\n",
		        prog, err, m->name);
		rc = EXIT_ERROR;
	}
	if (!rc && d.feed)
		print_feed_news(m, d.feed, ro);
	watch_feed_free(d.feed);
	if (rc)
		return rc;
	if (m->resynchronised) {
		if (json) {
			fputs("{\"type\":\"resynchronised\",\"name\":", stdout);
			put_json_string(stdout, m->name);
			fputs("}\n", stdout);
		} else {
			printf("%s: the index was rebuilt: resynchronised, following the new index "
			       "from now on\n",
			       m->name);
		}
	} else if (!m->delivered && !quiet) {
		if (json) {
			fputs("{\"type\":\"watch\",\"name\":", stdout);
			put_json_string(stdout, m->name);
			fputs(",\"new\":0}\n", stdout);
		} else {
			printf("%s: nothing new\n", m->name);
		}
	}
	return 0;
}

/* Records each watch's mark, once its output was written. */
static int record(const char *db_path, const mark *marks, size_t n)
{
	newsgrep_db_t *db = NULL;
	int rc = open_index(&db, db_path, NEWSGREP_DB_WRITE);
	for (size_t i = 0; i < n && !rc; i++) {
		if (!marks[i].ok)
			continue;
		newsgrep_status_t st =
		    newsgrep_watch_advance(db, marks[i].name, marks[i].identity, marks[i].upto);
		if (st != NEWSGREP_OK && st != NEWSGREP_DONE)
			rc = report(st, newsgrep_db_errmsg(db));
	}
	/* All of them in one commit (each costs the disk's syncs). */
	newsgrep_status_t st;
	if (!rc && (st = newsgrep_db_commit(db)) != NEWSGREP_OK)
		rc = report(st, newsgrep_db_errmsg(db));
	newsgrep_db_close(db);
	if (rc)
		fprintf(stderr,
		        "%s: what was delivered is not recorded: the next run delivers it "
		        "again\n",
		        prog);
	return rc;
}

static int cmd_run(const char *db_path, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"quiet", no_argument, NULL, 'q'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"atom", required_argument, NULL, OPT_ATOM},
	    {"atom-entries", required_argument, NULL, OPT_ATOM_ENTRIES},
	    {0, 0, 0, 0}};
	run_opts ro = {.atom_entries = ATOM_ENTRIES};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+qn", longopts, NULL)) != -1) {
		if (c == 'q') {
			ro.quiet = true;
		} else if (c == 'n') {
			ro.dry_run = true;
		} else if (c == OPT_JSON) {
			ro.json = true;
		} else if (c == OPT_ATOM) {
			if (!*optarg)
				return fail_usage("%s", "--atom needs a folder");
			ro.atom = optarg;
		} else if (c == OPT_ATOM_ENTRIES) {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-' || n < 1 ||
			    n > ATOM_ENTRIES_MAX)
				return fail_usage("--atom-entries takes a number from 1 to 1000, "
				                  "not '%s'",
				                  optarg);
			ro.atom_entries = (size_t)n;
		} else {
			return fail_usage("%s", "bad option of run");
		}
	}
	newsgrep_db_t *db;
	int rc = open_index(&db, db_path, NEWSGREP_DB_READ);
	if (rc)
		return rc;
	char **names = NULL;
	size_t n = 0;
	newsgrep_status_t st = NEWSGREP_OK;
	if (optind < argc) {
		n = (size_t)(argc - optind);
		names = argv + optind;
	} else if ((st = newsgrep_watch_list(db, &names, &n)) != NEWSGREP_OK) {
		rc = report(st, newsgrep_db_errmsg(db));
		newsgrep_db_close(db);
		return rc;
	}
	mark *marks = calloc(n ? n : 1, sizeof(*marks));
	size_t done = 0;
	uint64_t delivered = 0;
	int failed = 0; /* a watch of its own failed (said why): the others go on */
	for (size_t i = 0; marks && i < n && !rc; i++) {
		marks[i].name = names[i];
		int one = run_one(db, &marks[i], &ro);
		/* What did not reach stdout is not recorded (closeout says why
		 * at exit), and nothing after it can be written either. */
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr,
			        "%s: watch '%s' is not recorded (%s): its next run delivers the "
			        "same articles again\n",
			        prog, names[i], strerror(errno));
			rc = EXIT_ERROR;
		} else if (one) {
			failed = one;
		} else {
			marks[i].ok = true;
			done++;
			delivered += marks[i].delivered;
		}
	}
	newsgrep_db_close(db);
	if (!marks)
		rc = report(NEWSGREP_NOMEM, NULL);
	int recorded = done && !ro.dry_run ? record(db_path, marks, n) : 0;
	if (!rc)
		rc = failed;
	free(marks);
	if (optind >= argc)
		newsgrep_roots_free(names, n);
	if (rc || recorded)
		return rc ? rc : recorded;
	return delivered ? EXIT_NEW : EXIT_NOTHING;
}

int main(int argc, char **argv)
{
	closeout_at_exit(prog);
	static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
	                                         {"help", no_argument, NULL, 'h'},
	                                         {"version", no_argument, NULL, 'V'},
	                                         {0, 0, 0, 0}};
	const cliopt cli = {.prog = prog, .shorts = "hV", .longopts = longopts, .in_order = true};
	if (cliopt_check(&cli, argc, argv) != 0)
		return EXIT_ERROR;
	const char *db_path = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_path = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			cliopt_print_version(&cli);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n", prog);
			return EXIT_ERROR;
		}
	}
	if (optind >= argc)
		return fail_usage("%s", "no command given: add, list, rm or run");
	char *default_path = NULL;
	if (!db_path) {
		if (newsgrep_default_db_path(&default_path) != NEWSGREP_OK)
			return report(NEWSGREP_INVALID_ARG,
			              "no index given: use --db INDEX, or set NEWSGREP_DB or HOME");
		if (strchr(default_path, ':')) {
			newsgrep_free(default_path);
			return report(
			    NEWSGREP_INVALID_ARG,
			    "$NEWSGREP_DB names several indexes: give one with --db INDEX");
		}
		db_path = default_path;
	}
	const char *cmd = argv[optind];
	int sub_argc = argc - optind;
	char **sub_argv = argv + optind;
	int rc;
	if (strcmp(cmd, "add") == 0)
		rc = cmd_add(db_path, sub_argc, sub_argv);
	else if (strcmp(cmd, "list") == 0)
		rc = cmd_list(db_path, sub_argc, sub_argv);
	else if (strcmp(cmd, "rm") == 0)
		rc = cmd_rm(db_path, sub_argc, sub_argv);
	else if (strcmp(cmd, "run") == 0)
		rc = cmd_run(db_path, sub_argc, sub_argv);
	else
		rc = fail_usage("unknown command '%s': add, list, rm or run", cmd);
	newsgrep_free(default_path);
	return rc;
}
