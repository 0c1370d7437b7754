/*
 * Runs every CUnit suite.  The exit status is 0 only when every test
 * passes, so make and CI see a failure.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    int (*const suites[])(void) = {
        suite_money,    suite_table,    suite_model,    suite_headcount,
        suite_allocate, suite_budget,   suite_lcssb,    suite_diag,
        suite_util,     suite_report,   suite_scenario, suite_transition,
        suite_compare,  suite_simulate, suite_roster,   suite_store,
        suite_jobs,     suite_procs,
    };
    unsigned failures;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 3;
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
        if (suites[i]() != 0) {
            fprintf(stderr, "unit-tests: %s\n", CU_get_error_msg());
            CU_cleanup_registry();
            return 3;
        }
    }

    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    printf("\n%u passed, %u failed\n",
           CU_get_number_of_tests_run() - CU_get_number_of_tests_failed(),
           CU_get_number_of_tests_failed());
    CU_cleanup_registry();
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
