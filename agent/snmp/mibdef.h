/*
 * mibdef.h: LEASELINE-MIB (mibs/LEASELINE-MIB.txt) described once, as data.
 *
 * Every number of the module lives here: the root OID, the arcs of its
 * groups and tables, each object's sub-identifier (enum mib_object) and
 * each notification's (enum mib_notification).  mibdef.c describes each
 * object and notification by these names (name, syntax, enumeration
 * labels, a notification's OBJECTS); the handler (mib.c), the
 * notifications (notify.c), leaseline-traphandle and check_leaseline all
 * read that description, and tests/unit/test_mibdef checks it against the
 * MIB text both ways.  To add a column: its number below, its row in
 * mibdef.c's table, its case in mib.c, its OBJECT-TYPE in the MIB.
 *
 * Pure data, no net-snmp: check_leaseline compiles mibdef.c in without
 * the agent library.  Everything is constant: any thread may read it.
 */
#ifndef LL_MIBDEF_H
#define LL_MIBDEF_H

#include <stdbool.h>
#include <stddef.h>

/* leaselineMIB ::= { netSnmpPlaypen 42 } (NET-SNMP-MIB's netSnmpPlaypen is
 * 1.3.6.1.4.1.8072.9999.9999).  The one place the module's OID is
 * written in C: a macro, so that net-snmp's oid arrays (mib.c,
 * check_leaseline) can be built from it at compile time. */
#define MIBDEF_ROOT_ARCS   1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 42
#define MIBDEF_ROOT_PARENT "netSnmpPlaypen"
#define MIBDEF_ROOT_NAME   "leaselineMIB"

/* Under leaselineMIB. */
#define MIBDEF_NOTIFICATIONS_ARC  0 /* llNotifications */
#define MIBDEF_NOTIFICATIONS_NAME "llNotifications"
#define MIBDEF_OBJECTS_ARC	  1 /* llObjects */
#define MIBDEF_OBJECTS_NAME	  "llObjects"
/* Under each table: its entry (llContractTable.1 = llContractEntry). */
#define MIBDEF_ENTRY_ARC 1

/* The groups of llObjects, each by its arc under llObjects. */
enum mibdef_group {
	MIBDEF_AGENT = 1,	 /* llAgent scalars (instance .0) */
	MIBDEF_CONTRACTS = 2,	 /* llContractTable, index llContractIndex */
	MIBDEF_CIRCUITS = 3,	 /* llCircuitTable, contract.circuit */
	MIBDEF_INSTALLMENTS = 4, /* llInstallmentTable, contract.installment */
};
#define MIBDEF_N_GROUPS 4

/* Every object, by the name the MIB gives it ("ll" dropped, CamelCase to
 * UPPER_SNAKE), = its sub-identifier under its group or table entry.
 * The values repeat across groups: an object is its group and number. */
enum mib_object {
	/* llAgent */
	MIB_AGENT_VERSION = 1,
	MIB_CONFIG_FILE = 2,
	MIB_CONFIG_LOADED_AT = 3,
	MIB_CONFIG_RELOADS = 4,
	MIB_CONFIG_REJECTS = 5,
	MIB_CONFIG_LAST_ERROR = 6,
	MIB_EVALUATION_DATE = 7,
	MIB_CONTRACT_COUNT = 8,
	MIB_CIRCUIT_COUNT = 9,
	MIB_INSTALLMENT_COUNT = 10,
	MIB_LEDGER_STATE = 11,
	MIB_LEDGER_LAST_ERROR = 12,
	/* llContractEntry */
	MIB_CONTRACT_INDEX = 1,
	MIB_CONTRACT_NUMBER = 2,
	MIB_CONTRACT_TITLE = 3,
	MIB_CONTRACT_CUSTOMER = 4,
	MIB_CONTRACT_PROVIDER = 5,
	MIB_CONTRACT_SERVICE_LOCATION = 6,
	MIB_CONTRACT_SIGNED_DATE = 7,
	MIB_CONTRACT_DAYS_SINCE_SIGNED = 8,
	MIB_CONTRACT_TERM_START = 9,
	MIB_CONTRACT_TERM_END = 10,
	MIB_CONTRACT_DAYS_TO_TERM_END = 11,
	MIB_CONTRACT_TERM_NUMBER = 12,
	MIB_CONTRACT_AUTO_RENEW = 13,
	MIB_CONTRACT_NOTICE_DAYS = 14,
	MIB_CONTRACT_NOTICE_DEADLINE = 15,
	MIB_CONTRACT_DAYS_TO_NOTICE = 16,
	MIB_CONTRACT_NOTICE_GIVEN = 17,
	MIB_CONTRACT_ANNUAL_FEE = 18,
	MIB_CONTRACT_PAYMENT_METHOD = 19,
	MIB_CONTRACT_LATE_FEE_RATE = 20,
	MIB_CONTRACT_SUSPEND_AFTER_DAYS = 21,
	MIB_CONTRACT_TERMINATE_AFTER_DAYS = 22,
	MIB_CONTRACT_BLOCKED_PORTS = 23,
	MIB_CONTRACT_SUPPORT_CONTACT = 24,
	MIB_CONTRACT_BILLING_STATE = 25,
	MIB_CONTRACT_SERVICE_STATE = 26,
	MIB_CONTRACT_SUSPENSION_REASON = 27,
	MIB_CONTRACT_SUSPENSION_NOTE = 28,
	MIB_CONTRACT_SUSPENDED_SINCE = 29,
	MIB_CONTRACT_DAYS_SUSPENDED = 30,
	MIB_CONTRACT_TERMINATION_DATE = 31,
	MIB_CONTRACT_DAYS_TO_TERMINATION = 32,
	MIB_CONTRACT_OUTSTANDING = 33,
	MIB_CONTRACT_OVERDUE_AMOUNT = 34,
	MIB_CONTRACT_LATE_FEE = 35,
	MIB_CONTRACT_DAYS_OVERDUE = 36,
	MIB_CONTRACT_NEXT_DUE_DATE = 37,
	MIB_CONTRACT_NEXT_DUE_AMOUNT = 38,
	MIB_CONTRACT_DAYS_TO_NEXT_DUE = 39,
	MIB_CONTRACT_CIRCUIT_COUNT = 40,
	MIB_CONTRACT_TERMINATION_CHARGE = 41,
	MIB_CONTRACT_TERMINATION_CHARGE_BASIS = 42,
	MIB_CONTRACT_RECLAIM_DATE = 43,
	MIB_CONTRACT_DAYS_TO_RECLAIM = 44,
	/* llCircuitEntry */
	MIB_CIRCUIT_INDEX = 1,
	MIB_CIRCUIT_ID = 2,
	MIB_CIRCUIT_CONTRACT_NUMBER = 3,
	MIB_CIRCUIT_GROUP = 4,
	MIB_CIRCUIT_CLAUSE = 5,
	MIB_CIRCUIT_SERVICE_TYPE = 6,
	MIB_CIRCUIT_A_END = 7,
	MIB_CIRCUIT_Z_END = 8,
	MIB_CIRCUIT_RATE_UP = 9,
	MIB_CIRCUIT_RATE_DOWN = 10,
	MIB_CIRCUIT_STATE = 11,
	MIB_CIRCUIT_IF_INDEX = 12,
	/* llInstallmentEntry */
	MIB_INSTALLMENT_INDEX = 1,
	MIB_INSTALLMENT_CONTRACT_NUMBER = 2,
	MIB_INSTALLMENT_TERM = 3,
	MIB_INSTALLMENT_DUE_DATE = 4,
	MIB_INSTALLMENT_DAYS_TO_DUE = 5,
	MIB_INSTALLMENT_AMOUNT = 6,
	MIB_INSTALLMENT_PAID = 7,
	MIB_INSTALLMENT_OUTSTANDING = 8,
	MIB_INSTALLMENT_PAID_DATE = 9,
	MIB_INSTALLMENT_DAYS_SINCE_PAID = 10,
	MIB_INSTALLMENT_DAYS_OVERDUE = 11,
	MIB_INSTALLMENT_LATE_FEE = 12,
	MIB_INSTALLMENT_STATE = 13,
};

/* Notifications, = their sub-identifier under llNotifications. */
enum mib_notification {
	MIB_PAYMENT_DUE_SOON = 1,
	MIB_PAYMENT_OVERDUE = 2,
	MIB_CONTRACT_SUSPENDED = 3,
	MIB_CONTRACT_RESTORED = 4,
	MIB_CONTRACT_TERMINATION_POSSIBLE = 5,
	MIB_RENEWAL_NOTICE_DUE = 6,
	MIB_CONFIG_REJECTED = 7,
	MIB_CONTRACT_TERMINATED = 8,
	MIB_CONTRACT_SUSPENSION_DUE = 9, /* issue 13 */
};

/* An object's SYNTAX, as far as a reader of its value needs it. */
enum mibdef_syntax {
	MIBDEF_TEXT,	  /* SnmpAdminString */
	MIBDEF_DATE,	  /* DateAndTime */
	MIBDEF_INTEGER32, /* Integer32 */
	MIBDEF_UNSIGNED32,
	MIBDEF_COUNTER32,
	MIBDEF_GAUGE32,
	MIBDEF_MONEY, /* LlMoney: Counter64 of fen */
	MIBDEF_TRUTH, /* TruthValue: true(1), false(2) */
	MIBDEF_ENUM,  /* INTEGER { label(n), ... } */
};

struct mibdef_object {
	enum mibdef_group group;
	unsigned int number; /* an enum mib_object */
	const char *name;    /* "llContractLateFee" */
	enum mibdef_syntax syntax;
	/* MIBDEF_ENUM: labels[v] is value v's label, NULL where none;
	 * n_labels is one past the highest value. */
	const char *const *labels;
	unsigned int n_labels;
};

/* An object a notification carries. */
struct mibdef_ref {
	enum mibdef_group group;
	unsigned int number;
};

struct mibdef_notification {
	enum mib_notification number;
	const char *name;		  /* "llContractSuspended" */
	const struct mibdef_ref *objects; /* its OBJECTS, in order */
	size_t n_objects;
};

struct mibdef_group_def {
	enum mibdef_group arc;
	const char *name;  /* "llAgent", "llContractTable" */
	const char *entry; /* "llContractEntry", NULL for llAgent */
	unsigned int last; /* its highest object number */
};

extern const struct mibdef_object mibdef_objects[];
extern const size_t mibdef_n_objects;
extern const struct mibdef_notification mibdef_notifications[];
extern const size_t mibdef_n_notifications;
extern const struct mibdef_group_def mibdef_groups[MIBDEF_N_GROUPS];

/* The object numbered number in group, or NULL. */
const struct mibdef_object *mibdef_object(enum mibdef_group group,
					  unsigned long number);
/* The object named name[0..len), or NULL. */
const struct mibdef_object *mibdef_object_named(const char *name, size_t len);
/* The label of value v of an enumerated object, or NULL. */
const char *mibdef_label(const struct mibdef_object *o, long v);
/* The notification numbered n, or named name[0..len); NULL if none. */
const struct mibdef_notification *mibdef_notification(unsigned long n);
const struct mibdef_notification *mibdef_notification_named(const char *name,
							    size_t len);
/* The group arc or the table named name[0..len) (llAgent, llContractTable,
 * llContractEntry...): its group, with *entry telling which; NULL if
 * none. */
const struct mibdef_group_def *mibdef_group_named(const char *name, size_t len,
						  bool *entry);

/* The root OID as numbers, and dotted ("1.3.6.1.4.1.8072.9999.9999.42"). */
extern const unsigned long mibdef_root[];
extern const size_t mibdef_root_len;
const char *mibdef_root_dotted(void);

#endif
