// SPDX-License-Identifier: GPL-2.0
/* Per-row reading history for watch; see history.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"

static int cmp_entry(const void *a, const void *b)
{
	const struct ls_hist_entry *x = a, *y = b;

	return strcmp(x->key, y->key);
}

int ls_history_begin(struct ls_history *h, size_t nrows)
{
	struct ls_hist_entry *next = calloc(nrows ? nrows : 1, sizeof(*next));

	if (!next)
		return -1;
	free(h->next);
	h->next = next;
	h->nnext = nrows;
	return 0;
}

void ls_history_push(struct ls_history *h, size_t row, const char *key,
		     long long v)
{
	struct ls_hist_entry *e = &h->next[row], *old = NULL;

	snprintf(e->key, sizeof(e->key), "%s", key);
	if (h->ncur)
		old = bsearch(e, h->cur, h->ncur, sizeof(*e), cmp_entry);
	if (old) {
		memcpy(e->v, old->v, sizeof(e->v));
		e->n = old->n;
	}
	if (e->n == LS_HIST_LEN) {
		memmove(e->v, e->v + 1, (LS_HIST_LEN - 1) * sizeof(e->v[0]));
		e->n--;
	}
	e->v[e->n++] = v;
}

void ls_history_commit(struct ls_history *h)
{
	free(h->cur);
	h->cur = h->next;
	h->ncur = h->nnext;
	h->next = NULL;
	h->nnext = 0;
	qsort(h->cur, h->ncur, sizeof(*h->cur), cmp_entry);
}

void ls_history_free(struct ls_history *h)
{
	free(h->cur);
	free(h->next);
	memset(h, 0, sizeof(*h));
}
