/*
 * article.c - small facts about the document model.
 */
#include "ng.h"

const char *ng_article_url(const ng_article *a)
{
	if (a->original_url && *a->original_url)
		return a->original_url;
	if (a->web_url && *a->web_url)
		return a->web_url;
	return "";
}

const char *ng_related_url(const ng_related *r)
{
	if (r->original_url && *r->original_url)
		return r->original_url;
	if (r->url && *r->url)
		return r->url;
	return "";
}
