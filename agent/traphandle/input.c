/*
 * input.c: snmptrapd's text cut into its parts, for leaseline-traphandle.
 *
 * snmptrapd writes the sender's host name, its transport address, then
 * one varbind per line, "OID VALUE"; a value may run over several lines
 * (a hex dump, a string holding a newline).  The input is cut in place.
 */
#include <stdlib.h>
#include <string.h>

#include "traphandle/traphandle.h"

/* Whether a line starts a varbind rather than continuing the last value:
 * its first word must look like an OID. */
static bool
traphandle_starts_varbind(const char *line, size_t n)
{
	size_t w = 0;
	bool module = false;

	while (w < n && line[w] != ' ')
		w++;
	if (w == 0 || w == n)
		return false;
	for (size_t i = 0; i < w; i++) {
		char c = line[i];

		if (c == ':' && i + 1 < w && line[i + 1] == ':')
			module = true;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == ':' ||
		      c == '-' || c == '_'))
			return false;
	}
	return module || line[0] == '.' || (line[0] >= '0' && line[0] <= '9') ||
	       (w > 4 && memcmp(line, "iso.", 4) == 0);
}

/* Whether a value so far is a quoted string that is not yet closed:
 * net-snmp breaks hex dumps, and strings holding a newline, over lines. */
bool
traphandle_open_quote(const char *v, size_t n)
{
	size_t bs = 0;

	if (n == 0 || v[0] != '"')
		return false;
	if (n == 1)
		return true;
	if (v[n - 1] != '"')
		return true;
	for (size_t i = n - 1; i > 1 && v[i - 1] == '\\'; i--)
		bs++;
	return bs % 2 == 1; /* the last quote is escaped */
}

/*
 * Cuts the input, in place, into the host line, the address line and the
 * varbinds.  Returns the number of varbinds, or -1 when the input is not
 * snmptrapd's.
 */
long
traphandle_split(char *in, size_t len, char **host, char **addr,
		 struct traphandle_varbind **out)
{
	struct traphandle_varbind *vb;
	size_t n_lines = 1, n = 0;
	char *p = in, *end = in + len;

	for (size_t i = 0; i < len; i++)
		if (in[i] == '\n')
			n_lines++;
	vb = calloc(n_lines, sizeof(*vb));
	if (vb == NULL)
		return -1;
	for (int k = 0; k < 2; k++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl == NULL) {
			free(vb);
			return -1;
		}
		*nl = '\0';
		*(k == 0 ? host : addr) = p;
		p = nl + 1;
	}
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		char *sp;

		if (eol == NULL)
			eol = end;
		if (!traphandle_starts_varbind(p, (size_t)(eol - p))) {
			p = eol + (eol < end); /* noise: skip the line */
			continue;
		}
		sp = memchr(p, ' ', (size_t)(eol - p));
		*sp = '\0';
		vb[n].name = p;
		vb[n].value = sp + 1;
		vb[n].hinted = traphandle_hinted(p);
		/* Take in the lines that continue this value. */
		while (eol + 1 < end) {
			char *next = eol + 1;
			char *e2 = memchr(next, '\n', (size_t)(end - next));

			if (e2 == NULL)
				e2 = end;
			if ((vb[n].hinted ||
			     !traphandle_open_quote(
				 vb[n].value, (size_t)(eol - vb[n].value))) &&
			    traphandle_starts_varbind(next,
						      (size_t)(e2 - next)))
				break;
			eol = e2;
		}
		if (eol < end)
			*eol = '\0';
		n++;
		p = eol + (eol < end);
	}
	*out = vb;
	return (long)n;
}
