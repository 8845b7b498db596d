/*
 * text.h: the one reading of UTF-8 and of an SnmpAdminString.
 *
 * Every text leaseline publishes is an SnmpAdminString: UTF-8 of at most
 * 255 octets (SNMP-FRAMEWORK-MIB).  The configuration refuses what breaks
 * that, the MIB handler cuts what an older ledger holds, leaselinectl
 * measures columns by character and leaseline-traphandle escapes what a
 * peer sent: all of them decode here, by the same rules (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF).
 */
#ifndef LL_TEXT_H
#define LL_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TEXT_ADMIN_MAX 255 /* octets of an SnmpAdminString */

/* The length (1 to 4) of the well-formed UTF-8 character that starts
 * s[0..n), with its code point in *cp (may be NULL); 0 when the octets
 * there are not one (n == 0 included). */
size_t text_utf8_char(const unsigned char *s, size_t n, uint32_t *cp);

/* The offset of the first octet of the NUL-terminated s that is not
 * well-formed UTF-8, or -1 when all of it is. */
long text_utf8_invalid_at(const char *s);

/* The length of s as published in an SnmpAdminString: at most
 * TEXT_ADMIN_MAX octets, cut on a UTF-8 character boundary. */
size_t text_admin_len(const char *s);

/* The value of the hexadecimal digit c ('0'-'9', 'a'-'f', 'A'-'F'), or -1
 * when c is none: the one reading of hex for every decoder. */
int text_hexval(int c);

#endif
