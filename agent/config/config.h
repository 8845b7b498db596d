/*
 * config.h: reads leaseline.conf (libconfig syntax, UTF-8) into a model;
 * the one public entry point of agent/config/ (parse_config() of OpenBSD's
 * daemons).
 */
#ifndef LL_CONFIG_H
#define LL_CONFIG_H

#include <stddef.h>

#include "core/model.h"

#define CONFIG_ERRLEN 1024

/* Where leaselined, its snmpd module and leaselinectl look by default,
 * and the variable that sets the day they evaluate on: here, below all
 * three, so that leaselinectl need not include the daemon's agent.h. */
#define LL_DEFAULT_CONFIG SYSCONFDIR "/leaseline/leaseline.conf"
#define LL_DEFAULT_LEDGER LOCALSTATEDIR "/lib/leaseline/ledger.db"
#define LL_DATE_ENV	  "LEASELINE_DATE"

/*
 * Loads the file at path and every "*.conf" of its include_dir, in name
 * order, and checks the whole model.  On success returns the model.  On
 * failure returns NULL and writes one message into err:
 *     FILE:LINE: FIELD: PROBLEM; expected WHAT
 * FIELD is the setting's path, e.g.
 *     contract JSCZE2208138CGN00: installments[2].due
 * so a person can find and fix it without reading the source.
 *
 * The model is the caller's, freed with model_free().  config_load() keeps
 * no state between calls and may run on any thread: service.c calls it on
 * its building side (the evaluation thread, in leaselined and in the snmpd
 * module), leaselined -n and leaselinectl on their main thread.  It starts
 * and joins short threads of its own to parse each file (config/cfg.h
 * says why).
 */
struct ll_model *config_load(const char *path, char *err, size_t errlen);

#endif
