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
