/*
 * printer.h - how newsgrep writes its hits; one backend per output format.
 */
#ifndef NEWSGREP_PRINTER_H
#define NEWSGREP_PRINTER_H

#include <stdio.h>

#include "newsgrep.h"

typedef struct printer {
	/* Writes one hit to `out`. */
	void (*hit)(FILE *out, const newsgrep_hit_t *hit);
} printer;

extern const printer text_printer; /* print_text.c: for people */
extern const printer json_printer; /* print_json.c: NDJSON for scripts */

/* Formats a hit's date into buf (at least 21 bytes): "YYYY-MM-DD" when
 * `day_only`, else ISO 8601 UTC; "" when the hit has none. */
void format_date(const newsgrep_hit_t *hit, int day_only, char *buf, size_t cap);

#endif
