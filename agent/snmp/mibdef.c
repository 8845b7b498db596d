/*
 * mibdef.c: LEASELINE-MIB's objects and notifications as data (see
 * mibdef.h).  Numbers are only ever named here (enum mib_object, enum
 * mib_notification): the rows say which group, name, syntax, labels and
 * OBJECTS go with each.  tests/unit/test_mibdef holds this table and
 * mibs/LEASELINE-MIB.txt to each other, both ways.
 */
#include <stdio.h>
#include <string.h>

#include "snmp/mibdef.h"

const unsigned long mibdef_root[] = {MIBDEF_ROOT_ARCS};
const size_t mibdef_root_len = sizeof(mibdef_root) / sizeof(mibdef_root[0]);

#define MIBDEF_LABELS(a)  a, (unsigned int)(sizeof(a) / sizeof((a)[0]))
#define MIBDEF_CARRIES(a) a, sizeof(a) / sizeof((a)[0])

/* Enumerations, by value: [0] is no value of any of them. */
static const char *const mibdef_labels_ledger_state[] = {
    [1] = "ok", [2] = "unreachable"};
static const char *const mibdef_labels_contract_payment_method[] = {
    [1] = "cash", [2] = "bankTransfer", [3] = "directDebit", [4] = "other"};
static const char *const mibdef_labels_contract_billing_state[] = {
    [1] = "upToDate",
    [2] = "dueSoon",
    [3] = "overdue",
    [4] = "suspended",
    [5] = "terminationPossible",
    [6] = "terminated"};
static const char *const mibdef_labels_contract_service_state[] = {
    [1] = "active",
    [2] = "suspended",
    [3] = "terminationPossible",
    [4] = "terminated",
    [5] = "suspensionDue"};
static const char *const mibdef_labels_contract_suspension_reason[] = {
    [1] = "none",	    [2] = "nonpayment", [3] = "violation",
    [4] = "administrative", [5] = "regulatory", [6] = "transit",
    [7] = "misuse"};
static const char *const mibdef_labels_circuit_service_type[] = {
    [1] = "dedicatedLine",
    [2] = "internet",
    [3] = "vpn",
    [4] = "eGovernment",
    [5] = "other"};
static const char *const mibdef_labels_circuit_state[] = {[1] = "active",
							  [2] = "suspended",
							  [3] = "terminated",
							  [4] = "planned",
							  [5] = "ceased"};
static const char *const mibdef_labels_installment_state[] = {
    [1] = "pending", [2] = "dueSoon", [3] = "overdue", [4] = "paid"};

/* In OID order: llAgent, then each table's entry, column by column. */
const struct mibdef_object mibdef_objects[] = {
    {MIBDEF_AGENT, MIB_AGENT_VERSION, "llAgentVersion", MIBDEF_TEXT, NULL, 0},
    {MIBDEF_AGENT, MIB_CONFIG_FILE, "llConfigFile", MIBDEF_TEXT, NULL, 0},
    {MIBDEF_AGENT, MIB_CONFIG_LOADED_AT, "llConfigLoadedAt", MIBDEF_DATE, NULL,
     0},
    {MIBDEF_AGENT, MIB_CONFIG_RELOADS, "llConfigReloads", MIBDEF_COUNTER32,
     NULL, 0},
    {MIBDEF_AGENT, MIB_CONFIG_REJECTS, "llConfigRejects", MIBDEF_COUNTER32,
     NULL, 0},
    {MIBDEF_AGENT, MIB_CONFIG_LAST_ERROR, "llConfigLastError", MIBDEF_TEXT,
     NULL, 0},
    {MIBDEF_AGENT, MIB_EVALUATION_DATE, "llEvaluationDate", MIBDEF_DATE, NULL,
     0},
    {MIBDEF_AGENT, MIB_CONTRACT_COUNT, "llContractCount", MIBDEF_GAUGE32, NULL,
     0},
    {MIBDEF_AGENT, MIB_CIRCUIT_COUNT, "llCircuitCount", MIBDEF_GAUGE32, NULL,
     0},
    {MIBDEF_AGENT, MIB_INSTALLMENT_COUNT, "llInstallmentCount", MIBDEF_GAUGE32,
     NULL, 0},
    {MIBDEF_AGENT, MIB_LEDGER_STATE, "llLedgerState", MIBDEF_ENUM,
     MIBDEF_LABELS(mibdef_labels_ledger_state)},
    {MIBDEF_AGENT, MIB_LEDGER_LAST_ERROR, "llLedgerLastError", MIBDEF_TEXT,
     NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_INDEX, "llContractIndex", MIBDEF_UNSIGNED32,
     NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NUMBER, "llContractNumber", MIBDEF_TEXT,
     NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TITLE, "llContractTitle", MIBDEF_TEXT, NULL,
     0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_CUSTOMER, "llContractCustomer", MIBDEF_TEXT,
     NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_PROVIDER, "llContractProvider", MIBDEF_TEXT,
     NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SERVICE_LOCATION,
     "llContractServiceLocation", MIBDEF_TEXT, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SIGNED_DATE, "llContractSignedDate",
     MIBDEF_DATE, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_SINCE_SIGNED,
     "llContractDaysSinceSigned", MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERM_START, "llContractTermStart",
     MIBDEF_DATE, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERM_END, "llContractTermEnd", MIBDEF_DATE,
     NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_TO_TERM_END, "llContractDaysToTermEnd",
     MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERM_NUMBER, "llContractTermNumber",
     MIBDEF_UNSIGNED32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_AUTO_RENEW, "llContractAutoRenew",
     MIBDEF_TRUTH, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NOTICE_DAYS, "llContractNoticeDays",
     MIBDEF_UNSIGNED32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NOTICE_DEADLINE, "llContractNoticeDeadline",
     MIBDEF_DATE, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_TO_NOTICE, "llContractDaysToNotice",
     MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NOTICE_GIVEN, "llContractNoticeGiven",
     MIBDEF_TRUTH, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_ANNUAL_FEE, "llContractAnnualFee",
     MIBDEF_MONEY, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_PAYMENT_METHOD, "llContractPaymentMethod",
     MIBDEF_ENUM, MIBDEF_LABELS(mibdef_labels_contract_payment_method)},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_LATE_FEE_RATE, "llContractLateFeeRate",
     MIBDEF_UNSIGNED32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPEND_AFTER_DAYS,
     "llContractSuspendAfterDays", MIBDEF_UNSIGNED32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATE_AFTER_DAYS,
     "llContractTerminateAfterDays", MIBDEF_UNSIGNED32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_BLOCKED_PORTS, "llContractBlockedPorts",
     MIBDEF_TEXT, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUPPORT_CONTACT, "llContractSupportContact",
     MIBDEF_TEXT, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_BILLING_STATE, "llContractBillingState",
     MIBDEF_ENUM, MIBDEF_LABELS(mibdef_labels_contract_billing_state)},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SERVICE_STATE, "llContractServiceState",
     MIBDEF_ENUM, MIBDEF_LABELS(mibdef_labels_contract_service_state)},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENSION_REASON,
     "llContractSuspensionReason", MIBDEF_ENUM,
     MIBDEF_LABELS(mibdef_labels_contract_suspension_reason)},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENSION_NOTE, "llContractSuspensionNote",
     MIBDEF_TEXT, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENDED_SINCE, "llContractSuspendedSince",
     MIBDEF_DATE, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_SUSPENDED, "llContractDaysSuspended",
     MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATION_DATE,
     "llContractTerminationDate", MIBDEF_DATE, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_TO_TERMINATION,
     "llContractDaysToTermination", MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_OUTSTANDING, "llContractOutstanding",
     MIBDEF_MONEY, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_OVERDUE_AMOUNT, "llContractOverdueAmount",
     MIBDEF_MONEY, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_LATE_FEE, "llContractLateFee", MIBDEF_MONEY,
     NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_OVERDUE, "llContractDaysOverdue",
     MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NEXT_DUE_DATE, "llContractNextDueDate",
     MIBDEF_DATE, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NEXT_DUE_AMOUNT, "llContractNextDueAmount",
     MIBDEF_MONEY, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_TO_NEXT_DUE, "llContractDaysToNextDue",
     MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_CIRCUIT_COUNT, "llContractCircuitCount",
     MIBDEF_GAUGE32, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATION_CHARGE,
     "llContractTerminationCharge", MIBDEF_MONEY, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATION_CHARGE_BASIS,
     "llContractTerminationChargeBasis", MIBDEF_TEXT, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_RECLAIM_DATE, "llContractReclaimDate",
     MIBDEF_DATE, NULL, 0},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_TO_RECLAIM, "llContractDaysToReclaim",
     MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_INDEX, "llCircuitIndex", MIBDEF_UNSIGNED32,
     NULL, 0},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_ID, "llCircuitId", MIBDEF_TEXT, NULL, 0},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_CONTRACT_NUMBER, "llCircuitContractNumber",
     MIBDEF_TEXT, NULL, 0},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_GROUP, "llCircuitGroup", MIBDEF_TEXT, NULL,
     0},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_CLAUSE, "llCircuitClause", MIBDEF_TEXT, NULL,
     0},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_SERVICE_TYPE, "llCircuitServiceType",
     MIBDEF_ENUM, MIBDEF_LABELS(mibdef_labels_circuit_service_type)},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_A_END, "llCircuitAEnd", MIBDEF_TEXT, NULL, 0},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_Z_END, "llCircuitZEnd", MIBDEF_TEXT, NULL, 0},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_RATE_UP, "llCircuitRateUp", MIBDEF_UNSIGNED32,
     NULL, 0},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_RATE_DOWN, "llCircuitRateDown",
     MIBDEF_UNSIGNED32, NULL, 0},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_STATE, "llCircuitState", MIBDEF_ENUM,
     MIBDEF_LABELS(mibdef_labels_circuit_state)},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_IF_INDEX, "llCircuitIfIndex",
     MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_INDEX, "llInstallmentIndex",
     MIBDEF_UNSIGNED32, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_CONTRACT_NUMBER,
     "llInstallmentContractNumber", MIBDEF_TEXT, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_TERM, "llInstallmentTerm",
     MIBDEF_UNSIGNED32, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_DUE_DATE, "llInstallmentDueDate",
     MIBDEF_DATE, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_DAYS_TO_DUE, "llInstallmentDaysToDue",
     MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_AMOUNT, "llInstallmentAmount",
     MIBDEF_MONEY, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_PAID, "llInstallmentPaid",
     MIBDEF_MONEY, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_OUTSTANDING,
     "llInstallmentOutstanding", MIBDEF_MONEY, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_PAID_DATE, "llInstallmentPaidDate",
     MIBDEF_DATE, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_DAYS_SINCE_PAID,
     "llInstallmentDaysSincePaid", MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_DAYS_OVERDUE,
     "llInstallmentDaysOverdue", MIBDEF_INTEGER32, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_LATE_FEE, "llInstallmentLateFee",
     MIBDEF_MONEY, NULL, 0},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_STATE, "llInstallmentState",
     MIBDEF_ENUM, MIBDEF_LABELS(mibdef_labels_installment_state)},
};
const size_t mibdef_n_objects =
    sizeof(mibdef_objects) / sizeof(mibdef_objects[0]);

const struct mibdef_group_def mibdef_groups[MIBDEF_N_GROUPS] = {
    {MIBDEF_AGENT, "llAgent", NULL, MIB_LEDGER_LAST_ERROR},
    {MIBDEF_CONTRACTS, "llContractTable", "llContractEntry",
     MIB_CONTRACT_DAYS_TO_RECLAIM},
    {MIBDEF_CIRCUITS, "llCircuitTable", "llCircuitEntry", MIB_CIRCUIT_IF_INDEX},
    {MIBDEF_INSTALLMENTS, "llInstallmentTable", "llInstallmentEntry",
     MIB_INSTALLMENT_STATE},
};

/* Each notification's OBJECTS, in the order of its NOTIFICATION-TYPE. */
static const struct mibdef_ref mibdef_carries_payment_due_soon[] = {
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NUMBER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_CUSTOMER},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_DUE_DATE},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_DAYS_TO_DUE},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_OUTSTANDING},
};
static const struct mibdef_ref mibdef_carries_payment_overdue[] = {
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NUMBER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_CUSTOMER},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_DUE_DATE},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_DAYS_OVERDUE},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_OUTSTANDING},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_LATE_FEE},
};
static const struct mibdef_ref mibdef_carries_contract_suspended[] = {
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NUMBER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_CUSTOMER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SERVICE_STATE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENSION_REASON},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENSION_NOTE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENDED_SINCE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_OVERDUE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_OVERDUE_AMOUNT},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_LATE_FEE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATION_DATE},
};
static const struct mibdef_ref mibdef_carries_contract_suspension_due[] = {
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NUMBER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_CUSTOMER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SERVICE_STATE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENSION_REASON},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_OVERDUE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_OVERDUE_AMOUNT},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_LATE_FEE},
};
static const struct mibdef_ref mibdef_carries_contract_restored[] = {
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NUMBER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_CUSTOMER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SERVICE_STATE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_OUTSTANDING},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_LATE_FEE},
};
static const struct mibdef_ref mibdef_carries_contract_termination_possible[] =
    {
	{MIBDEF_CONTRACTS, MIB_CONTRACT_NUMBER},
	{MIBDEF_CONTRACTS, MIB_CONTRACT_CUSTOMER},
	{MIBDEF_CONTRACTS, MIB_CONTRACT_SERVICE_STATE},
	{MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENSION_REASON},
	{MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENDED_SINCE},
	{MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_SUSPENDED},
	{MIBDEF_CONTRACTS, MIB_CONTRACT_OVERDUE_AMOUNT},
	{MIBDEF_CONTRACTS, MIB_CONTRACT_LATE_FEE},
	{MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATION_CHARGE},
	{MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATION_CHARGE_BASIS},
};
static const struct mibdef_ref mibdef_carries_contract_terminated[] = {
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NUMBER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_CUSTOMER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SERVICE_STATE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENSION_REASON},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENSION_NOTE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATION_CHARGE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATION_CHARGE_BASIS},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_RECLAIM_DATE},
};
static const struct mibdef_ref mibdef_carries_renewal_notice_due[] = {
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NUMBER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_CUSTOMER},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERM_END},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NOTICE_DEADLINE},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_TO_NOTICE},
};
static const struct mibdef_ref mibdef_carries_config_rejected[] = {
    {MIBDEF_AGENT, MIB_CONFIG_FILE},
    {MIBDEF_AGENT, MIB_CONFIG_LAST_ERROR},
    {MIBDEF_AGENT, MIB_CONFIG_REJECTS},
};

const struct mibdef_notification mibdef_notifications[] = {
    {MIB_PAYMENT_DUE_SOON, "llPaymentDueSoon",
     MIBDEF_CARRIES(mibdef_carries_payment_due_soon)},
    {MIB_PAYMENT_OVERDUE, "llPaymentOverdue",
     MIBDEF_CARRIES(mibdef_carries_payment_overdue)},
    {MIB_CONTRACT_SUSPENDED, "llContractSuspended",
     MIBDEF_CARRIES(mibdef_carries_contract_suspended)},
    {MIB_CONTRACT_SUSPENSION_DUE, "llContractSuspensionDue",
     MIBDEF_CARRIES(mibdef_carries_contract_suspension_due)},
    {MIB_CONTRACT_RESTORED, "llContractRestored",
     MIBDEF_CARRIES(mibdef_carries_contract_restored)},
    {MIB_CONTRACT_TERMINATION_POSSIBLE, "llContractTerminationPossible",
     MIBDEF_CARRIES(mibdef_carries_contract_termination_possible)},
    {MIB_CONTRACT_TERMINATED, "llContractTerminated",
     MIBDEF_CARRIES(mibdef_carries_contract_terminated)},
    {MIB_RENEWAL_NOTICE_DUE, "llRenewalNoticeDue",
     MIBDEF_CARRIES(mibdef_carries_renewal_notice_due)},
    {MIB_CONFIG_REJECTED, "llConfigRejected",
     MIBDEF_CARRIES(mibdef_carries_config_rejected)},
};
const size_t mibdef_n_notifications =
    sizeof(mibdef_notifications) / sizeof(mibdef_notifications[0]);

const struct mibdef_object *
mibdef_object(enum mibdef_group group, unsigned long number)
{
	for (size_t i = 0; i < mibdef_n_objects; i++)
		if (mibdef_objects[i].group == group &&
		    mibdef_objects[i].number == number)
			return &mibdef_objects[i];
	return NULL;
}

static bool
mibdef_is(const char *s, const char *name, size_t len)
{
	return s != NULL && strlen(s) == len && memcmp(s, name, len) == 0;
}

const struct mibdef_object *
mibdef_object_named(const char *name, size_t len)
{
	for (size_t i = 0; i < mibdef_n_objects; i++)
		if (mibdef_is(mibdef_objects[i].name, name, len))
			return &mibdef_objects[i];
	return NULL;
}

const char *
mibdef_label(const struct mibdef_object *o, long v)
{
	if (o == NULL || o->labels == NULL || v < 0 ||
	    (unsigned long)v >= o->n_labels)
		return NULL;
	return o->labels[v];
}

const struct mibdef_notification *
mibdef_notification(unsigned long n)
{
	for (size_t i = 0; i < mibdef_n_notifications; i++)
		if ((unsigned long)mibdef_notifications[i].number == n)
			return &mibdef_notifications[i];
	return NULL;
}

const struct mibdef_notification *
mibdef_notification_named(const char *name, size_t len)
{
	for (size_t i = 0; i < mibdef_n_notifications; i++)
		if (mibdef_is(mibdef_notifications[i].name, name, len))
			return &mibdef_notifications[i];
	return NULL;
}

const struct mibdef_group_def *
mibdef_group_named(const char *name, size_t len, bool *entry)
{
	for (size_t i = 0; i < MIBDEF_N_GROUPS; i++) {
		if (mibdef_is(mibdef_groups[i].name, name, len)) {
			*entry = false;
			return &mibdef_groups[i];
		}
		if (mibdef_is(mibdef_groups[i].entry, name, len)) {
			*entry = true;
			return &mibdef_groups[i];
		}
	}
	return NULL;
}

const char *
mibdef_root_dotted(void)
{
	/* Filled on first use; every caller writes the same bytes. */
	static char root[64]; /* 30 sub-identifiers fit */

	if (root[0] == '\0') {
		char s[64];
		size_t off = 0;

		for (size_t i = 0; i < mibdef_root_len; i++)
			off +=
			    (size_t)snprintf(s + off, sizeof(s) - off, "%s%lu",
					     i ? "." : "", mibdef_root[i]);
		memcpy(root, s, off + 1);
	}
	return root;
}
