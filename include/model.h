/*
 * model: a model file (INI, read with libinih) turned into a validated,
 * immutable description of one cost-sharing methodology and its inputs.
 *
 * Paths in the file are relative to the model file.  Unknown sections and
 * keys, repeated keys and bad values are errors with the file and line.
 */
#ifndef COSTSHARE_MODEL_H
#define COSTSHARE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "money.h"
#include "table.h"

/* Shares and percentages are integers in units of 10^-8 of the whole, so
 * "12.5" per cent is 12,500,000 and the whole pool is SHARE_SCALE. */
#define SHARE_SCALE INT64_C(100000000)
#define SHARE_PERCENT_DECIMALS 6

/* JFA: one system-wide pool.  LCSSB: one budget per country, each line
 * shared among the organisations present in that country. */
enum model_kind { MODEL_JFA, MODEL_LCSSB };

/* Headcount basis: every duty station, or only the duty stations that
 * are not headquarters. */
enum model_basis { MODEL_BASIS_TOTAL, MODEL_BASIS_FIELD };

/* Column roles of each input file, with the default header names. */
enum {
    HEADCOUNT_ORGANISATION, /* "organisation" */
    HEADCOUNT_COUNTRY,      /* "country" */
    HEADCOUNT_DUTY_STATION, /* "duty_station", optional */
    HEADCOUNT_COUNT,        /* "headcount" */
    HEADCOUNT_NCOLUMNS
};
enum {
    HEADQUARTERS_ORGANISATION, /* "organisation": a code or "*" */
    HEADQUARTERS_COUNTRY,      /* "country" */
    HEADQUARTERS_DUTY_STATION, /* "duty_station" */
    HEADQUARTERS_NCOLUMNS
};
enum {
    BUDGET_LINE,        /* "line" */
    BUDGET_DESCRIPTION, /* "description", optional */
    BUDGET_OBJECT,      /* "object", optional: object of expenditure */
    BUDGET_AMOUNT,      /* "amount" */
    BUDGET_COUNTRY,     /* "country": required for lcssb */
    BUDGET_EXCLUDED,    /* "excluded", optional: codes split by , or ; */
    BUDGET_INCLUDED,    /* "included", optional: the only participants */
    BUDGET_NCOLUMNS
};
enum {
    AGENCY_COUNTRY, /* "country" */
    AGENCY_AGENCY,  /* "agency": the administering agency's code */
    AGENCY_NCOLUMNS
};
enum {
    ACTUAL_LINE,        /* "line", optional: the budget line spent on */
    ACTUAL_OBJECT,      /* "object", optional: object of expenditure */
    ACTUAL_COUNTRY,     /* "country", optional; lcssb */
    ACTUAL_MONTH,       /* "month", optional: YYYY-MM */
    ACTUAL_AMOUNT,      /* "amount" */
    ACTUAL_COMMITMENTS, /* "commitments", optional: obligated, unspent */
    ACTUAL_NCOLUMNS
};
enum {
    ROSTER_ORGANISATION,  /* "organisation" */
    ROSTER_ENTITY,        /* "entity", optional: a part of the organisation */
    ROSTER_DUTY_STATION,  /* "duty_station" */
    ROSTER_COUNTRY,       /* "country" */
    ROSTER_CONTRACT_TYPE, /* "contract_type" */
    ROSTER_START_DATE,    /* "start_date": YYYY-MM-DD */
    ROSTER_END_DATE,      /* "end_date": YYYY-MM-DD, empty when open */
    ROSTER_GRADE,         /* "grade", optional, not used */
    ROSTER_NCOLUMNS
};
enum {
    POST_CATEGORY,   /* "category": grade or category of posts */
    POST_AUTHORISED, /* "authorised": posts in the budget */
    POST_ENCUMBERED, /* "encumbered": posts filled */
    POST_NCOLUMNS
};
#define MODEL_MAX_COLUMNS 8

/* Footer rows of a budget file (a row without a line code). */
enum model_footer {
    MODEL_FOOTER_REJECT,       /* an error */
    MODEL_FOOTER_CONTROL_TOTAL /* the last row, checked against the sum */
};

/* One CSV input and how to read it. */
struct model_input {
    int present;
    char *path;     /* path to open */
    char *display;  /* path shown in messages */
    long line;      /* line of the model that named the file */
    char *named_by; /* "FILE:LINE" of that line, for messages */
    enum table_encoding encoding;
    char delimiter;   /* 0: taken from the header line */
    long header_line; /* 0: searched */
    struct money_parse_options number;
    struct table_column columns[MODEL_MAX_COLUMNS]; /* names owned */
    size_t ncolumns;
};

/* A flat band: an organisation whose headcount share is below UPPER (and
 * at or above the previous band's UPPER) pays AMOUNT instead. */
struct model_band {
    int64_t upper;  /* share, SHARE_SCALE units */
    int64_t amount; /* minor units */
};

/* A negotiated share of the pool for one organisation. */
struct model_fixed {
    char *organisation;
    int64_t share; /* SHARE_SCALE units */
    long line;     /* line of the model, for messages */
};

/* A change a scenario makes to the inputs, applied in order after they
 * are read.  Codes are upper case; "*" stands for every one. */
enum model_change_kind {
    MODEL_ADD_LINE,        /* add a budget line: LINE, AMOUNT, TEXT */
    MODEL_REMOVE_LINE,     /* remove budget line LINE */
    MODEL_SCALE_LINE,      /* budget line LINE ("*": all) times PERCENT */
    MODEL_SET_HEADCOUNT,   /* headcount of ORGANISATION in COUNTRY: AMOUNT */
    MODEL_CHANGE_HEADCOUNT /* the same, changed by PERCENT (+ or -) */
};

struct model_change {
    enum model_change_kind kind;
    char *organisation; /* "*" for every organisation */
    char *country;      /* "*" for every country; "" when not given */
    char *line;         /* budget line code, or "*" */
    char *text;         /* description of an added line */
    int64_t amount;     /* ADD: minor units; SET: persons */
    int64_t percent;    /* SCALE, CHANGE: SHARE_SCALE units, 100 % = 1 */
    char *file;         /* where the change is written, for messages */
    long line_number;
};

/* An entity left out of the count: ENTITY of ORGANISATION, or of every
 * organisation when ORGANISATION is "".  Both upper case. */
struct model_exclusion {
    char *organisation;
    char *entity;
};

/* The eligibility rules of a roster.  A person counts when appointed on
 * AS_AT, on a contract of one of the CONTRACT_TYPES (all when there are
 * none), for at least MIN_MONTHS, and not in an excluded entity. */
struct model_eligibility {
    long as_at;            /* days from 1970-01-01 */
    char **contract_types; /* upper case */
    size_t ncontract_types;
    long min_months; /* 0: any length */
    struct model_exclusion *excluded;
    size_t nexcluded;
};

/* Reports how far the reading of a large roster has come. */
typedef void (*model_progress)(void *context, unsigned long long done,
                               unsigned long long total);

/* Transition rules, which limit the change from previous shares. */
enum model_transition_kind {
    MODEL_TRANSITION_NONE,
    MODEL_PHASE_IN,     /* year K of N moves K/N of the way */
    MODEL_MAX_CHANGE,   /* no share moves more than POINTS */
    MODEL_HOLD_HARMLESS /* changes below POINTS are not applied */
};

struct model_transition {
    enum model_transition_kind kind;
    long years, year;            /* phase_in: N and K */
    int64_t points;              /* percentage points, SHARE_SCALE units */
    struct model_input previous; /* organisation, amount, optional pool */
    int from_store;              /* previous shares from the store's run of the
                                    previous period instead of a file */
};

struct model {
    char *path;       /* the model file as given */
    char *display;    /* the same, as shown in messages */
    char *name;       /* of the last scenario applied, or of the model */
    char *model_name; /* the [model] name */
    char **scenarios; /* names of the scenarios applied, in order */
    size_t nscenarios;
    char **files;      /* every file the model was laid from, to open:
                          the model first, then the scenarios in order */
    char **file_names; /* the same, as shown in messages */
    size_t nfiles;
    struct model_change *changes;
    size_t nchanges;
    struct model_transition transition;
    const char *store_path; /* set by the caller for a transition whose
                               previous shares come from the store */
    enum model_kind kind;
    char *period;
    char currency[4];
    unsigned decimals; /* minor-unit digits of the currency */

    struct model_input headcount;
    struct model_input roster; /* personnel records, instead of headcount */
    struct model_eligibility eligibility;

    /* Set by the caller for reading a roster; zero values are defaults. */
    unsigned threads;        /* 0: one per processor, at most 2 */
    model_progress progress; /* called while reading, or NULL */
    void *progress_context;
    int roster_no_digest;       /* skip the roster's SHA-256 */
    unsigned roster_part_bytes; /* smallest part a thread reads; 0: 4 KiB
                                   with threads set, else 1 MiB */
    struct model_input headquarters;
    struct model_input budget;
    struct model_input agencies; /* lcssb: administering agencies */
    struct model_input actuals;  /* actual expenditure, optional */
    struct model_input posts;    /* authorised and encumbered posts */

    int has_actual_amount;
    int64_t actual_amount;     /* minor units, when no actuals file */
    int64_t under_spent;       /* SHARE_SCALE units: flag a line that used
                                  less than 100 % minus this; 0: off */
    char *posts_object;        /* object of expenditure of post costs */
    int first_year, last_year; /* the period as years, 0 if not years */

    int has_budget_amount;
    int64_t budget_amount; /* minor units, when no budget file */
    int has_control_total;
    int64_t control_total; /* minor units */
    long control_total_line;
    enum model_footer footer;

    enum model_basis basis;
    int64_t floor; /* minor units; 0: none */
    struct model_band *bands;
    size_t nbands;
    int64_t cap; /* share, SHARE_SCALE units; 0: none */
    struct model_fixed *fixed;
    size_t nfixed;
};

/*
 * Read and validate the model file at PATH.  A scenario file is laid on
 * the model or scenario its base key names.  Returns 0 with M filled, -1
 * on invalid content (errors in D, M released), or -2 when a file cannot
 * be read.
 */
int model_load(struct model *m, const char *path, struct diag *d);

/*
 * Read the model or scenario at PATH and lay the NSCENARIOS scenario files
 * SCENARIOS on it, in order; their base keys are not followed.  Returns
 * as model_load().
 */
int model_load_stack(struct model *m, const char *path, char *const *scenarios,
                     size_t nscenarios, struct diag *d);

void model_release(struct model *m);

/* Fill SPEC to read input IN; the strings stay owned by IN. */
void model_input_spec(const struct model_input *in, struct table_spec *spec);

/* Return the file the headcount comes from, as shown in messages: the
 * roster when the model reads one, else the headcount table. */
const char *model_headcount_file(const struct model *m);

/* Return the name of BASIS ("total" or "field"). */
const char *model_basis_name(enum model_basis basis);

/*
 * Return the minor-unit digits of an ISO 4217 currency CODE, or -1 when
 * the code is not in the built-in list.
 */
int model_currency_decimals(const char *code);

#endif
