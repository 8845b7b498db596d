/*
 * leaselined: the LEASELINE-MIB AgentX subagent.  main() only reads the
 * command line; the daemon is agent.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "daemon/agent.h"
#include "config/config.h"
#include "core/day.h"

static void
usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: leaselined [-f] [-n] [-d] [-c CONFIG] [-x AGENTX-SOCKET]\n"
	    "                  [-l LEDGER] [-p PIDFILE] [--date YYYY-MM-DD]\n"
	    "                  [--date-file FILE]\n"
	    "  -f              stay in the foreground, log to stderr\n"
	    "  -n              check the configuration and exit\n"
	    "  -d              more logging (twice: net-snmp debugging too)\n"
	    "  -c CONFIG       configuration (default %s)\n"
	    "  -x SOCKET       master agent's AgentX socket, as in snmpd\n"
	    "  -l LEDGER       ledger database (default %s)\n"
	    "  -p PIDFILE      write the process id there\n"
	    "  --date DAY      evaluate contracts on DAY, not today (also\n"
	    "                  the environment variable %s)\n"
	    "  --date-file F   evaluate on the day written in F (YYYY-MM-DD),\n"
	    "                  read again whenever F changes: for demos and\n"
	    "                  tests that move the day while it runs\n",
	    AGENT_DEFAULT_CONFIG, AGENT_DEFAULT_LEDGER, AGENT_DATE_ENV);
}

/* -n: the same loader as the daemon, so what passes here loads there. */
static int
check_config(const char *path)
{
	char err[CONFIG_ERRLEN];
	struct ll_model *model = config_load(path, err, sizeof(err));

	if (model == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	printf("%s: configuration OK: %zu contracts, %zu circuits, "
	       "%zu installments\n",
	       path, model->n_contracts, model->n_circuits,
	       model->n_installments);
	model_free(model);
	return 0;
}

static int
parse_date(const char *s, const char *where, ll_day *out)
{
	if (day_parse(s, out))
		return 0;
	fprintf(stderr,
		"leaselined: %s: \"%s\" is not a calendar date; "
		"expected YYYY-MM-DD\n",
		where, s);
	return -1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"date", required_argument, NULL, 'D'},
	    {"date-file", required_argument, NULL, 'F'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct agent_options opt = {
	    .config = AGENT_DEFAULT_CONFIG,
	    .ledger = AGENT_DEFAULT_LEDGER,
	    .fixed_day = LL_NO_DAY,
	};
	const char *env = getenv(AGENT_DATE_ENV);
	bool check = false;
	int ch;

	if (env != NULL && *env != '\0' &&
	    parse_date(env, AGENT_DATE_ENV, &opt.fixed_day) < 0)
		return 1;
	while ((ch = getopt_long(argc, argv, "fndc:x:l:p:hV", longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'f': opt.foreground = true; break;
		case 'n': check = true; break;
		case 'd': opt.debug++; break;
		case 'c': opt.config = optarg; break;
		case 'x': opt.agentx_socket = optarg; break;
		case 'l': opt.ledger = optarg; break;
		case 'p': opt.pidfile = optarg; break;
		case 'F': opt.date_file = optarg; break;
		case 'D':
			if (parse_date(optarg, "--date", &opt.fixed_day) < 0)
				return 1;
			break;
		case 'h': usage(stdout); return 0;
		case 'V':
			printf("leaselined %s\n", LEASELINE_VERSION);
			return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "leaselined: unexpected argument \"%s\"\n",
			argv[optind]);
		usage(stderr);
		return 1;
	}
	if (check)
		return check_config(opt.config);
	return agent_run(&opt);
}
