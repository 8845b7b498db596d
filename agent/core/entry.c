/*
 * entry.c: see entry.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/entry.h"

void
entry_clear(struct entry *e)
{
	if (e == NULL)
		return;
	free(e->contract);
	free(e->note);
	memset(e, 0, sizeof(*e));
}

void
entry_array_free(struct entry *e, size_t n)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		entry_clear(&e[i]);
	free(e);
}
