/*
 * test_date.c - unit tests for core/date.c.  Expected epoch values were
 * computed independently with `date -u -d ... +%s`.
 */
#include "ng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

/* ng_date_parse_iso8601 on a string literal (explicit length, so literals
 * with an embedded NUL work too). */
#define ISO_OK(lit, want) iso_ok(__LINE__, lit, sizeof(lit) - 1, want)
#define ISO_BAD(lit) iso_bad(__LINE__, lit, sizeof(lit) - 1)
#define BOUND_OK(lit, end, want) bound_ok(__LINE__, lit, sizeof(lit) - 1, end, want)
#define BOUND_BAD(lit) bound_bad(__LINE__, lit, sizeof(lit) - 1)

static void iso_ok(int line, const char *s, size_t len, int64_t want)
{
	char *copy = exact_copy(s, len);
	int64_t got = 12345;
	if (!ng_date_parse_iso8601(copy, len, &got)) {
		fprintf(stderr, "%s:%d: ng_date_parse_iso8601(\"%.*s\") failed, want %lld\n",
		        __FILE__, line, (int)len, s, (long long)want);
		failures++;
	} else if (got != want) {
		fprintf(stderr, "%s:%d: ng_date_parse_iso8601(\"%.*s\") = %lld, want %lld\n",
		        __FILE__, line, (int)len, s, (long long)got, (long long)want);
		failures++;
	}
	free(copy);
}

static void iso_bad(int line, const char *s, size_t len)
{
	char *copy = exact_copy(s, len);
	int64_t got = 12345;
	if (ng_date_parse_iso8601(copy, len, &got)) {
		fprintf(stderr,
		        "%s:%d: ng_date_parse_iso8601(\"%.*s\") accepted (%lld), want rejection\n",
		        __FILE__, line, (int)len, s, (long long)got);
		failures++;
	} else if (got != 12345) {
		fprintf(stderr, "%s:%d: ng_date_parse_iso8601(\"%.*s\") wrote *out on failure\n",
		        __FILE__, line, (int)len, s);
		failures++;
	}
	free(copy);
}

static void bound_ok(int line, const char *s, size_t len, bool end, int64_t want)
{
	char *copy = exact_copy(s, len);
	int64_t got = 12345;
	if (!ng_date_parse_bound(copy, len, end, &got)) {
		fprintf(stderr, "%s:%d: ng_date_parse_bound(\"%.*s\", %s) failed, want %lld\n",
		        __FILE__, line, (int)len, s, end ? "end" : "start", (long long)want);
		failures++;
	} else if (got != want) {
		fprintf(stderr, "%s:%d: ng_date_parse_bound(\"%.*s\", %s) = %lld, want %lld\n",
		        __FILE__, line, (int)len, s, end ? "end" : "start", (long long)got,
		        (long long)want);
		failures++;
	}
	free(copy);
}

static void bound_bad(int line, const char *s, size_t len)
{
	for (int end = 0; end <= 1; end++) {
		char *copy = exact_copy(s, len);
		int64_t got = 12345;
		if (ng_date_parse_bound(copy, len, end, &got)) {
			fprintf(stderr,
			        "%s:%d: ng_date_parse_bound(\"%.*s\", %s) accepted (%lld), want "
			        "rejection\n",
			        __FILE__, line, (int)len, s, end ? "end" : "start", (long long)got);
			failures++;
		}
		free(copy);
	}
}

static void test_iso_forms(void)
{
	ISO_OK("2023-12-19T23:59:00Z", 1703030340);
	ISO_OK("2023-12-19t23:59:00z", 1703030340);
	ISO_OK("2023-12-19 23:59:00Z", 1703030340);
	ISO_OK("2023-12-19T23:59:00", 1703030340); /* no zone: UTC */
	ISO_OK("2023-12-19 23:59:00", 1703030340);
	ISO_OK("2023-12-19T23:59Z", 1703030340); /* no seconds */
	ISO_OK("2023-12-19T23:59", 1703030340);
	ISO_OK("2023-12-19T23:59:59Z", 1703030399);
	ISO_OK("2023-12-19", 1702944000); /* midnight UTC */
	ISO_OK("2023-12-19T00:00:00Z", 1702944000);
	ISO_OK("1970-01-01", 0);
	ISO_OK("1970-01-01T00:00:00Z", 0);

	/* fractions of any length are dropped, never rounded */
	ISO_OK("2023-12-19T23:59:00.123Z", 1703030340);
	ISO_OK("2023-12-19T23:59:00.123456Z", 1703030340);
	ISO_OK("2023-12-19T23:59:00.999999999999999999999999999999Z", 1703030340);
	ISO_OK("2023-12-19T23:59:00.5", 1703030340);
	ISO_OK("2023-12-19T23:59:00.5+08:00", 1703001540);
	ISO_OK("2023-12-19T23:59:00.0", 1703030340);

	/* offsets: +HH:MM, +HHMM, +HH, and negative */
	ISO_OK("2023-12-19T23:59:00+08:00", 1703001540);
	ISO_OK("2023-12-19T23:59:00+0800", 1703001540);
	ISO_OK("2023-12-19T23:59:00+08", 1703001540);
	ISO_OK("2023-12-19T23:59+08:00", 1703001540);
	ISO_OK("2023-12-19 23:59:00+08:00", 1703001540);
	ISO_OK("2023-12-19T23:59:00-05:00", 1703048340);
	ISO_OK("2023-12-19T23:59:00-0500", 1703048340);
	ISO_OK("2023-12-19T23:59:00-05", 1703048340);
	ISO_OK("2023-12-20T02:30:00+05:30", 1703019600);
	ISO_OK("2023-12-20T02:30:00+0530", 1703019600);
	ISO_OK("2023-12-19T23:59:00+00:00", 1703030340);
	ISO_OK("2023-12-01T00:00:00-00:00", 1701388800);
	ISO_OK("2000-01-01T00:00:00+23:59", 946598460);

	/* offsets that move the instant to another UTC day */
	ISO_OK("2023-12-20T07:59:00+08:00", 1703030340); /* = 2023-12-19T23:59:00Z */
	ISO_OK("2023-12-18T16:00:00-08:00", 1702944000); /* = 2023-12-19T00:00:00Z */
	ISO_OK("2023-12-31T23:30:00-01:00", 1704069000); /* = 2024-01-01T00:30:00Z */
	ISO_OK("2024-01-01T00:30:00+01:00", 1704065400); /* = 2023-12-31T23:30:00Z */
	ISO_OK("2024-03-01T00:00:00+00:00", 1709251200);
	ISO_OK("2024-03-01T00:00:00+00:01", 1709251140); /* = 2024-02-29T23:59:00Z */

	/* leap second: clamped to :59 */
	ISO_OK("2016-12-31T23:59:60Z", 1483228799);
	ISO_OK("2016-12-31T23:59:60.5Z", 1483228799);

	/* surrounding ASCII whitespace */
	ISO_OK("  2023-12-19T23:59:00Z", 1703030340);
	ISO_OK("2023-12-19T23:59:00Z \t\r\n", 1703030340);
	ISO_OK("\t\n\v\f\r 2023-12-19 \n", 1702944000);

	/* the ends of the year range, before 1970 */
	ISO_OK("1969-12-31T23:59:59Z", -1);
	ISO_OK("1969-07-20T20:17:40Z", -14182940);
	ISO_OK("0000-01-01T00:00:00Z", -62167219200);
	ISO_OK("0000-01-01", -62167219200);
	ISO_OK("9999-12-31T23:59:59Z", 253402300799);
	ISO_OK("9999-12-31", 253402214400);
	ISO_OK("2100-03-01", 4107542400);
}

static void test_leap_years(void)
{
	ISO_OK("2024-02-29", 1709164800);
	ISO_OK("2024-02-29T23:59:59Z", 1709251199);
	ISO_OK("2000-02-29", 951782400);
	ISO_OK("1600-02-29", -11670998400);
	ISO_OK("0000-02-29", -62162121600); /* year 0 is divisible by 400 */
	ISO_OK("1900-02-28T23:59:59Z", -2203891201);
	ISO_BAD("2023-02-29");
	ISO_BAD("2023-02-29T12:00:00Z");
	ISO_BAD("1900-02-29");
	ISO_BAD("2100-02-29");
	ISO_BAD("2024-02-30");
	ISO_BAD("2023-04-31");
	ISO_BAD("2023-06-31");
	ISO_BAD("2023-09-31");
	ISO_BAD("2023-11-31");
	BOUND_BAD("2023-02-29");
	BOUND_BAD("1900-02-29");
	BOUND_OK("2024-02-29", true, 1709251199);
	BOUND_OK("2000-02-29", false, 951782400);
}

static void test_iso_invalid(void)
{
	ISO_BAD("");
	ISO_BAD("   ");
	ISO_BAD("2023");
	ISO_BAD("2023-12");
	ISO_BAD("2023-13");
	ISO_BAD("2023-13-01");
	ISO_BAD("2023-00-10");
	ISO_BAD("2023-12-00");
	ISO_BAD("2023-12-32");
	ISO_BAD("23-12-19");
	ISO_BAD("02023-12-19");
	ISO_BAD("2023-1-19");
	ISO_BAD("2023-12-9");
	ISO_BAD("2023/12/19");
	ISO_BAD("20231219");
	ISO_BAD("+2023-12-19");
	ISO_BAD("-2023-12-19");
	ISO_BAD("2023-12-19T");
	ISO_BAD("2023-12-19T23");
	ISO_BAD("2023-12-19T23Z");
	ISO_BAD("2023-12-19T2359Z");
	ISO_BAD("2023-12-19T23:5Z");
	ISO_BAD("2023-12-19T23:59:0Z");
	ISO_BAD("2023-12-19T23:59:");
	ISO_BAD("2023-12-19T25:00Z");
	ISO_BAD("2023-12-19T24:00Z");
	ISO_BAD("2023-12-19T24:00:00Z");
	ISO_BAD("2023-12-19T23:60Z");
	ISO_BAD("2023-12-19T23:59:61Z");
	ISO_BAD("2023-12-19Tfoo");
	ISO_BAD("2023-12-19Z");
	ISO_BAD("2023-12-19Z junk");
	ISO_BAD("2023-12-19 junk");
	ISO_BAD("2023-12-19T23:59:00Z junk");
	ISO_BAD("2023-12-19T23:59:00Zjunk");
	ISO_BAD("2023-12-19T23:59:00ZZ");
	ISO_BAD("2023-12-19T23:59:00 Z");
	ISO_BAD("2023-12-19  23:59:00Z");
	ISO_BAD("2023-12-19x23:59:00Z");
	ISO_BAD("2023-12-19T23:59:00.Z");
	ISO_BAD("2023-12-19T23:59:00.");
	ISO_BAD("2023-12-19T23:59.5Z");
	ISO_BAD("2023-12-19T23:59:00,5Z");
	ISO_BAD("2023-12-19T23:59:00+");
	ISO_BAD("2023-12-19T23:59:00+8");
	ISO_BAD("2023-12-19T23:59:00+080");
	ISO_BAD("2023-12-19T23:59:00+08:");
	ISO_BAD("2023-12-19T23:59:00+08:0");
	ISO_BAD("2023-12-19T23:59:00+08:000");
	ISO_BAD("2023-12-19T23:59:00+08000");
	ISO_BAD("2023-12-19T23:59:00+24:00");
	ISO_BAD("2023-12-19T23:59:00+08:60");
	ISO_BAD("2023-12-19T23:59:00+0860");
	ISO_BAD("2023-12-19T23:59:00Z+08:00");
	ISO_BAD("2023-12-19T23:59:00 +08:00");
	ISO_BAD("\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x93-12-19"); /* fullwidth digits */
	ISO_BAD("2023-12-19\xc2\xa0"); /* NBSP is not ASCII whitespace */

	/* an embedded NUL is not whitespace and does not end the text */
	ISO_BAD("2023-12-19\0");
	ISO_BAD("2023-12-19\0T23:59:00Z");
	ISO_BAD("2023-12-19T23:59:00Z\0");
	ISO_BAD("\0"
	        "2023-12-19");

	/* NULL arguments */
	int64_t t = 0;
	CHECK(!ng_date_parse_iso8601(NULL, 0, &t));
	CHECK(!ng_date_parse_iso8601("2023-12-19", 10, NULL));
	CHECK(!ng_date_parse_bound(NULL, 0, false, &t));
	CHECK(!ng_date_parse_bound("2023", 4, false, NULL));
}

/* The length given, not a NUL, ends the text; nothing past it is read
 * (the heap copies in iso_ok/bound_ok are exactly that long). */
static void test_explicit_length(void)
{
	int64_t t = 0;
	const char *buf = "2023-12-19T23:59:00Zjunk";
	CHECK(ng_date_parse_iso8601(buf, 20, &t) && t == 1703030340);
	CHECK(ng_date_parse_iso8601(buf, 16, &t) && t == 1703030340); /* "...T23:59" */
	CHECK(ng_date_parse_iso8601(buf, 10, &t) && t == 1702944000); /* the date */
	CHECK(!ng_date_parse_iso8601(buf, 21, &t));
	CHECK(!ng_date_parse_iso8601(buf, 9, &t));
	CHECK(!ng_date_parse_iso8601(buf, 0, &t));
	CHECK(ng_date_parse_bound(buf, 4, true, &t) && t == 1704067199);  /* "2023" */
	CHECK(ng_date_parse_bound(buf, 7, false, &t) && t == 1701388800); /* "2023-12" */
	CHECK(ng_date_parse_bound(buf, 20, false, &t) && t == 1703030340);

	const char *off = "2023-12-19T23:59:00+08:00";
	CHECK(ng_date_parse_iso8601(off, 25, &t) && t == 1703001540);
	CHECK(ng_date_parse_iso8601(off, 22, &t) && t == 1703001540); /* "+08" */
	CHECK(!ng_date_parse_iso8601(off, 23, &t));                   /* "+08:" */
	CHECK(!ng_date_parse_iso8601(off, 24, &t));                   /* "+08:0" */

	/* Buffers with no NUL at all, ending in each kind of field. */
	ISO_OK("2023-12-19T23:59:00.123456", 1703030340);
	ISO_OK("2023-12-19T23:59:00+08", 1703001540);
	ISO_OK("2023-12-19T23:59:00-0500", 1703048340);
	ISO_OK("2023-12-19   ", 1702944000);
	ISO_BAD("2023-12-19T23:59:00+0");
	ISO_BAD("2023-12-1");
	BOUND_OK("2023", false, 1672531200);
	BOUND_BAD("202");
}

static void test_bounds(void)
{
	/* YYYY */
	BOUND_OK("2023", false, 1672531200); /* 2023-01-01T00:00:00Z */
	BOUND_OK("2023", true, 1704067199);  /* 2023-12-31T23:59:59Z */
	BOUND_OK("2024", false, 1704067200);
	BOUND_OK("2024", true, 1735689599);
	BOUND_OK("1969", true, -1);
	BOUND_OK("1970", false, 0);
	BOUND_OK("0000", false, -62167219200);
	BOUND_OK("9999", true, 253402300799);
	BOUND_OK(" 2023\n", true, 1704067199);

	/* YYYY-MM */
	BOUND_OK("2023-02", false, 1675209600); /* 2023-02-01T00:00:00Z */
	BOUND_OK("2023-02", true, 1677628799);  /* 2023-02-28T23:59:59Z */
	BOUND_OK("2024-02", false, 1706745600); /* 2024-02-01T00:00:00Z */
	BOUND_OK("2024-02", true, 1709251199);  /* 2024-02-29T23:59:59Z */
	BOUND_OK("1900-02", true, -2203891201); /* 1900-02-28T23:59:59Z */
	BOUND_OK("2023-12", false, 1701388800); /* 2023-12-01T00:00:00Z */
	BOUND_OK("2023-12", true, 1704067199);  /* 2023-12-31T23:59:59Z */
	BOUND_OK("2024-01", false, 1704067200);
	BOUND_OK("9999-12", true, 253402300799);

	/* YYYY-MM-DD */
	BOUND_OK("2023-12-19", false, 1702944000);
	BOUND_OK("2023-12-19", true, 1703030399);
	BOUND_OK("1969-12-31", true, -1);
	BOUND_OK("2023-12-31", true, 1704067199);

	/* a full date-time: `end` does not matter */
	BOUND_OK("2023-12-19T23:59:00Z", false, 1703030340);
	BOUND_OK("2023-12-19T23:59:00Z", true, 1703030340);
	BOUND_OK("2023-12-19T23:59:00+08:00", true, 1703001540);
	BOUND_OK("2023-12-19 23:59", false, 1703030340);

	BOUND_BAD("");
	BOUND_BAD("   ");
	BOUND_BAD("\0");
	BOUND_BAD("2023-13");
	BOUND_BAD("2023-00");
	BOUND_BAD("2023-00-10");
	BOUND_BAD("2023-12-32");
	BOUND_BAD("2023-12-00");
	BOUND_BAD("23-12-19");
	BOUND_BAD("23");
	BOUND_BAD("202");
	BOUND_BAD("20234");
	BOUND_BAD("2023-1");
	BOUND_BAD("2023-123");
	BOUND_BAD("2023-12-1");
	BOUND_BAD("2023/12/19");
	BOUND_BAD("2023/12");
	BOUND_BAD("20231219");
	BOUND_BAD("202312");
	BOUND_BAD("2023-12-19T25:00Z");
	BOUND_BAD("2023-12-19Tfoo");
	BOUND_BAD("2023-12-19Z junk");
	BOUND_BAD("2023Z");
	BOUND_BAD("2023-12Z");
	BOUND_BAD("-2023");
	BOUND_BAD("+2023");
	BOUND_BAD("2023\0");
	BOUND_BAD("abcd");
	BOUND_BAD("abcd-ef");
	BOUND_BAD("abcd-ef-gh");
}

/* Formats t both ways and checks the text. */
static void format_is(int line, int64_t t, const char *iso, const char *day)
{
	char buf[32];
	memset(buf, 'x', sizeof buf);
	ng_date_format_iso8601(t, buf, sizeof buf);
	if (strcmp(buf, iso) != 0) {
		fprintf(stderr, "%s:%d: ng_date_format_iso8601(%lld) = \"%s\", want \"%s\"\n",
		        __FILE__, line, (long long)t, buf, iso);
		failures++;
	}
	memset(buf, 'x', sizeof buf);
	ng_date_format_day(t, buf, sizeof buf);
	if (strcmp(buf, day) != 0) {
		fprintf(stderr, "%s:%d: ng_date_format_day(%lld) = \"%s\", want \"%s\"\n", __FILE__,
		        line, (long long)t, buf, day);
		failures++;
	}
}
#define FORMAT_IS(t, iso, day) format_is(__LINE__, t, iso, day)

static void test_format(void)
{
	FORMAT_IS(0, "1970-01-01T00:00:00Z", "1970-01-01");
	FORMAT_IS(-1, "1969-12-31T23:59:59Z", "1969-12-31");
	FORMAT_IS(-86400, "1969-12-31T00:00:00Z", "1969-12-31");
	FORMAT_IS(-86401, "1969-12-30T23:59:59Z", "1969-12-30");
	FORMAT_IS(-14182940, "1969-07-20T20:17:40Z", "1969-07-20");
	FORMAT_IS(1703030340, "2023-12-19T23:59:00Z", "2023-12-19");
	FORMAT_IS(1709164800, "2024-02-29T00:00:00Z", "2024-02-29");
	FORMAT_IS(951782400, "2000-02-29T00:00:00Z", "2000-02-29");
	FORMAT_IS(-2203891201, "1900-02-28T23:59:59Z", "1900-02-28");
	FORMAT_IS(-62167219200, "0000-01-01T00:00:00Z", "0000-01-01");
	FORMAT_IS(-62162121600, "0000-02-29T00:00:00Z", "0000-02-29");
	FORMAT_IS(253402300799, "9999-12-31T23:59:59Z", "9999-12-31");
	FORMAT_IS(253402214400, "9999-12-31T00:00:00Z", "9999-12-31");
	/* outside years 0000-9999: clamped, keeping the fixed shape */
	FORMAT_IS(-62167219201, "0000-01-01T00:00:00Z", "0000-01-01");
	FORMAT_IS(253402300800, "9999-12-31T23:59:59Z", "9999-12-31");
	FORMAT_IS(INT64_MIN, "0000-01-01T00:00:00Z", "0000-01-01");
	FORMAT_IS(INT64_MAX, "9999-12-31T23:59:59Z", "9999-12-31");

	/* capacity: always NUL-terminated within cap, nothing written for 0 */
	char buf[32];
	memset(buf, 'x', sizeof buf);
	ng_date_format_iso8601(1703030340, buf, 0);
	CHECK(buf[0] == 'x');
	ng_date_format_day(1703030340, buf, 0);
	CHECK(buf[0] == 'x');
	ng_date_format_iso8601(1703030340, NULL, 0);
	ng_date_format_iso8601(1703030340, buf, 1);
	CHECK(buf[0] == '\0' && buf[1] == 'x');
	memset(buf, 'x', sizeof buf);
	ng_date_format_iso8601(1703030340, buf, 5);
	CHECK(strcmp(buf, "2023") == 0 && buf[5] == 'x');
	memset(buf, 'x', sizeof buf);
	ng_date_format_iso8601(1703030340, buf, 20);
	CHECK(strcmp(buf, "2023-12-19T23:59:00") == 0 && buf[20] == 'x');
	memset(buf, 'x', sizeof buf);
	ng_date_format_iso8601(1703030340, buf, 21);
	CHECK(strcmp(buf, "2023-12-19T23:59:00Z") == 0 && buf[21] == 'x');
	memset(buf, 'x', sizeof buf);
	ng_date_format_day(1703030340, buf, 10);
	CHECK(strcmp(buf, "2023-12-1") == 0 && buf[10] == 'x');
	memset(buf, 'x', sizeof buf);
	ng_date_format_day(1703030340, buf, 11);
	CHECK(strcmp(buf, "2023-12-19") == 0 && buf[11] == 'x');
}

/* Format then parse gives t back, and the text agrees with gmtime_r, over
 * the whole range 0000-9999 in steps that hit every time of day. */
static void test_round_trip(void)
{
	const int64_t lo = -62167219200, hi = 253402300799;
	const int64_t step = 86400 * 37 + 3607; /* co-prime-ish with days/hours */
	int bad = 0;
	for (int64_t t = lo; t <= hi && bad < 10; t += step) {
		char iso[21], day[11];
		ng_date_format_iso8601(t, iso, sizeof iso);
		ng_date_format_day(t, day, sizeof day);
		int64_t back = 0, back_day = 0;
		bool ok = ng_date_parse_iso8601(iso, strlen(iso), &back) && back == t &&
		          ng_date_parse_iso8601(day, strlen(day), &back_day) && back_day <= t &&
		          t - back_day < 86400 && strncmp(iso, day, 10) == 0;

		if (ok && sizeof(time_t) >= 8) {
			time_t tt = (time_t)t;
			struct tm tm;
			char want[64];
			if (gmtime_r(&tt, &tm) != NULL) {
				snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02dZ",
				         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
				         tm.tm_min, tm.tm_sec);
				ok = strcmp(want, iso) == 0;
			}
		}
		if (!ok) {
			fprintf(stderr, "%s:%d: round trip of %lld failed: \"%s\" -> %lld\n",
			        __FILE__, __LINE__, (long long)t, iso, (long long)back);
			failures++;
			bad++;
		}
	}
	/* and the exact ends */
	char iso[21];
	int64_t back = 0;
	ng_date_format_iso8601(hi, iso, sizeof iso);
	CHECK(ng_date_parse_iso8601(iso, strlen(iso), &back) && back == hi);
	ng_date_format_iso8601(lo, iso, sizeof iso);
	CHECK(ng_date_parse_iso8601(iso, strlen(iso), &back) && back == lo);
	ng_date_format_iso8601(-1, iso, sizeof iso);
	CHECK(ng_date_parse_iso8601(iso, strlen(iso), &back) && back == -1);
}

static void test_relative(void)
{
	const int64_t now = 1710504000; /* 2024-03-15T12:00:00Z */
	int64_t t;
#define REL(text, end, want)                                                                       \
	do {                                                                                       \
		t = 0;                                                                             \
		CHECK(ng_date_parse_relative(text, strlen(text), end, now, &t) && t == (want));    \
	} while (0)
	REL("7d", false, now - 7 * 86400);
	REL("7d", true, now - 7 * 86400);
	REL("2w", false, now - 14 * 86400);
	REL("36h", false, now - 36 * 3600);
	REL("0d", false, now);
	REL("now", false, now);
	REL("3m", false, 1702641600);        /* 2023-12-15T12:00:00Z */
	REL("1y", false, 1678881600);        /* 2023-03-15T12:00:00Z */
	REL("today", false, 1710460800);     /* 2024-03-15T00:00:00Z */
	REL("today", true, 1710547199);      /* 2024-03-15T23:59:59Z */
	REL("yesterday", false, 1710374400); /* 2024-03-14T00:00:00Z */
	REL("yesterday", true, 1710460799);
	REL(" 7d ", false, now - 7 * 86400);
	/* Month arithmetic clamps the day: one month before March 31 is
	 * February 29 in a leap year. */
	t = 0;
	CHECK(ng_date_parse_relative("1m", 2, false, 1711886400 /* 2024-03-31T12:00Z */, &t) &&
	      t == 1709208000 /* 2024-02-29T12:00Z */);
	static const char *bad[] = {"",         "d",     "7",   "7x",         "-7d", "7.5d",
	                            "1234567d", "Today", "7 d", "yesterdays", "7dd"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *copy = exact_copy(bad[i], strlen(bad[i]));
		if (ng_date_parse_relative(copy, strlen(bad[i]), false, now, &t)) {
			fprintf(stderr, "%s:%d: '%s' accepted\n", __FILE__, __LINE__, bad[i]);
			failures++;
		}
		free(copy);
	}
	/* ng_date_parse_user takes both kinds. */
	CHECK(ng_date_parse_user("2023-12", 7, true, now, &t) && t == 1704067199);
	CHECK(ng_date_parse_user("2w", 2, true, now, &t) && t == now - 14 * 86400);
#undef REL
}

static void test_public_api(void)
{
	int64_t t = 777;
	CHECK(newsgrep_date_parse(NULL, "2023", NEWSGREP_DATE_START) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_date_parse(&t, NULL, NEWSGREP_DATE_START) == NEWSGREP_INVALID_ARG);
	CHECK(t == 777);
	CHECK(newsgrep_date_parse(&t, "2023", (newsgrep_date_bound_t)2) == NEWSGREP_INVALID_ARG);
	CHECK(t == 777);

	CHECK(newsgrep_date_parse(&t, "", NEWSGREP_DATE_START) == NEWSGREP_BAD_DATE);
	CHECK(newsgrep_date_parse(&t, "2023-13", NEWSGREP_DATE_END) == NEWSGREP_BAD_DATE);
	CHECK(newsgrep_date_parse(&t, "tomorrow", NEWSGREP_DATE_START) == NEWSGREP_BAD_DATE);
	CHECK(t == 777);
	/* Relative dates count back from the clock. */
	int64_t before = (int64_t)time(NULL);
	CHECK(newsgrep_date_parse(&t, "7d", NEWSGREP_DATE_START) == NEWSGREP_OK);
	int64_t after = (int64_t)time(NULL);
	CHECK(t >= before - 7 * 86400 && t <= after - 7 * 86400);

	CHECK(newsgrep_date_parse(&t, "2023-12", NEWSGREP_DATE_START) == NEWSGREP_OK);
	CHECK(t == 1701388800);
	CHECK(newsgrep_date_parse(&t, "2023-12", NEWSGREP_DATE_END) == NEWSGREP_OK);
	CHECK(t == 1704067199);
	CHECK(newsgrep_date_parse(&t, "2024-02", NEWSGREP_DATE_END) == NEWSGREP_OK);
	CHECK(t == 1709251199);
	CHECK(newsgrep_date_parse(&t, "2023", NEWSGREP_DATE_START) == NEWSGREP_OK);
	CHECK(t == 1672531200);
	CHECK(newsgrep_date_parse(&t, "2023-12-19", NEWSGREP_DATE_END) == NEWSGREP_OK);
	CHECK(t == 1703030399);
	CHECK(newsgrep_date_parse(&t, "2023-12-19T23:59:00-05:00", NEWSGREP_DATE_END) ==
	      NEWSGREP_OK);
	CHECK(t == 1703048340);
}

int main(void)
{
	test_iso_forms();
	test_leap_years();
	test_iso_invalid();
	test_explicit_length();
	test_bounds();
	test_format();
	test_round_trip();
	test_relative();
	test_public_api();
	if (failures != 0) {
		fprintf(stderr, "test_date: %d failure(s)\n", failures);
		return 1;
	}
	printf("test_date: all passed\n");
	return 0;
}
