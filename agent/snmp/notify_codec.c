/*
 * notify_codec.c: the payload text of an outbox row, written by the rules
 * and read back into varbinds by the sender (notify_int.h).  What is
 * stored is plain text so that a row queued by one version of leaselined
 * is sent as it was computed by the next.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "snmp/mib.h"
#include "snmp/notify_int.h"

static void __attribute__((format(printf, 2, 3)))
notify_append(struct notify_payload *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(p->text ? p->text + p->len : NULL,
			      p->text ? p->cap - p->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			p->failed = true;
			return;
		}
		if (p->text && p->len + (size_t)n < p->cap) {
			p->len += (size_t)n;
			return;
		}
		size_t cap = (p->cap ? 2 * p->cap : 512) + (size_t)n;
		char *t = realloc(p->text, cap);

		if (t == NULL) {
			p->failed = true;
			return;
		}
		p->text = t;
		p->cap = cap;
	}
}

void
notify_payload_octets(struct notify_payload *p, const char *oid,
		      const void *data, size_t len)
{
	const unsigned char *b = data;

	notify_append(p, "%s s ", oid);
	for (size_t i = 0; i < len; i++)
		notify_append(p, "%02x", b[i]);
	notify_append(p, "\n");
}

void
notify_payload_number(struct notify_payload *p, const char *oid, char type,
		      int64_t v)
{
	if (type == '\0' || strchr("iuCc", type) == NULL) {
		p->failed = true;
		return;
	}
	notify_append(p, "%s %c %" PRId64 "\n", oid, type, v);
}

void
notify_payload_free(struct notify_payload *p)
{
	free(p->text);
	p->text = NULL;
	p->len = p->cap = 0;
}

static int
notify_parse_oid(const char *s, oid *out, size_t *len)
{
	char *end;
	size_t n = 0;

	while (*s != '\0' && n < MAX_OID_LEN) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s)
			return -1;
		out[n++] = v;
		s = end;
		if (*s == '.')
			s++;
	}
	*len = n;
	return n > 0 && *s == '\0' ? 0 : -1;
}

/* A whole decimal VALUE: digits (a sign for signed ones), nothing after. */
static bool
notify_whole(const char *value, const char *end)
{
	return end != value && *end == '\0' && errno == 0;
}

/* One payload line into a varbind; -1 when it is not one. */
static int
notify_varbind(netsnmp_variable_list **vars, char *line)
{
	char *type = strchr(line, ' '), *value, *end;
	oid name[MAX_OID_LEN];
	size_t len;

	if (type == NULL || type[1] == '\0' || type[2] != ' ')
		return -1;
	*type++ = '\0';
	value = type + 2;
	if (notify_parse_oid(line, name, &len) < 0)
		return -1;
	errno = 0;
	switch (*type) {
	case 's': {
		size_t n = strlen(value) / 2;
		u_char *buf;

		if (strlen(value) % 2 != 0)
			return -1;
		buf = malloc(n ? n : 1);
		if (buf == NULL)
			return -1;
		for (size_t i = 0; i < n; i++) {
			int hi = text_hexval(value[2 * i]);
			int lo = text_hexval(value[2 * i + 1]);

			if (hi < 0 || lo < 0) {
				free(buf);
				return -1;
			}
			buf[i] = (u_char)(hi << 4 | lo);
		}
		snmp_varlist_add_variable(vars, name, len, ASN_OCTET_STR, buf,
					  n);
		free(buf);
		return 0;
	}
	case 'i': {
		long v = strtol(value, &end, 10);

		if (!notify_whole(value, end))
			return -1;
		snmp_varlist_add_variable(vars, name, len, ASN_INTEGER, &v,
					  sizeof(v));
		return 0;
	}
	case 'u':
	case 'C': {
		u_long v = strtoul(value, &end, 10);

		if (!notify_whole(value, end))
			return -1;
		snmp_varlist_add_variable(
		    vars, name, len, *type == 'u' ? ASN_GAUGE : ASN_COUNTER, &v,
		    sizeof(v));
		return 0;
	}
	case 'c': {
		/* money is stored signed (PRId64) and sent as its 64 bits */
		uint64_t u = strtoull(value, &end, 10);
		struct counter64 c64 = {(u_long)(u >> 32),
					(u_long)(u & 0xffffffffu)};

		if (!notify_whole(value, end))
			return -1;
		snmp_varlist_add_variable(vars, name, len, ASN_COUNTER64, &c64,
					  sizeof(c64));
		return 0;
	}
	}
	return -1;
}

struct variable_list *
notify_payload_decode(const char *name, const char *payload,
		      unsigned long uptime)
{
	static const oid uptime_oid[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
	static const oid trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
	netsnmp_variable_list *vars = NULL;
	oid trap[MAX_OID_LEN];
	size_t len = 0;
	u_long up = uptime;
	char *copy, *line, *save = NULL;
	unsigned int n;

	n = mib_notification_number(name, strlen(name));
	if (n == 0 || payload == NULL)
		return NULL;
	notify_parse_oid(mib_leaseline_dotted(), trap, &len);
	trap[len++] = 0;
	trap[len++] = (oid)n;
	snmp_varlist_add_variable(&vars, uptime_oid, OID_LENGTH(uptime_oid),
				  ASN_TIMETICKS, &up, sizeof(up));
	snmp_varlist_add_variable(&vars, trap_oid, OID_LENGTH(trap_oid),
				  ASN_OBJECT_ID, trap, len * sizeof(oid));
	copy = strdup(payload);
	if (copy == NULL) {
		snmp_free_varbind(vars);
		return NULL;
	}
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		if (notify_varbind(&vars, line) < 0) {
			snmp_free_varbind(vars);
			vars = NULL;
			break;
		}
	free(copy);
	return vars;
}
