/*
 * One CUnit suite per module.  Each function adds its suite to the
 * registry and returns 0, or -1 when CUnit fails to add it.
 */
#ifndef COSTSHARE_TEST_SUITES_H
#define COSTSHARE_TEST_SUITES_H

int suite_money(void);
int suite_table(void);
int suite_model(void);
int suite_headcount(void);
int suite_allocate(void);
int suite_budget(void);
int suite_lcssb(void);
int suite_diag(void);
int suite_util(void);
int suite_report(void);
int suite_scenario(void);
int suite_transition(void);
int suite_compare(void);
int suite_simulate(void);
int suite_roster(void);
int suite_store(void);
int suite_jobs(void);
int suite_procs(void);

#endif
