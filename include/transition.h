/*
 * transition: limit the change of each organisation's share from its
 * previous share (phase in, maximum change, hold harmless), after the
 * model's rules have set the new amounts of a JFA pool.
 */
#ifndef COSTSHARE_TRANSITION_H
#define COSTSHARE_TRANSITION_H

#include "diag.h"
#include "jfa.h"

/*
 * Apply the model's transition rule to R, reading the previous shares it
 * names.  Organisations with a previous share but no new one join the
 * result.  The amounts still sum to the pool.  Returns 0 (also when the
 * model has no transition), -1 on invalid input (errors in D) or -2 on
 * a system error.
 */
int transition_apply(struct jfa_result *r, struct diag *d);

#endif
