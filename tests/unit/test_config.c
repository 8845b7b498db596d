/*
 * test_config.c: config_load against the real contract, the good
 * configurations and every bad one.
 *
 * Files are found under $srcdir (the top source directory; "." when
 * unset).  Each tests/data/bad/NAME.conf starts with
 *     # expect: MESSAGE
 * where MESSAGE is config_load's message without the file name: it
 * starts at the colon before the line number.  When the fault is in a
 * file of include_dir, a second line
 *     # expect-file: DIR/NAME.conf
 * names that file relative to tests/data/bad.  In MESSAGE, {dir} stands
 * for the directory of the bad file as the test opened it, since some
 * messages point at another file.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "core/day.h"
#include "core/model.h"
#include "testlib.h"

#define MIN_BAD_FILES 25

static struct ll_model *
load_ok(const char *rel)
{
	char err[CONFIG_ERRLEN];
	char *path = testlib_src_path(rel);
	struct ll_model *m;

	err[0] = '\0';
	m = config_load(path, err, sizeof(err));
	if (m == NULL)
		fail_msg("%s did not load: %s", path, err);
	free(path);
	return m;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static ll_day
ymd(int y, int m, int d)
{
	return day_from_ymd(y, m, d);
}

/* ---- the real contract, every field ---- */

struct expect_group {
	const char *clause, *name;
	uint32_t first, count, rate;
	enum ll_service_type service;
};

static const struct expect_group jscze_groups[] = {
    {"1.3.1", "市城管指挥平台中心 1000M 光纤专线宽带", 1, 2, 1000000,
     LL_SVC_DEDICATED},
    {"1.3.2", "各辖区专线 7 条和中心互联网专线 1 条", 3, 8, 100000,
     LL_SVC_DEDICATED},
    {"1.3.3", "二级数字城管平台 VPN 专线光纤宽带", 11, 10, 10000, LL_SVC_VPN},
    {"1.3.4", "下属单位电子政务网", 21, 9, 100000, LL_SVC_EGOV},
    {"1.3.5", "武进区府东路 108 号电信机房电子政务网", 30, 1, 200000,
     LL_SVC_EGOV},
};

#define SERVICE_LOCATION "常州市钟楼区芦墅路 6 号城管指挥中心机房"
/* Clause 1.3.2, "各辖区共 7 条和中心互联网专线 1 条": the group's 8 lines are
 * 7 dedicated district lines and the centre's internet line, configured
 * as the last of the group, as the text lists it. */
#define CENTRE_INTERNET_INDEX 10

static void
test_contract_identity(void **state)
{
	struct ll_model *m = load_ok("conf/leaseline.conf");
	const struct ll_contract *c;

	(void)state;
	assert_int_equal(m->n_contracts, 1);
	assert_int_equal(m->n_circuits, 30);
	assert_int_equal(m->n_installments, 2);
	c = &m->contracts[0];
	assert_int_equal(c->index, 1);
	assert_string_equal(c->number, "JSCZE2208138CGN00");
	assert_string_equal(c->title, "常州市城市管理局数字城管专线续签合同");
	assert_string_equal(c->customer.name, "常州市城市管理局");
	assert_string_equal(
	    c->customer.address,
	    "常州市新北区龙城大道 2180 号市行政中心 2 号楼 B 座 3 楼");
	assert_string_equal(c->customer.representative, "吴建荣");
	assert_string_equal(c->provider.name, "中国电信股份有限公司常州分公司");
	assert_string_equal(c->provider.address, "常州市天宁区和平北路 29 号");
	assert_string_equal(c->provider.representative, "黄亚君");
	assert_int_equal(c->signed_on, ymd(2022, 11, 25));
	assert_string_equal(c->service_location, SERVICE_LOCATION);
	assert_true(ends_with(c->file, "conf/leaseline.conf"));
	assert_true(c->line > 1);

	assert_ptr_equal(model_contract_by_index(m, 1), c);
	assert_null(model_contract_by_index(m, 0));
	assert_null(model_contract_by_index(m, 2));
	assert_ptr_equal(model_contract_by_number(m, "JSCZE2208138CGN00"), c);
	assert_null(model_contract_by_number(m, "JSCZE2208138CGN0"));
	assert_null(model_contract_by_number(m, NULL));
	model_free(m);
}

static void
test_contract_terms(void **state)
{
	struct ll_model *m = load_ok("conf/leaseline.conf");
	const struct ll_contract *c = &m->contracts[0];

	(void)state;
	/* Clause 11.1 */
	assert_int_equal(c->term_start, ymd(2022, 1, 1));
	assert_int_equal(c->term_end, ymd(2022, 12, 31));
	assert_true(c->auto_renew);
	assert_int_equal(c->renew_months, 12);
	assert_int_equal(c->notice_days, 90);
	/* Clauses 1.3, 2.1, 2.3.3, 2.3.4 */
	assert_int_equal(c->annual_fee, 45000000);
	assert_int_equal(c->billing_mode, LL_BILLING_INSTALLMENTS);
	assert_int_equal(c->payment_method, LL_PAY_CASH);
	assert_int_equal(c->late_fee_ppm, 30000);
	assert_int_equal(c->suspend_after_days, 30);
	assert_int_equal(c->terminate_after_days, 60);
	/* Clause 2.2 */
	assert_int_equal(c->n_installments, 2);
	assert_int_equal(c->installments[0].index, 1);
	assert_int_equal(c->installments[0].due, ymd(2022, 12, 31));
	assert_int_equal(c->installments[0].amount, 35960000);
	assert_int_equal(c->installments[1].index, 2);
	assert_int_equal(c->installments[1].due, ymd(2023, 6, 1));
	assert_int_equal(c->installments[1].amount, 9040000);
	/* Clause 1.5 */
	assert_int_equal(c->n_blocked_ports, 3);
	assert_int_equal(c->blocked_ports[0], 80);
	assert_int_equal(c->blocked_ports[1], 8080);
	assert_int_equal(c->blocked_ports[2], 443);
	/* Clause 3.2.6 */
	assert_string_equal(c->support,
			    "10000 客户服务热线；800-828-0858 大客户服务热线");
	model_free(m);
}

static void
test_contract_circuits(void **state)
{
	struct ll_model *m = load_ok("conf/leaseline.conf");
	const struct ll_contract *c = &m->contracts[0];
	size_t g, i, n = 0, at_rate[4] = {0};
	size_t at_service[LL_SVC_OTHER + 1] = {0};
	char id[32];

	(void)state;
	assert_int_equal(c->n_circuits, 30);
	for (g = 0; g < sizeof(jscze_groups) / sizeof(jscze_groups[0]); g++) {
		const struct expect_group *e = &jscze_groups[g];

		for (i = 0; i < e->count; i++, n++) {
			const struct ll_circuit *ci = &c->circuits[n];

			snprintf(id, sizeof(id), "%s-%02zu", e->clause, i + 1);
			assert_int_equal(ci->index, e->first + i);
			assert_string_equal(ci->id, id);
			assert_string_equal(ci->group, e->name);
			assert_string_equal(ci->clause, e->clause);
			assert_int_equal(ci->service,
					 ci->index == CENTRE_INTERNET_INDEX
					     ? LL_SVC_INTERNET
					     : e->service);
			assert_int_equal(ci->rate_up, e->rate);
			assert_int_equal(ci->rate_down, e->rate);
			assert_string_equal(ci->a_end, SERVICE_LOCATION);
			assert_int_equal(ci->if_index, 0);
			assert_int_equal(ci->admin, LL_CIRCUIT_IN_SERVICE);
			if (strcmp(e->clause, "1.3.5") == 0)
				assert_string_equal(
				    ci->z_end,
				    "常州市武进区府东路 108 号电信机房");
			else
				assert_string_equal(ci->z_end, "");
		}
	}
	assert_int_equal(n, 30);
	/* DIGEST.md: 2 at 1000M, 8 + 9 at 100M, 10 at 10M, 1 at 200M. */
	for (i = 0; i < c->n_circuits; i++) {
		switch (c->circuits[i].rate_up) {
		case 1000000: at_rate[0]++; break;
		case 100000: at_rate[1]++; break;
		case 10000: at_rate[2]++; break;
		case 200000: at_rate[3]++; break;
		default: fail_msg("unexpected rate %u", c->circuits[i].rate_up);
		}
	}
	assert_int_equal(at_rate[0], 2);
	assert_int_equal(at_rate[1], 17);
	assert_int_equal(at_rate[2], 10);
	assert_int_equal(at_rate[3], 1);
	/* DIGEST.md: 2 + 7 dedicated, 1 internet (1.3.2), 10 VPN, 9 + 1
	 * e-government. */
	for (i = 0; i < c->n_circuits; i++)
		at_service[c->circuits[i].service]++;
	assert_int_equal(at_service[LL_SVC_DEDICATED], 9);
	assert_int_equal(at_service[LL_SVC_INTERNET], 1);
	assert_int_equal(at_service[LL_SVC_VPN], 10);
	assert_int_equal(at_service[LL_SVC_EGOV], 10);
	assert_int_equal(at_service[LL_SVC_OTHER], 0);
	model_free(m);
}

static void
test_contract_notes(void **state)
{
	static const char *const clauses[] = {
	    "1.1 ", "1.2 ", "3.1.11 ", "3.2.10 ",	"6.2 ",
	    "6.3 ", "7.1 ", "7.2 ",    "附件二第十七条"};
	struct ll_model *m = load_ok("conf/leaseline.conf");
	const struct ll_contract *c = &m->contracts[0];
	size_t i;

	(void)state;
	assert_int_equal(c->n_notes, 9);
	for (i = 0; i < c->n_notes; i++) {
		if (strncmp(c->notes[i], clauses[i], strlen(clauses[i])) != 0)
			fail_msg("note %zu is \"%s\", expected it to start "
				 "with \"%s\"",
				 i + 1, c->notes[i], clauses[i]);
		assert_true(strlen(c->notes[i]) <= 255);
	}
	assert_non_null(strstr(c->notes[2], "20%"));
	assert_non_null(strstr(c->notes[4], "1 万元"));
	assert_non_null(strstr(c->notes[5], "50%"));
	assert_non_null(strstr(c->notes[3], "90 日"));
	model_free(m);
}

/* ---- good configurations ---- */

static void
test_good_minimal(void **state)
{
	struct ll_model *m = load_ok("tests/data/good/minimal.conf");
	const struct ll_contract *c = &m->contracts[0];

	(void)state;
	assert_int_equal(m->n_contracts, 1);
	assert_int_equal(c->index, 5);
	assert_null(c->customer.address);
	assert_null(c->customer.representative);
	assert_null(c->provider.address);
	assert_int_equal(c->signed_on, LL_NO_DAY);
	assert_false(c->auto_renew);
	assert_int_equal(c->renew_months, 12);
	assert_int_equal(c->notice_days, 0);
	assert_int_equal(c->suspend_after_days, 30);
	assert_int_equal(c->terminate_after_days, 60);
	assert_int_equal(c->n_blocked_ports, 0);
	assert_null(c->blocked_ports);
	assert_string_equal(c->support, "");
	assert_int_equal(c->n_notes, 0);
	assert_int_equal(c->annual_fee, 120000);
	assert_int_equal(c->payment_method, LL_PAY_TRANSFER);
	assert_int_equal(c->late_fee_ppm, 500);
	assert_int_equal(c->term_end, ymd(2025, 2, 28));
	assert_int_equal(c->n_circuits, 1);
	assert_string_equal(c->circuits[0].id, "1-01");
	assert_int_equal(c->circuits[0].service, LL_SVC_INTERNET);
	assert_int_equal(c->circuits[0].rate_up, 512);
	assert_int_equal(c->circuits[0].rate_down, 2000000);
	model_free(m);
}

/* conf/minimal.conf, the README's template for a contract of one's own,
 * loads as it is installed. */
static void
test_example_minimal(void **state)
{
	struct ll_model *m = load_ok("conf/minimal.conf");
	const struct ll_contract *c = &m->contracts[0];

	(void)state;
	assert_int_equal(m->n_contracts, 1);
	assert_int_equal(c->index, 1);
	assert_int_equal(c->annual_fee, 1200000);
	assert_int_equal(c->late_fee_ppm, 500);
	assert_false(c->auto_renew);
	assert_int_equal(c->n_circuits, 1);
	model_free(m);
}

static void
test_good_two_contracts(void **state)
{
	struct ll_model *m = load_ok("tests/data/good/two-contracts.conf");
	const struct ll_contract *a, *b;
	size_t i;

	(void)state;
	assert_int_equal(m->n_contracts, 2);
	assert_int_equal(m->n_circuits, 4);
	assert_int_equal(m->n_installments, 5);
	/* Sorted by index, whatever the order in the file. */
	a = &m->contracts[0];
	b = &m->contracts[1];
	assert_int_equal(a->index, 3);
	assert_string_equal(a->number, "TWO-0003");
	assert_int_equal(b->index, 7);
	assert_string_equal(b->number, "TWO-0007");
	assert_ptr_equal(model_contract_by_index(m, 7), b);
	assert_ptr_equal(model_contract_by_number(m, "TWO-0003"), a);
	assert_null(model_contract_by_index(m, 5));

	assert_int_equal(a->annual_fee, 10001);
	assert_int_equal(a->payment_method, LL_PAY_OTHER);
	assert_int_equal(b->annual_fee, 1200000);
	assert_int_equal(b->payment_method, LL_PAY_DEBIT);
	assert_int_equal(b->late_fee_ppm, 300);
	assert_int_equal(b->suspend_after_days, 15);
	assert_int_equal(b->terminate_after_days, 45);
	assert_false(b->auto_renew);
	assert_string_equal(b->customer.address, "地址 B");
	assert_string_equal(b->provider.representative, "李四");
	assert_int_equal(b->n_installments, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(b->installments[i].index, i + 1);
		assert_int_equal(b->installments[i].amount, 300000);
	}
	assert_int_equal(b->installments[3].due, ymd(2023, 12, 31));
	assert_int_equal(b->n_circuits, 3);
	for (i = 0; i < 3; i++) {
		char id[16];

		snprintf(id, sizeof(id), "2.1-%02zu", i + 1);
		assert_int_equal(b->circuits[i].index, 100 + i);
		assert_string_equal(b->circuits[i].id, id);
		assert_int_equal(b->circuits[i].rate_up, 50000);
		assert_int_equal(b->circuits[i].rate_down, 100000);
		assert_string_equal(b->circuits[i].a_end, "机房 B");
	}
	model_free(m);
}

static void
test_good_per_mille(void **state)
{
	struct ll_model *m = load_ok("tests/data/good/per-mille.conf");

	(void)state;
	assert_int_equal(m->contracts[0].late_fee_ppm, 3000);
	assert_int_equal(m->contracts[0].annual_fee, 45000000);
	/* issue 13's settings, absent: the text's reading */
	assert_int_equal(m->contracts[0].on_termination, LL_TERMINATION_CANCEL);
	assert_int_equal(m->contracts[0].late_fee_cap_kind, LL_FEE_CAP_NONE);
	assert_false(m->contracts[0].suspension_stops_renewal);
	assert_int_equal(m->contracts[0].suspension, LL_SUSPENSION_AUTOMATIC);
	model_free(m);
}

/* Issue 13: on_termination, late_fee_cap (a share or an amount),
 * renew_while_suspended and suspension. */
static void
test_good_issue13_settings(void **state)
{
	struct ll_model *m = load_ok("tests/data/good/issue13-settings.conf");

	(void)state;
	assert_int_equal(m->contracts[0].on_termination,
			 LL_TERMINATION_PRORATE);
	assert_int_equal(m->contracts[0].late_fee_cap_kind, LL_FEE_CAP_PERCENT);
	assert_int_equal(m->contracts[0].late_fee_cap_ppm, 300000);
	assert_true(m->contracts[0].suspension_stops_renewal);
	assert_int_equal(m->contracts[0].suspension, LL_SUSPENSION_DECIDED);
	model_free(m);

	m = load_ok("tests/data/good/fee-cap-amount.conf");
	assert_int_equal(m->contracts[0].late_fee_cap_kind, LL_FEE_CAP_AMOUNT);
	assert_int_equal(m->contracts[0].late_fee_cap, 10000000);
	assert_false(m->contracts[0].suspension_stops_renewal);
	model_free(m);
}

static void
test_good_overrides(void **state)
{
	struct ll_model *m = load_ok("tests/data/good/overrides.conf");
	const struct ll_contract *c = &m->contracts[0];
	const struct ll_circuit *ci;
	size_t i;

	(void)state;
	assert_int_equal(c->index, 4294967295u);
	assert_ptr_equal(model_contract_by_index(m, 4294967295u), c);
	assert_int_equal(c->n_circuits, 8);
	for (i = 0; i < 8; i++) {
		char id[16];

		ci = &c->circuits[i];
		assert_int_equal(ci->index, 11 + i);
		snprintf(id, sizeof(id), "1.3.2-%02zu", i + 1);
		if (ci->index != 18)
			assert_string_equal(ci->id, id);
		if (ci->index != 11)
			assert_string_equal(ci->a_end, "城管指挥中心机房");
		if (ci->index != 18) {
			assert_string_equal(ci->z_end, "区县机房");
			assert_int_equal(ci->if_index, 0);
			assert_int_equal(ci->service, LL_SVC_DEDICATED);
		}
		if (ci->index > 12)
			assert_int_equal(ci->admin, LL_CIRCUIT_IN_SERVICE);
	}
	ci = &c->circuits[0]; /* 11 */
	assert_string_equal(ci->a_end, "备用机房");
	assert_int_equal(ci->admin, LL_CIRCUIT_PLANNED);
	ci = &c->circuits[1]; /* 12 */
	assert_int_equal(ci->admin, LL_CIRCUIT_CEASED);
	ci = &c->circuits[7]; /* 18 */
	assert_string_equal(ci->id, "CZ-CENTRE");
	assert_int_equal(ci->service, LL_SVC_INTERNET);
	assert_string_equal(ci->z_end, "中心");
	assert_int_equal(ci->if_index, 12);
	assert_string_equal(ci->group, "各辖区专线");
	assert_string_equal(ci->clause, "1.3.2");
	model_free(m);
}

static void
test_good_include_dir(void **state)
{
	struct ll_model *m = load_ok("tests/data/good/include-main.conf");

	(void)state;
	/* README and .hidden.conf are not loaded. */
	assert_int_equal(m->n_contracts, 3);
	assert_int_equal(m->n_circuits, 5);
	assert_int_equal(m->contracts[0].index, 19);
	assert_string_equal(m->contracts[0].number, "INC-B");
	assert_true(
	    ends_with(m->contracts[0].file, "include-main.d/20-b.conf"));
	assert_int_equal(m->contracts[1].index, 20);
	assert_true(ends_with(m->contracts[1].file,
			      "tests/data/good/include-main.conf"));
	assert_int_equal(m->contracts[2].index, 21);
	assert_string_equal(m->contracts[2].number, "INC-A");
	assert_true(
	    ends_with(m->contracts[2].file, "include-main.d/10-a.conf"));
	assert_int_equal(m->contracts[2].line, 3);
	assert_string_equal(m->contracts[2].circuits[1].a_end, "机房 A");
	model_free(m);
}

static void
test_good_bom(void **state)
{
	struct ll_model *m = load_ok("tests/data/good/bom.conf");

	(void)state;
	assert_int_equal(m->contracts[0].index, 9);
	/* Lines count from the first line, BOM or not. */
	assert_int_equal(m->contracts[0].line, 3);
	model_free(m);
}

static void
test_good_monthly(void **state)
{
	struct ll_model *m = load_ok("tests/data/good/monthly.conf");
	const struct ll_contract *c = &m->contracts[0];

	(void)state;
	assert_int_equal(c->billing_mode, LL_BILLING_MONTHLY);
	assert_int_equal(c->n_installments, 0);
	assert_null(c->installments);
	assert_int_equal(c->renew_months, 1);
	assert_int_equal(c->notice_days, 27);
	assert_int_equal(c->late_fee_ppm, 3000);
	model_free(m);
}

typedef void (*file_fn)(const char *dir, const char *name, void *arg);

/* Calls fn on every *.conf of a directory of the source tree, in name
 * order; returns how many. */
static size_t
each_conf(const char *rel, file_fn fn, void *arg)
{
	char *dir = testlib_src_path(rel);
	struct dirent **names;
	int i, n;
	size_t count = 0;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		fail_msg("cannot read %s", dir);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (name[0] != '.' && ends_with(name, ".conf")) {
			fn(dir, name, arg);
			count++;
		}
		free(names[i]);
	}
	free(names);
	free(dir);
	return count;
}

static void
load_good(const char *dir, const char *name, void *arg)
{
	char err[CONFIG_ERRLEN], path[4096];
	struct ll_model *m;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	m = config_load(path, err, sizeof(err));
	if (m == NULL) {
		print_error("%s: %s\n", name, err);
		++*(int *)arg;
		return;
	}
	if (m->n_contracts == 0 || m->n_circuits == 0) {
		print_error("%s: an empty model\n", name);
		++*(int *)arg;
	}
	model_free(m);
}

static void
test_good_all(void **state)
{
	int failures = 0;
	size_t n;

	(void)state;
	n = each_conf("tests/data/good", load_good, &failures);
	assert_true(n >= 7);
	assert_int_equal(failures, 0);
}

/* ---- bad configurations ---- */

/* Reads one "# KEY: value" header line; false at EOF. */
static bool
header_line(FILE *f, const char *key, char *out, size_t n)
{
	char line[4096];
	size_t klen = strlen(key), len;

	if (fgets(line, sizeof(line), f) == NULL)
		return false;
	len = strlen(line);
	if (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	if (strncmp(line, "# ", 2) != 0 || strncmp(line + 2, key, klen) != 0 ||
	    strncmp(line + 2 + klen, ": ", 2) != 0)
		return false;
	snprintf(out, n, "%s", line + 2 + klen + 2);
	return true;
}

/* Replaces every {dir} of s by dir. */
static void
expand_dir(const char *s, const char *dir, char *out, size_t n)
{
	size_t len = 0;

	while (*s != '\0' && len + 1 < n) {
		if (strncmp(s, "{dir}", 5) == 0) {
			len += (size_t)snprintf(out + len, n - len, "%s", dir);
			if (len >= n)
				len = n - 1;
			s += 5;
		} else {
			out[len++] = *s++;
		}
	}
	out[len] = '\0';
}

static void
check_bad(const char *dir, const char *name, void *arg)
{
	char path[1024], expect[2048], file[512], want[8192], msg[4096];
	char err[CONFIG_ERRLEN];
	struct ll_model *m;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	if (!header_line(f, "expect", msg, sizeof(msg))) {
		fclose(f);
		print_error("%s: no \"# expect: \" first line\n", name);
		++*(int *)arg;
		return;
	}
	if (header_line(f, "expect-file", file, sizeof(file)))
		snprintf(expect, sizeof(expect), "%s/%s", dir, file);
	else
		snprintf(expect, sizeof(expect), "%s", path);
	fclose(f);
	expand_dir(msg, dir, want + strlen(expect),
		   sizeof(want) - strlen(expect));
	memcpy(want, expect, strlen(expect));

	memset(err, 'x', sizeof(err));
	m = config_load(path, err, sizeof(err));
	if (m != NULL) {
		print_error("%s: loaded, expected %s\n", name, want);
		model_free(m);
		++*(int *)arg;
		return;
	}
	if (strcmp(err, want) != 0) {
		print_error("%s:\n   got: %s\n  want: %s\n", name, err, want);
		++*(int *)arg;
	}
}

static void
test_bad_all(void **state)
{
	int failures = 0;
	size_t n;

	(void)state;
	n = each_conf("tests/data/bad", check_bad, &failures);
	print_message("# %zu bad configurations checked\n", n);
	/* A broken scan must not pass by testing nothing. */
	assert_true(n >= MIN_BAD_FILES);
	assert_int_equal(failures, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_contract_identity),
	    cmocka_unit_test(test_contract_terms),
	    cmocka_unit_test(test_contract_circuits),
	    cmocka_unit_test(test_contract_notes),
	    cmocka_unit_test(test_good_minimal),
	    cmocka_unit_test(test_example_minimal),
	    cmocka_unit_test(test_good_two_contracts),
	    cmocka_unit_test(test_good_per_mille),
	    cmocka_unit_test(test_good_issue13_settings),
	    cmocka_unit_test(test_good_overrides),
	    cmocka_unit_test(test_good_include_dir),
	    cmocka_unit_test(test_good_bom),
	    cmocka_unit_test(test_good_monthly),
	    cmocka_unit_test(test_good_all),
	    cmocka_unit_test(test_bad_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
