/*
 * date.c - ISO 8601 dates and date-times, to and from seconds since the
 * epoch (UTC).  Calendar arithmetic is done here rather than with timegm or
 * the locale, so that results are the same everywhere for years 0000-9999.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ng.h"

#define SECS_PER_DAY 86400
#define DAYS_PER_ERA 146097 /* days in 400 Gregorian years */
#define EPOCH_SHIFT 719468  /* days from 0000-03-01 to 1970-01-01 */

/* ---- calendar ---- */

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/*
 * Days since 1970-01-01 of the proleptic Gregorian date y-m-d (after
 * Howard Hinnant's days_from_civil).  Years are counted from March, so the
 * leap day falls at the end of a year and month lengths follow a fixed
 * 5-month pattern that (153 * month + 2) / 5 captures.
 */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	if (m <= 2)
		y -= 1;
	int64_t era = floor_div(y, 400);
	int64_t year_of_era = y - era * 400;          /* 0..399 */
	int month_from_march = m > 2 ? m - 3 : m + 9; /* 0..11 */
	int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1;
	int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT;
}

/* The inverse of days_from_civil. */
static void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + EPOCH_SHIFT;
	int64_t era = floor_div(z, DAYS_PER_ERA);
	int64_t day_of_era = z - era * DAYS_PER_ERA; /* 0..146096 */
	/* Undo the leap days of a 4, 100 and 400 year cycle to find the year. */
	int64_t year_of_era =
	    (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
	int64_t day_of_year =
	    day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	int64_t month_from_march = (5 * day_of_year + 2) / 153; /* 0..11 */
	*d = (int)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
	*m = (int)(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
	*y = year_of_era + era * 400 + (*m <= 2);
}

int64_t ng_date_day_number(int64_t y, int m, int d)
{
	return days_from_civil(y, m, d);
}

void ng_date_civil(int64_t day, int64_t *y, int *m, int *d)
{
	civil_from_days(day, y, m, d);
}

int ng_date_days_in_month(int64_t y, int m)
{
	return days_in_month(y, m);
}

bool ng_date_day_key(int64_t t, char out[9])
{
	int64_t y;
	int m, d;
	civil_from_days(floor_div(t, SECS_PER_DAY), &y, &m, &d);
	if (y < 0 || y > 9999)
		return false;
	snprintf(out, 9, "%04d%02d%02d", (int)y, m, d);
	return true;
}

/* ---- parsing ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Narrows s[0..*len) to its text without surrounding whitespace. */
static const char *trim(const char *s, size_t *len)
{
	size_t n = *len;
	while (n > 0 && is_space(s[n - 1]))
		n--;
	while (n > 0 && is_space(*s)) {
		s++;
		n--;
	}
	*len = n;
	return s;
}

/* A cursor over s[0..len). */
typedef struct scan {
	const char *s;
	size_t len, pos;
} scan;

static bool at_end(const scan *sc)
{
	return sc->pos >= sc->len;
}

static bool peek_is(const scan *sc, char c)
{
	return !at_end(sc) && sc->s[sc->pos] == c;
}

static bool accept(scan *sc, char c)
{
	if (!peek_is(sc, c))
		return false;
	sc->pos++;
	return true;
}

/* Reads exactly `count` (at most 4) digits; no overflow is possible. */
static bool read_digits(scan *sc, int count, int *out)
{
	if (sc->len - sc->pos < (size_t)count)
		return false;
	int v = 0;
	for (int i = 0; i < count; i++) {
		char c = sc->s[sc->pos + (size_t)i];
		if (!is_digit(c))
			return false;
		v = v * 10 + (c - '0');
	}
	sc->pos += (size_t)count;
	*out = v;
	return true;
}

/* YYYY-MM-DD, validated. */
static bool read_date(scan *sc, int *y, int *m, int *d)
{
	if (!read_digits(sc, 4, y) || !accept(sc, '-') || !read_digits(sc, 2, m) ||
	    !accept(sc, '-') || !read_digits(sc, 2, d))
		return false;
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in_month(*y, *m);
}

/* HH:MM[:SS[.fraction]], validated; the fraction is dropped. */
static bool read_time(scan *sc, int *hh, int *mm, int *ss)
{
	if (!read_digits(sc, 2, hh) || !accept(sc, ':') || !read_digits(sc, 2, mm))
		return false;
	*ss = 0;
	if (accept(sc, ':')) {
		if (!read_digits(sc, 2, ss))
			return false;
		if (accept(sc, '.')) {
			size_t start = sc->pos;
			while (!at_end(sc) && is_digit(sc->s[sc->pos]))
				sc->pos++;
			if (sc->pos == start)
				return false;
		}
	}
	if (*hh > 23 || *mm > 59 || *ss > 60)
		return false;
	if (*ss == 60) /* a leap second; the epoch count has no room for it */
		*ss = 59;
	return true;
}

/* Z, or +HH:MM, +HHMM, +HH (or -); *offset is seconds east of UTC. */
static bool read_zone(scan *sc, int *offset)
{
	*offset = 0;
	if (accept(sc, 'Z') || accept(sc, 'z'))
		return true;
	int sign;
	if (accept(sc, '+'))
		sign = 1;
	else if (accept(sc, '-'))
		sign = -1;
	else
		return false;
	int oh, om = 0;
	if (!read_digits(sc, 2, &oh))
		return false;
	if (accept(sc, ':')) {
		if (!read_digits(sc, 2, &om))
			return false;
	} else if (!at_end(sc) && !read_digits(sc, 2, &om)) {
		return false;
	}
	if (oh > 23 || om > 59)
		return false;
	*offset = sign * (oh * 3600 + om * 60);
	return true;
}

bool ng_date_parse_iso8601(const char *s, size_t len, int64_t *out)
{
	if (s == NULL || out == NULL)
		return false;
	scan sc = {0};
	sc.s = trim(s, &len);
	sc.len = len;

	int y, m, d;
	if (!read_date(&sc, &y, &m, &d))
		return false;
	int hh = 0, mm = 0, ss = 0, offset = 0;
	if (!at_end(&sc)) {
		if (!accept(&sc, 'T') && !accept(&sc, 't') && !accept(&sc, ' '))
			return false;
		if (!read_time(&sc, &hh, &mm, &ss))
			return false;
		if (!at_end(&sc) && !read_zone(&sc, &offset))
			return false;
		if (!at_end(&sc))
			return false;
	}
	*out = days_from_civil(y, m, d) * SECS_PER_DAY + hh * 3600 + mm * 60 + ss - offset;
	return true;
}

bool ng_date_parse_bound(const char *s, size_t len, bool end, int64_t *out)
{
	if (s == NULL || out == NULL)
		return false;
	const char *t = trim(s, &len);
	if (len == 0)
		return false;

	scan sc = {t, len, 0};
	int y, m = 1, d = 1;
	int64_t day;
	if (len == 4) {
		if (!read_digits(&sc, 4, &y))
			return false;
		day = end ? days_from_civil(y, 12, 31) : days_from_civil(y, 1, 1);
	} else if (len == 7) {
		if (!read_digits(&sc, 4, &y) || !accept(&sc, '-') || !read_digits(&sc, 2, &m) ||
		    m < 1 || m > 12)
			return false;
		day = days_from_civil(y, m, end ? days_in_month(y, m) : 1);
	} else if (len == 10) {
		if (!read_date(&sc, &y, &m, &d))
			return false;
		day = days_from_civil(y, m, d);
	} else {
		return ng_date_parse_iso8601(t, len, out);
	}
	*out = day * SECS_PER_DAY + (end ? SECS_PER_DAY - 1 : 0);
	return true;
}

/* ---- relative dates ---- */

/* t moved back by `months` calendar months, the day clamped to the
 * shorter month (three months before May 31 is February 28 or 29). */
static int64_t months_back(int64_t t, int64_t months)
{
	int64_t days = floor_div(t, SECS_PER_DAY);
	int64_t secs = t - days * SECS_PER_DAY;
	int64_t y;
	int m, d;
	civil_from_days(days, &y, &m, &d);
	int64_t index = y * 12 + (m - 1) - months;
	y = floor_div(index, 12);
	m = (int)(index - y * 12) + 1;
	if (d > days_in_month(y, m))
		d = days_in_month(y, m);
	return days_from_civil(y, m, d) * SECS_PER_DAY + secs;
}

bool ng_date_parse_relative(const char *s, size_t len, bool end, int64_t now, int64_t *out)
{
	if (s == NULL || out == NULL)
		return false;
	const char *t = trim(s, &len);
	int64_t today = floor_div(now, SECS_PER_DAY) * SECS_PER_DAY;
	if ((len == 5 && strncmp(t, "today", 5) == 0) ||
	    (len == 9 && strncmp(t, "yesterday", 9) == 0)) {
		int64_t day = len == 5 ? today : today - SECS_PER_DAY;
		*out = end ? day + SECS_PER_DAY - 1 : day;
		return true;
	}
	if (len == 3 && strncmp(t, "now", 3) == 0) {
		*out = now;
		return true;
	}
	/* N followed by one unit letter; N up to 6 digits keeps it in range. */
	if (len < 2 || len > 7)
		return false;
	int64_t n = 0;
	for (size_t i = 0; i + 1 < len; i++) {
		if (!is_digit(t[i]))
			return false;
		n = n * 10 + (t[i] - '0');
	}
	switch (t[len - 1]) {
	case 'h':
		*out = now - n * 3600;
		return true;
	case 'd':
		*out = now - n * SECS_PER_DAY;
		return true;
	case 'w':
		*out = now - n * 7 * SECS_PER_DAY;
		return true;
	case 'm':
		*out = months_back(now, n);
		return true;
	case 'y':
		*out = months_back(now, n * 12);
		return true;
	default:
		return false;
	}
}

bool ng_date_parse_user(const char *s, size_t len, bool end, int64_t now, int64_t *out)
{
	return ng_date_parse_bound(s, len, end, out) ||
	       ng_date_parse_relative(s, len, end, now, out);
}

/* ---- formatting ---- */

/* Writes v as exactly `width` digits (v is known to fit). */
static char *put_digits(char *p, int64_t v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

static void copy_out(const char *src, size_t n, char *buf, size_t cap)
{
	if (cap == 0)
		return;
	if (n > cap - 1)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = src[i];
	buf[n] = '\0';
}

/* Writes "YYYY-MM-DDTHH:MM:SSZ" into tmp (21 bytes); returns the length,
 * 10 when only the day is wanted.  Times outside years 0000-9999 are
 * clamped to that range so that the text keeps its fixed shape. */
static size_t format(int64_t t, bool with_time, char tmp[21])
{
	static const int64_t min_t = -62167219200; /* 0000-01-01T00:00:00Z */
	static const int64_t max_t = 253402300799; /* 9999-12-31T23:59:59Z */
	if (t < min_t)
		t = min_t;
	if (t > max_t)
		t = max_t;
	int64_t days = floor_div(t, SECS_PER_DAY);
	int64_t secs = t - days * SECS_PER_DAY;
	int64_t y;
	int m, d;
	civil_from_days(days, &y, &m, &d);

	char *p = put_digits(tmp, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	if (with_time) {
		*p++ = 'T';
		p = put_digits(p, secs / 3600, 2);
		*p++ = ':';
		p = put_digits(p, secs / 60 % 60, 2);
		*p++ = ':';
		p = put_digits(p, secs % 60, 2);
		*p++ = 'Z';
	}
	*p = '\0';
	return (size_t)(p - tmp);
}

void ng_date_format_iso8601(int64_t t, char *buf, size_t cap)
{
	char tmp[21];
	copy_out(tmp, format(t, true, tmp), buf, cap);
}

void ng_date_format_day(int64_t t, char *buf, size_t cap)
{
	char tmp[21];
	copy_out(tmp, format(t, false, tmp), buf, cap);
}

/* ---- public API ---- */

newsgrep_status_t newsgrep_date_parse(int64_t *out, const char *text, newsgrep_date_bound_t bound)
{
	if (out == NULL || text == NULL)
		return NEWSGREP_INVALID_ARG;
	if (bound != NEWSGREP_DATE_START && bound != NEWSGREP_DATE_END)
		return NEWSGREP_INVALID_ARG;
	int64_t t;
	if (!ng_date_parse_user(text, strlen(text), bound == NEWSGREP_DATE_END, (int64_t)time(NULL),
	                        &t))
		return NEWSGREP_BAD_DATE;
	*out = t;
	return NEWSGREP_OK;
}
