/*
 * fuzz_config.c: libFuzzer harness for config_load().
 *
 * config_load() reads a file, so the input is written to one: fuzz.conf
 * in a private directory made once per process (mkdtemp under $TMPDIR),
 * rewritten for every input and removed at exit.  An include_dir the
 * fuzzer writes is relative to that directory.
 *
 * Properties that must hold, or the harness aborts so that the fuzzer
 * reports it:
 *   - a refusal comes with a message (FILE:LINE: ...), NUL-terminated
 *     within the buffer; an acceptance with none;
 *   - an accepted model keeps what model.h promises: at least one
 *     contract, contracts sorted by a unique index >= 1 with unique
 *     numbers, circuits sorted by a unique index >= 1 with rates > 0,
 *     installments sorted by due date, amounts and the late fee within
 *     bounds, the term's start before its end, reminders decreasing,
 *     and the model's totals the sums of the contracts';
 * and the model is freed every time, so that LeakSanitizer sees a leak
 * of the loader as one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "core/model.h"
#include "core/money.h"

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir_path[4096];
static char file_path[4096 + 16];

static void __attribute__((noreturn))
fail(const char *what, const struct ll_contract *k)
{
	fprintf(stderr, "fuzz_config: property failed: %s%s%s\n", what,
		k != NULL ? " in contract " : "",
		k != NULL && k->number != NULL ? k->number : "");
	abort();
}

static void
remove_private_dir(void)
{
	if (file_path[0] != '\0')
		unlink(file_path);
	if (dir_path[0] != '\0')
		rmdir(dir_path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(dir_path, sizeof(dir_path),
			     "%s/fuzz_config.XXXXXX",
			     tmp) >= sizeof(dir_path) ||
	    mkdtemp(dir_path) == NULL) {
		perror("fuzz_config: mkdtemp");
		exit(1);
	}
	snprintf(file_path, sizeof(file_path), "%s/fuzz.conf", dir_path);
	atexit(remove_private_dir);
	return 0;
}

static void
write_input(const uint8_t *data, size_t size)
{
	FILE *f = fopen(file_path, "wb");

	if (f == NULL || (size > 0 && fwrite(data, 1, size, f) != size) ||
	    fclose(f) != 0) {
		perror(file_path);
		exit(1);
	}
}

static bool
is_text(const char *s)
{
	return s != NULL && strlen(s) <= 255;
}

static void
check_installments(const struct ll_contract *k, const struct ll_installment *in,
		   size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (in[i].amount < 0 || in[i].amount > MONEY_MAX)
			fail("an installment's amount out of range", k);
		if (in[i].due == LL_NO_DAY)
			fail("an installment without a due date", k);
		if (i > 0 && in[i].due < in[i - 1].due)
			fail("installments not sorted by due date", k);
	}
}

static void
check_reminders(const struct ll_contract *k, const uint32_t *days, size_t n)
{
	size_t i;

	if (n > LL_MAX_REMINDERS)
		fail("more reminders than LL_MAX_REMINDERS", k);
	for (i = 1; i < n; i++)
		if (days[i] >= days[i - 1])
			fail("reminders not decreasing", k);
}

static void
check_contract(const struct ll_contract *k)
{
	size_t i;

	if (k->index < 1)
		fail("a contract index of 0", k);
	if (!is_text(k->number) || !is_text(k->title) ||
	    !is_text(k->customer.name) || !is_text(k->provider.name) ||
	    !is_text(k->service_location) || k->file == NULL)
		fail("a required string missing or too long", k);
	if (k->term_start == LL_NO_DAY || k->term_end == LL_NO_DAY ||
	    k->term_start > k->term_end)
		fail("a term without a start before its end", k);
	if (k->annual_fee <= 0 || k->annual_fee > MONEY_MAX)
		fail("an annual fee out of range", k);
	if (k->late_fee_ppm > 1000000)
		fail("a late fee above 100% a day", k);
	check_reminders(k, k->due_soon_days, k->n_due_soon_days);
	check_reminders(k, k->notice_reminder_days, k->n_notice_reminder_days);
	check_installments(k, k->installments, k->n_installments);
	for (i = 0; i < k->n_term_schedules; i++) {
		if (i > 0 &&
		    k->term_schedules[i].term <= k->term_schedules[i - 1].term)
			fail("term schedules not sorted by term", k);
		check_installments(k, k->term_schedules[i].installments,
				   k->term_schedules[i].n_installments);
	}
	for (i = 0; i < k->n_circuits; i++) {
		const struct ll_circuit *c = &k->circuits[i];

		if (c->index < 1 ||
		    (i > 0 && c->index <= k->circuits[i - 1].index))
			fail("circuits not sorted by a unique index >= 1", k);
		if (c->rate_up == 0 || c->rate_down == 0)
			fail("a circuit with a rate of zero", k);
		if (!is_text(c->id) || c->a_end == NULL || c->z_end == NULL)
			fail("a circuit without its strings", k);
	}
}

static void
check_model(const struct ll_model *m)
{
	size_t i, j, circuits = 0, installments = 0;

	if (m->n_contracts < 1 || m->contracts == NULL)
		fail("a model without a contract", NULL);
	for (i = 0; i < m->n_contracts; i++) {
		const struct ll_contract *k = &m->contracts[i];

		check_contract(k);
		if (i > 0 && k->index <= m->contracts[i - 1].index)
			fail("contracts not sorted by a unique index", k);
		for (j = 0; j < i; j++)
			if (strcmp(m->contracts[j].number, k->number) == 0)
				fail("a contract number twice", k);
		circuits += k->n_circuits;
		installments += k->n_installments;
	}
	if (circuits != m->n_circuits || installments != m->n_installments)
		fail("the model's totals are not the contracts' sums", NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[CONFIG_ERRLEN];
	struct ll_model *m;

	write_input(data, size);
	memset(err, 'X', sizeof(err));
	m = config_load(file_path, err, sizeof(err));
	if (memchr(err, '\0', sizeof(err)) == NULL)
		fail("the message is not NUL-terminated", NULL);
	if (m == NULL) {
		if (err[0] == '\0')
			fail("a refusal without a message", NULL);
		return 0;
	}
	if (err[0] != '\0')
		fail("an acceptance with a message", NULL);
	check_model(m);
	model_free(m);
	return 0;
}
