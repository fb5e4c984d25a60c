/*
 * article.c - small facts about the document model.
 */
#include "ng.h"

/* originalUrl, else webUrl, else "". */
static const char *url_of(const char *original_url, const char *web_url)
{
	if (original_url && *original_url)
		return original_url;
	if (web_url && *web_url)
		return web_url;
	return "";
}

const char *ng_article_url(const ng_article *a)
{
	return url_of(a->original_url, a->web_url);
}

const char *ng_related_url(const ng_related *r)
{
	return url_of(r->original_url, r->url);
}
