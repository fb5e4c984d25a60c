/*
 * search.c - the smallest useful embedding of libnewsgrep: prints the date,
 * title and path of the best matches of a query.
 *
 *   cc search.c $(pkg-config --cflags --libs newsgrep) -o search
 *   ./search INDEX 'sanctions GPU'
 */
#include <stdio.h>
#include <time.h>

#include <newsgrep.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s INDEX QUERY\n", argv[0]);
		return 2;
	}
	newsgrep_db_t *db;
	char *msg;
	if (newsgrep_db_open(&db, argv[1], NEWSGREP_DB_READ, NULL, &msg) != NEWSGREP_OK) {
		fprintf(stderr, "search: %s\n", msg);
		newsgrep_free(msg);
		return 2;
	}
	newsgrep_hits_t *hits;
	if (newsgrep_search(&hits, db, argv[2], NULL) != NEWSGREP_OK) {
		fprintf(stderr, "search: %s\n", newsgrep_db_errmsg(db));
		newsgrep_db_close(db);
		return 2;
	}
	const newsgrep_hit_t *hit;
	while (newsgrep_hits_next(hits, &hit) == NEWSGREP_OK) {
		char day[16] = "(no date)";
		time_t t = (time_t)hit->date;
		if (hit->has_date)
			strftime(day, sizeof(day), "%Y-%m-%d", gmtime(&t));
		printf("%s  %s\n    %s\n", day, hit->title, hit->path);
	}
	newsgrep_hits_free(hits);
	newsgrep_db_close(db);
	return 0;
}
