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
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cliopt.h"
#include "closeout.h"
#include "newsgrep.h"
#include "safetext.h"

enum {
	EXIT_ALL_INDEXED = 0,
	EXIT_SOME_SKIPPED = 1,
	EXIT_FATAL = 2,
	EXIT_LOCKED = 75 /* EX_TEMPFAIL: try again later */
};

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
    "  --db PATH         the index (default: $NEWSGREP_DB, else\n"
    "                    $XDG_DATA_HOME/newsgrep, else ~/.local/share/newsgrep)\n"
    "  --rebuild         build the index afresh beside the old one, then swap\n"
    "                    it in at once (from its folders, or the DIRs named)\n"
    "  --forget DIR      drop DIR from the index's folders, with its articles\n"
    "  --compact         copy the index into a compact one and swap it in (an\n"
    "                    index that updates changed shrinks; no file is read)\n"
    "  --status          show the index's folders, size and revision\n"
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
    "  -q, --quiet       print nothing unless something is wrong\n"
    "  -h, --help        show this help\n"
    "  -V, --version     show the version\n"
    "\n"
    "Without -q, one summary line; on a terminal, a progress bar on stderr.\n"
    "Bad files are reported as 'path:line:column: problem' and skipped; the\n"
    "index keeps their last good version.\n"
    "Exit status: 0 success, 1 some files skipped as bad input, 2 fatal error,\n"
    "75 the index is locked by another newsgrep-index.\n";

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct ui {
	int bar;        /* draw a progress bar on stderr */
	int drawn;      /* a bar is on the screen */
	double start;   /* of the run */
	double started; /* of the index phase */
	double last;    /* last draw */
} ui;

/* The ending of a plural noun: "1 file", "2 files". */
static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static void clear_bar(ui *u)
{
	if (u->drawn) {
		fputs("\r\033[K", stderr);
		u->drawn = 0;
	}
}

static void print_problem(void *ctx, const newsgrep_problem_t *p)
{
	clear_bar(ctx);
	const char *kind = p->kind == NEWSGREP_PROBLEM_WARNING ? "warning: " : "";
	if (p->line)
		safetext_line(stderr, "%s:%lu:%lu: %s%s", p->path, p->line, p->column, kind,
		              p->message);
	else
		safetext_line(stderr, "%s: %s%s", p->path, kind, p->message);
}

static int on_progress(void *ctx, const newsgrep_progress_t *p)
{
	ui *u = ctx;
	if (stop_signal)
		return 1;
	if (!u->bar)
		return 0;
	double now = now_seconds();
	bool first = p->phase == NEWSGREP_PHASE_INDEX && !u->started;
	if (first)
		u->started = now;
	if (now - u->last < 0.1 && !first)
		return 0;
	u->last = now;
	if (p->phase == NEWSGREP_PHASE_SCAN) {
		fprintf(stderr, "\r\033[Kscanning: %llu file%s", (unsigned long long)p->scanned,
		        plural(p->scanned));
	} else {
		double frac = p->total ? (double)p->done / (double)p->total : 1;
		double rate = now > u->started ? (double)p->done / (now - u->started) : 0;
		long eta = rate > 0 ? (long)((double)(p->total - p->done) / rate) : 0;
		char bar[31];
		int fill = (int)(frac * 30);
		for (int i = 0; i < 30; i++)
			bar[i] = i < fill ? '=' : i == fill ? '>' : ' ';
		bar[30] = '\0';
		fprintf(stderr,
		        "\r\033[K[%s] %3.0f%% %llu/%llu file%s  %.0f files/s  ETA %ld:%02ld", bar,
		        frac * 100, (unsigned long long)p->done, (unsigned long long)p->total,
		        plural(p->total), rate, eta / 60, eta % 60);
	}
	u->drawn = 1;
	return 0;
}

/* The exit status for a failed call's status. */
static int fatal_exit(newsgrep_status_t st)
{
	return st == NEWSGREP_LOCKED ? EXIT_LOCKED : EXIT_FATAL;
}

static int fail_open(newsgrep_status_t st, char *msg)
{
	safetext_line(stderr, "newsgrep-index: %s", msg ? msg : newsgrep_status_string(st));
	newsgrep_free(msg);
	return fatal_exit(st);
}

static uint64_t folder_bytes; /* folder_size's sum, for its nftw callback */

static int add_file_size(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (type == FTW_F && S_ISREG(st->st_mode))
		folder_bytes += (uint64_t)st->st_size;
	return 0;
}

/* The bytes of the files under `path`: what the index takes on disk. */
static uint64_t folder_size(const char *path)
{
	folder_bytes = 0;
	nftw(path, add_file_size, 16, FTW_PHYS);
	return folder_bytes;
}

/*
 * Bounds the size of every file this process writes, so that a damaged
 * index whose tables name an impossible block (one index grew a 10 TB
 * sparse postlist.glass, a block number in it far past its end) stops the
 * run at the first write past the bound, with a message, instead of making
 * a huge sparse file.  No table can honestly grow past what the disk holds:
 * the bound is twice the index's bytes and the disk's free space
 * (compressing file systems), plus 1 GiB, and past the files standard
 * output and error append to.  A lower limit already set is kept.
 *
 * The write past it raises SIGXFSZ, whose handler says so and exits at
 * once: the index stays as of its last commit, as after a kill.  (Letting
 * the write fail with EFBIG instead is no better: Xapian 1.4 calls
 * std::terminate on a failed write in some paths, valuestream_begin's
 * flush among them.)
 */
static char too_big_msg[9000];
static size_t too_big_len;

static void on_too_big(int sig)
{
	(void)sig;
	if (write(STDERR_FILENO, too_big_msg, too_big_len) < 0) {
		/* nothing more to do */
	}
	_exit(EXIT_FATAL);
}

static void bound_file_size(const char *db_path)
{
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s", db_path);
	struct statvfs vfs;
	bool known;
	/* The index's file system: of the nearest folder that exists. */
	while (!(known = statvfs(dir, &vfs) == 0)) {
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir)
			*slash = '\0';
		else if (slash && dir[1])
			dir[1] = '\0';
		else if (!slash && strcmp(dir, ".") != 0)
			snprintf(dir, sizeof(dir), ".");
		else
			break;
	}
	const uint64_t gib = 1ull << 30;
	uint64_t free_bytes = known ? (uint64_t)vfs.f_bavail * vfs.f_frsize : 0;
	uint64_t room = folder_size(db_path) + free_bytes;
	uint64_t bound = room > (UINT64_MAX - gib) / 2 ? UINT64_MAX : 2 * room + gib;
	for (int fd = 1; fd <= 2; fd++) {
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    (uint64_t)st.st_size > bound - gib)
			bound = (uint64_t)st.st_size + gib;
	}
	struct rlimit lim;
	if (getrlimit(RLIMIT_FSIZE, &lim) != 0 ||
	    (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur <= bound))
		return;
	if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < bound)
		bound = lim.rlim_max;
	int n = snprintf(too_big_msg, sizeof(too_big_msg),
	                 "newsgrep-index: index at '%s' is damaged: one of its files would grow "
	                 "past %llu bytes (twice the index and the disk's free space), which "
	                 "means an impossible block number; stopped before writing it (check "
	                 "the index with newsgrep-index --check, rebuild it with "
	                 "newsgrep-index --rebuild)\n",
	                 db_path, (unsigned long long)bound);
	too_big_len = n < 0 ? 0 : (size_t)n < sizeof(too_big_msg) ? (size_t)n : sizeof(too_big_msg);
	struct sigaction sa = {.sa_handler = on_too_big};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGXFSZ, &sa, NULL);
	lim.rlim_cur = (rlim_t)bound;
	setrlimit(RLIMIT_FSIZE, &lim);
}

static int show_status(const char *db_path)
{
	newsgrep_db_t *db;
	char *msg;
	newsgrep_status_t st = newsgrep_db_open(&db, db_path, NEWSGREP_DB_READ, &msg);
	if (st != NEWSGREP_OK)
		return fail_open(st, msg);
	uint64_t count = 0, rev = 0;
	char **roots = NULL;
	size_t nroots = 0;
	if ((st = newsgrep_db_count(db, &count)) != NEWSGREP_OK ||
	    (st = newsgrep_db_revision(db, &rev)) != NEWSGREP_OK ||
	    (st = newsgrep_db_roots(db, &roots, &nroots)) != NEWSGREP_OK) {
		safetext_line(stderr, "newsgrep-index: %s", newsgrep_db_errmsg(db));
		newsgrep_db_close(db);
		return EXIT_FATAL;
	}
	/* For people, as the messages: the folders' names made safe. */
	fputs("index: ", stdout);
	safetext_puts(stdout, db_path, 0);
	printf("\narticles: %llu\nrevision: %llu\nsize: %.1f MB\nfolders:\n",
	       (unsigned long long)count, (unsigned long long)rev,
	       (double)folder_size(db_path) / 1e6);
	for (size_t i = 0; i < nroots && st == NEWSGREP_OK; i++) {
		char **added = NULL;
		size_t nadded = 0;
		st = newsgrep_db_root_added_by(db, roots[i], &added, &nadded);
		fputs("  ", stdout);
		safetext_puts(stdout, roots[i], 0);
		for (size_t j = 0; j < nadded; j++) {
			fputs(j ? ", " : " (added as ", stdout);
			safetext_puts(stdout, added[j], 0);
		}
		printf("%s\n", nadded ? ")" : "");
		newsgrep_roots_free(added, nadded);
	}
	newsgrep_roots_free(roots, nroots);
	if (st != NEWSGREP_OK) {
		safetext_line(stderr, "newsgrep-index: %s", newsgrep_db_errmsg(db));
		newsgrep_db_close(db);
		return EXIT_FATAL;
	}
	newsgrep_db_close(db);
	return EXIT_ALL_INDEXED;
}

static void print_check_problem(void *ctx, const char *problem)
{
	(void)ctx;
	safetext_line(stderr, "newsgrep-index: %s", problem);
}

/* --check: each problem on stderr, exit 2 if any; nothing is changed. */
static int check_in_process(const char *db_path, int quiet)
{
	newsgrep_db_t *db;
	char *msg;
	newsgrep_status_t st = newsgrep_db_open(&db, db_path, NEWSGREP_DB_READ, &msg);
	if (st != NEWSGREP_OK)
		return fail_open(st, msg);
	newsgrep_check_stats_t stats;
	st = newsgrep_db_check(db, print_check_problem, NULL, &stats);
	if (st != NEWSGREP_OK) {
		safetext_line(stderr, "newsgrep-index: %s", newsgrep_db_errmsg(db));
		newsgrep_db_close(db);
		return EXIT_FATAL;
	}
	newsgrep_db_close(db);
	if (!quiet)
		safetext_line(stdout,
		              "newsgrep-index: checked the index at '%s': %llu article%s, no "
		              "problem found%s",
		              db_path, (unsigned long long)stats.articles, plural(stats.articles),
		              stats.tables_unchecked
		                  ? " (without Xapian's check of its tables, which opens them "
		                    "for writing: you may not)"
		                  : "");
	return EXIT_ALL_INDEXED;
}

/* --check in a child process: Xapian 1.4 can crash on a damaged table
 * (xapian-check itself does, reading a termlist entry with a changed
 * byte), and a crash is then the check's verdict, not the end of it. */
static int check_index(const char *db_path, int quiet)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		exit(check_in_process(db_path, quiet));
	if (pid < 0)
		return check_in_process(db_path, quiet);
	int ws;
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR) {
			perror("newsgrep-index: waitpid");
			return EXIT_FATAL;
		}
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	int sig = WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
	safetext_line(stderr,
	              "newsgrep-index: the check of the index at '%s' died of signal %d (%s) "
	              "while reading it: the index is damaged (Xapian crashes on some damage): "
	              "rebuild it with newsgrep-index --rebuild",
	              db_path, sig, strsignal(sig));
	return EXIT_FATAL;
}

/* The folders of the index being rebuilt, read from the old index. */
static int old_roots(const char *db_path, char ***roots, size_t *n)
{
	newsgrep_db_t *old;
	char *msg;
	newsgrep_status_t st = newsgrep_db_open(&old, db_path, NEWSGREP_DB_READ, &msg);
	if (st == NEWSGREP_OK) {
		st = newsgrep_db_roots(old, roots, n);
		if (st != NEWSGREP_OK)
			msg = strdup(newsgrep_db_errmsg(old));
		newsgrep_db_close(old);
	}
	if (st == NEWSGREP_OK && *n == 0) {
		fprintf(stderr, "newsgrep-index: the index has no folders to rebuild from: name "
		                "them (newsgrep-index --rebuild DIR...)\n");
		return -1;
	}
	if (st != NEWSGREP_OK) {
		safetext_line(
		    stderr,
		    "newsgrep-index: cannot read the folders of the index to rebuild (%s): "
		    "name them (newsgrep-index --rebuild DIR...)",
		    msg ? msg : newsgrep_status_string(st));
		newsgrep_free(msg);
		return -1;
	}
	return 0;
}

/* Whether `path` is `root` or inside it. */
static bool path_under(const char *path, const char *root)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return true;
	return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/*
 * A rebuild from the paths named leaves out the index's other folders:
 * says so, naming each, before it starts (a stop then keeps the old index
 * whole).  Nothing to say when the old index's folders cannot be read.
 */
static void warn_dropped(const char *db_path, char **paths, size_t npaths)
{
	newsgrep_db_t *old;
	char **roots = NULL;
	size_t nroots = 0;
	if (newsgrep_db_open(&old, db_path, NEWSGREP_DB_READ, NULL) != NEWSGREP_OK)
		return;
	newsgrep_status_t st = newsgrep_db_roots(old, &roots, &nroots);
	newsgrep_db_close(old);
	if (st != NEWSGREP_OK)
		return;
	char **named = calloc(npaths ? npaths : 1, sizeof(*named));
	for (size_t i = 0; named && i < npaths; i++)
		named[i] = realpath(paths[i], NULL); /* as the index records them */
	for (size_t r = 0; named && r < nroots; r++) {
		bool kept = false;
		for (size_t i = 0; i < npaths && !kept; i++)
			kept = named[i] && path_under(roots[r], named[i]);
		if (!kept)
			safetext_line(
			    stderr,
			    "newsgrep-index: warning: --rebuild leaves out the index's folder "
			    "'%s' and its articles (name it too to keep it)",
			    roots[r]);
	}
	for (size_t i = 0; named && i < npaths; i++)
		free(named[i]);
	free(named);
	newsgrep_roots_free(roots, nroots);
}

/* When none of the paths named can be found, says why for each and returns
 * false: nothing is done (a first index would be made empty).  When some
 * can, the others are reported as files skipped. */
static bool some_path_found(char **paths, size_t npaths)
{
	struct stat st;
	for (size_t i = 0; i < npaths; i++)
		if (stat(paths[i], &st) == 0)
			return true;
	for (size_t i = 0; i < npaths; i++) {
		int err = stat(paths[i], &st) == 0 ? 0 : errno;
		if (err == ENOENT || err == ENOTDIR)
			safetext_line(stderr, "newsgrep-index: '%s' does not exist", paths[i]);
		else
			safetext_line(stderr, "newsgrep-index: cannot read '%s': %s", paths[i],
			              strerror(err));
	}
	return false;
}

typedef enum action { UPDATE, REBUILD, FORGET, COMPACT } action;

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

int main(int argc, char **argv)
{
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
	    {NULL, 0, NULL, 0},
	};
	/* clang-format on */
	closeout_at_exit("newsgrep-index");
	const char *db_path = NULL, *forget = NULL;
	int quiet = 0, status_only = 0, check = 0, rebuild = 0, compact = 0, follow = 0, c;
	action what = UPDATE;
	double wait = 0;
	unsigned long batch = 0, jobs = 0, memory = 0;
	char *end;
#define SHORT_OPTIONS "d:j:qhV" /* getopt's, which cliopt_check checks too */
	const cliopt co = {.prog = "newsgrep-index",
	                   .shorts = SHORT_OPTIONS,
	                   .longopts = longopts,
	                   .numeric = "j"};
	if (cliopt_check(&co, argc, argv))
		return EXIT_FATAL;
	opterr = 0;
	while ((c = getopt_long(argc, argv, SHORT_OPTIONS, longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_path = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'R':
			rebuild = 1;
			break;
		case 'F':
			forget = optarg;
			break;
		case 'C':
			compact = 1;
			break;
		case 'L':
			follow = 1;
			break;
		case 'S':
			status_only = 1;
			break;
		case 'K':
			check = 1;
			break;
		case 'W':
			wait = DEFAULT_WAIT;
			if (optarg) {
				errno = 0;
				wait = strtod(optarg, &end);
				if (errno || end == optarg || *end || !(wait >= 0) || wait > 1e7) {
					safetext_line(
					    stderr,
					    "newsgrep-index: --wait wants a number of seconds, "
					    "not '%s'",
					    optarg);
					return EXIT_FATAL;
				}
			}
			break;
		case 'B':
			if (!parse_count(optarg, ULONG_MAX, &batch)) {
				safetext_line(
				    stderr,
				    "newsgrep-index: --batch wants a positive number, not '%s'",
				    optarg);
				return EXIT_FATAL;
			}
			break;
		case 'M':
			if (!parse_count(optarg, 1ul << 20, &memory)) {
				safetext_line(
				    stderr,
				    "newsgrep-index: --memory wants a number of MiB from 1 to "
				    "1048576, not '%s'",
				    optarg);
				return EXIT_FATAL;
			}
			break;
		case 'j':
			if (!parse_count(optarg, 64, &jobs)) {
				safetext_line(
				    stderr,
				    "newsgrep-index: --jobs wants a number from 1 to 64, not "
				    "'%s'",
				    optarg);
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
	if (rebuild + !!forget + compact > 1) {
		fprintf(stderr, "newsgrep-index: --rebuild, --forget and --compact do not go "
		                "together\n");
		return EXIT_FATAL;
	}
	if ((status_only || check) && rebuild + !!forget + compact + (status_only && check)) {
		fprintf(stderr, "newsgrep-index: --%s does not go with --%s\n",
		        check ? "check" : "status",
		        rebuild   ? "rebuild"
		        : forget  ? "forget"
		        : compact ? "compact"
		                  : "status");
		return EXIT_FATAL;
	}
	what = rebuild ? REBUILD : forget ? FORGET : compact ? COMPACT : UPDATE;
	if ((what == FORGET || what == COMPACT || status_only || check) && optind < argc) {
		fprintf(stderr, "newsgrep-index: --%s takes no folders%s\n",
		        status_only       ? "status"
		        : check           ? "check"
		        : what == COMPACT ? "compact"
		                          : "forget",
		        what == FORGET ? " besides its own" : "");
		return EXIT_FATAL;
	}

	char *default_path = NULL;
	if (!db_path) {
		if (newsgrep_default_db_path(&default_path) != NEWSGREP_OK) {
			fprintf(stderr, "newsgrep-index: cannot tell where the index goes: "
			                "set HOME or NEWSGREP_DB, or use --db PATH\n");
			return EXIT_FATAL;
		}
		db_path = default_path;
	}
	if (status_only || check) {
		int rc = check ? check_index(db_path, quiet) : show_status(db_path);
		newsgrep_free(default_path);
		return rc;
	}

	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	ui u = {.bar = !quiet && isatty(STDERR_FILENO), .start = now_seconds()};
	newsgrep_open_options_t oo = {.lock_wait = wait};
	newsgrep_db_t *db;
	char *msg;
	newsgrep_status_t st;
	if (what == UPDATE && optind < argc &&
	    !some_path_found(argv + optind, (size_t)(argc - optind))) {
		newsgrep_free(default_path);
		return EXIT_FATAL;
	}
	/* Compacting an index that is not there must not make an empty one. */
	if (what == COMPACT &&
	    (st = newsgrep_db_open(&db, db_path, NEWSGREP_DB_READ, &msg)) != NEWSGREP_OK) {
		newsgrep_free(default_path);
		return fail_open(st, msg);
	}
	if (what == COMPACT)
		newsgrep_db_close(db);
	/* A rebuild of the index's own folders reads them before it makes a
	 * database beside the old one (which a message may then name). */
	char **roots = NULL;
	size_t nroots = 0;
	if (what == REBUILD && optind >= argc && old_roots(db_path, &roots, &nroots) != 0) {
		newsgrep_free(default_path);
		return EXIT_FATAL;
	}
	bound_file_size(db_path);
	st = newsgrep_db_open_ex(
	    &db, db_path, what == REBUILD ? NEWSGREP_DB_REBUILD : NEWSGREP_DB_WRITE, &oo, &msg);
	if (st != NEWSGREP_OK) {
		newsgrep_roots_free(roots, nroots);
		newsgrep_free(default_path);
		return fail_open(st, msg);
	}

	newsgrep_index_options_t opts;
	newsgrep_index_options_init(&opts);
	opts.on_problem = print_problem;
	opts.on_progress = on_progress;
	opts.ctx = &u;
	if (batch)
		opts.commit_docs = batch;
	opts.threads = (unsigned)jobs;
	opts.commit_mib = memory;
	opts.follow = follow;
	newsgrep_index_stats_t stats = {0};
	uint64_t bytes_before = 0, bytes_after = 0;
	if (what == REBUILD && optind < argc)
		warn_dropped(db_path, argv + optind, (size_t)(argc - optind));
	if (what == COMPACT)
		st = newsgrep_db_compact(db, &bytes_before, &bytes_after);
	else if (what == FORGET)
		st = newsgrep_index_forget(db, forget, &opts, &stats);
	else if (optind < argc)
		st = newsgrep_index_paths(db, (const char *const *)argv + optind,
		                          (size_t)(argc - optind), &opts, &stats);
	else if (what == REBUILD)
		st = newsgrep_index_paths(db, (const char *const *)roots, nroots, &opts, &stats);
	else
		st = newsgrep_index_update(db, &opts, &stats);
	if (st == NEWSGREP_OK && what == REBUILD)
		st = newsgrep_db_swap_in(db);
	clear_bar(&u);

	int status = stats.skipped ? EXIT_SOME_SKIPPED : EXIT_ALL_INDEXED;
	if (st == NEWSGREP_STOPPED) {
		fprintf(stderr, "newsgrep-index: stopped by a signal; %s\n",
		        what == REBUILD ? "the old index is left as it was"
		                        : "what was done is committed, a next run finishes it");
	} else if (st != NEWSGREP_OK) {
		safetext_line(stderr, "newsgrep-index: %s", newsgrep_db_errmsg(db));
		status = fatal_exit(st);
	}
	newsgrep_db_close(db);
	newsgrep_roots_free(roots, nroots);

	double secs = now_seconds() - u.start;
	/* A stopped rebuild kept nothing: no summary of what it had done. */
	if (!quiet && st == NEWSGREP_OK && what == COMPACT) {
		printf("newsgrep-index: compacted the index from %.1f MB to %.1f MB in %.2f s\n",
		       (double)bytes_before / 1e6, (double)bytes_after / 1e6, secs);
	} else if (!quiet && (st == NEWSGREP_OK || (st == NEWSGREP_STOPPED && what != REBUILD))) {
		printf("newsgrep-index: %llu added, %llu updated, %llu deleted, %llu unchanged, "
		       "%llu skipped",
		       (unsigned long long)stats.added, (unsigned long long)stats.updated,
		       (unsigned long long)stats.deleted, (unsigned long long)stats.unchanged,
		       (unsigned long long)stats.skipped);
		if (stats.warnings)
			printf(", %llu warning%s", (unsigned long long)stats.warnings,
			       plural(stats.warnings));
		printf(" in %.2f s\n", secs);
	}
	newsgrep_free(default_path);
	if (st == NEWSGREP_STOPPED && stop_signal) {
		/* Die of the signal, so that the caller knows (after the summary). */
		fflush(stdout);
		signal(stop_signal, SIG_DFL);
		raise(stop_signal);
	}
	return status;
}
