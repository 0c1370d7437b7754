/*
 * libFuzzer harness for roster: the input bytes are a roster file, read
 * under two models (field basis with every eligibility rule, and total
 * basis with none but the as-at date), each with one thread and with five
 * threads on parts of 16 bytes and more.
 *
 * Property: for each model, both readings give the same status, groups,
 * counts and messages; a difference aborts.  The counts must also add up:
 * every record is eligible or left out by exactly one rule.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz_files.h"
#include "model.h"
#include "roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const models[] = {
    "[model]\nname = f\nkind = jfa\nperiod = 2020\ncurrency = USD\n"
    "[roster]\nfile = roster.csv\n[eligibility]\nas_at = 2019-12-31\n"
    "contract_types = FT, CT\nmin_months = 12\n"
    "excluded_entities = UN:MINUSMA, X\n[headquarters]\nfile = hq.csv\n"
    "[budget]\namount = 1.00\n[rules]\nbasis = field\n",
    "[model]\nname = f\nkind = jfa\nperiod = 2020\ncurrency = USD\n"
    "[roster]\nfile = roster.csv\ndelimiter = semicolon\n"
    "encoding = windows-1252\n[eligibility]\nas_at = 2019-12-31\n"
    "[budget]\namount = 1.00\n[rules]\nbasis = total\n",
};

static char *model_paths[2];

static void set_up(void)
{
    const char *folder = fuzz_scratch_folder();
    static const char hq[] = "organisation,country,duty_station\n"
                             "*,USA,New York\n";
    char path[128];

    snprintf(path, sizeof path, "%s/hq.csv", folder);
    fuzz_write_file(path, (const uint8_t *)hq, sizeof hq - 1);
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/model%d.ini", folder, i);
        fuzz_write_file(path, (const uint8_t *)models[i], strlen(models[i]));
        model_paths[i] = strdup(path);
    }
}

/* Read the roster under the model at PATH; return the outcome as text. */
static char *read_roster(const char *path, unsigned threads)
{
    struct model m;
    struct roster r;
    struct diag d;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    int status;

    diag_init(&d);
    if (model_load(&m, path, &d) != 0)
        abort(); /* the models are fixed and valid */
    m.threads = threads;
    m.roster_part_bytes = 16;
    m.roster_no_digest = threads > 1;
    status = roster_read(&r, &m, &d);
    fprintf(out, "status %d\n", status);
    if (status == 0) {
        int64_t sum = 0;

        for (size_t i = 0; i < r.ngroups; i++) {
            fprintf(out, "%s|%s|%s|%lld|%ld\n", r.groups[i].organisation,
                    r.groups[i].country, r.groups[i].duty_station,
                    (long long)r.groups[i].eligible, r.groups[i].line);
            sum += r.groups[i].eligible;
        }
        if (sum != r.total.eligible ||
            r.total.records != r.total.eligible + r.total.entity +
                                   r.total.contract + r.total.not_appointed +
                                   r.total.too_short)
            abort();
        roster_release(&r);
    }
    diag_print(&d, out);
    fclose(out);
    diag_release(&d);
    model_release(&m);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128];

    if (model_paths[0] == NULL)
        set_up();
    snprintf(path, sizeof path, "%s/roster.csv", fuzz_scratch_folder());
    fuzz_write_file(path, data, size);
    for (int i = 0; i < 2; i++) {
        char *one_thread = read_roster(model_paths[i], 1);
        char *five_threads = read_roster(model_paths[i], 5);

        if (strcmp(one_thread, five_threads) != 0) {
            fprintf(stderr, "one thread:\n%s\nfive threads:\n%s\n", one_thread,
                    five_threads);
            abort();
        }
        free(one_thread);
        free(five_threads);
    }
    return 0;
}
