/*
 * The modes that only read the index: --status and --check.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "indexer.h"
#include "safetext.h"

/* --status: the index's folders, size, revision and format (and shard) on
 * stdout. */
int mode_status(const struct index_args *a)
{
	const char *db_path = a->db_path;
	newsgrep_db_t *db;
	int rc = open_for_reading(&db, db_path);
	if (rc)
		return rc;
	newsgrep_status_t st;
	uint64_t count = 0, rev = 0;
	uint32_t format = 0;
	uint64_t shard_index = 0, shard_count = 0;
	char **roots = NULL;
	size_t nroots = 0;
	if ((st = newsgrep_db_count(db, &count)) != NEWSGREP_OK ||
	    (st = newsgrep_db_shard(db, &shard_index, &shard_count)) != NEWSGREP_OK ||
	    (st = newsgrep_db_revision(db, &rev)) != NEWSGREP_OK ||
	    (st = newsgrep_db_format(db, &format)) != NEWSGREP_OK ||
	    (st = newsgrep_db_roots(db, &roots, &nroots)) != NEWSGREP_OK)
		return fail_db(db);
	/* For people, as the messages: the folders' names made safe. */
	fputs("index: ", stdout);
	safetext_puts(stdout, db_path, 0);
	printf("\narticles: %llu\n", (unsigned long long)count);
	if (shard_count > 1)
		printf("shard: %" PRIu64 "/%" PRIu64 " (the articles whose URL hashes to %" PRIu64
		       " of %" PRIu64 ")\n",
		       shard_index, shard_count, shard_index, shard_count);
	printf("revision: %llu\n", (unsigned long long)rev);
	/* An older format is read and updated as it is: say what makes it
	 * the current one. */
	const char *current = newsgrep_component_version(NEWSGREP_COMPONENT_INDEX_FORMAT);
	if (format == strtoul(current, NULL, 10))
		printf("format: %" PRIu32 "\n", format);
	else
		printf("format: %" PRIu32 " (newsgrep-index --rebuild makes it format %s)\n",
		       format, current);
	printf("size: %.1f MB\nfolders:\n", (double)folder_size(db_path) / 1e6);
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
	if (st != NEWSGREP_OK)
		return fail_db(db);
	newsgrep_db_close(db);
	return EXIT_ALL_INDEXED;
}

static void print_check_problem(void *ctx, const char *problem)
{
	(void)ctx;
	safetext_line(stderr, "newsgrep-index: %s", problem);
}

/* --check: each problem on stderr, exit 2 if any; nothing is changed. */
static int check_in_process(const char *db_path, bool quiet)
{
	newsgrep_db_t *db;
	int rc = open_for_reading(&db, db_path);
	if (rc)
		return rc;
	newsgrep_check_stats_t stats = NEWSGREP_CHECK_STATS_INIT;
	if (newsgrep_db_check(db, print_check_problem, NULL, &stats) != NEWSGREP_OK)
		return fail_db(db);
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
int mode_check(const struct index_args *a)
{
	const char *db_path = a->db_path;
	bool quiet = a->quiet;
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
