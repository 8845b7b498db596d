/*
 * text.c: see text.h.
 */
#include <string.h>

#include "core/text.h"

size_t
text_utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t need;
	uint32_t c, min;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		need = 1;
		c = s[0];
		min = 0;
	} else if ((s[0] & 0xe0) == 0xc0) {
		need = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		need = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		need = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0; /* a continuation octet, or 0xf8 and above */
	}
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	if (cp != NULL)
		*cp = c;
	return need;
}

long
text_utf8_invalid_at(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0;

	while (i < n) {
		size_t u = text_utf8_char(s + i, n - i, NULL);

		if (u == 0)
			return (long)i;
		i += u;
	}
	return -1;
}

size_t
text_admin_len(const char *s)
{
	size_t n = strlen(s);

	if (n > TEXT_ADMIN_MAX) {
		n = TEXT_ADMIN_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return n;
}

int
text_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
