/*
 * print_summary.c - the count (-c) and facets (--facet) of all matches,
 * for people or as one JSON summary record:
 *
 *   provider:                 {"type":"summary","format_version":2,"count":5,
 *       3  Gizmochina          "count_exact":true,"facets":{"provider":[
 *       2  TechCrunch          {"value":"Gizmochina","count":3},...]}}
 */
#include "printer.h"
#include "safetext.h"

void print_count(FILE *out, uint64_t count, bool json)
{
	if (json)
		fprintf(out,
		        "{\"type\":\"summary\",\"format_version\":%d,\"count\":%llu,"
		        "\"count_exact\":true}\n",
		        JSON_FORMAT_VERSION, (unsigned long long)count);
	else
		fprintf(out, "%llu\n", (unsigned long long)count);
}

void print_facets(FILE *out, const newsgrep_hits_t *hits, unsigned facets, bool json)
{
	if (json)
		fprintf(out,
		        "{\"type\":\"summary\",\"format_version\":%d,\"count\":%llu,"
		        "\"count_exact\":true,\"facets\":{",
		        JSON_FORMAT_VERSION, (unsigned long long)newsgrep_hits_estimate(hits));
	bool first = true;
	for (int f = 0; f < NEWSGREP_FACET_COUNT; f++) {
		if (!(facets & NEWSGREP_FACET_BIT(f)))
			continue;
		const char *name = newsgrep_facet_name((newsgrep_facet_t)f);
		if (json)
			fprintf(out, "%s\"%s\":[", first ? "" : ",", name);
		else
			fprintf(out, "%s%s:\n", first ? "" : "\n", name);
		first = false;
		/* The widest count sets the column, as uniq -c does. */
		int width = 1;
		uint64_t top = 0;
		const char *value;
		if (newsgrep_hits_facet(hits, (newsgrep_facet_t)f, 0, &value, &top) == NEWSGREP_OK)
			for (uint64_t v = top; v >= 10; v /= 10)
				width++;
		uint64_t count;
		for (size_t i = 0; newsgrep_hits_facet(hits, (newsgrep_facet_t)f, i, &value,
		                                       &count) == NEWSGREP_OK;
		     i++) {
			if (json) {
				fprintf(out, "%s{\"value\":", i ? "," : "");
				put_json_string(out, value);
				fprintf(out, ",\"count\":%llu}", (unsigned long long)count);
			} else {
				fprintf(out, "  %*llu  ", width, (unsigned long long)count);
				safetext_puts(out, value, SAFETEXT_SPACES);
				fputc('\n', out);
			}
		}
		if (json)
			fputc(']', out);
	}
	if (json)
		fputs("}}\n", out);
}
