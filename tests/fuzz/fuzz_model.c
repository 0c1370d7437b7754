/*
 * libFuzzer harness for model: the input bytes are written to model.ini
 * and, when they contain a line "%%", split there, the part after it to
 * scenario.ini, both in one scratch folder.
 *
 * Each input runs model_load() on model.ini, then model_load_stack()
 * with one scenario: scenario.ini laid on model.ini, or without a split,
 * model.ini laid as a scenario on base.ini, a fixed valid jfa model.  A
 * split input also runs model_load() on scenario.ini, which follows its
 * base key (base = model.ini names the other part).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz_files.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The line that separates model.ini from scenario.ini in an input. */
#define SPLIT_LINE "\n%%\n"

static const char base_model[] = "[model]\n"
                                 "name = base\n"
                                 "kind = jfa\n"
                                 "period = 2020\n"
                                 "currency = USD\n"
                                 "[headcount]\n"
                                 "file = headcount.csv\n"
                                 "[budget]\n"
                                 "amount = 1000.00\n"
                                 "[rules]\n"
                                 "basis = total\n";

static FILE *null_stream;
static char model_path[128];
static char scenario_path[128];
static char base_path[128];

static void prepare_folder(void)
{
    const char *folder = fuzz_scratch_folder();

    snprintf(model_path, sizeof model_path, "%s/model.ini", folder);
    snprintf(scenario_path, sizeof scenario_path, "%s/scenario.ini", folder);
    snprintf(base_path, sizeof base_path, "%s/base.ini", folder);
    fuzz_write_file(base_path, (const uint8_t *)base_model,
                    sizeof base_model - 1);
    null_stream = fopen("/dev/null", "w");
    if (null_stream == NULL)
        abort();
}

/* Load PATH, with SCENARIO laid on it unless NULL, then release the model
 * and its diagnostics. */
static void load(const char *path, char *scenario)
{
    struct model m;
    struct diag d;
    int status;

    diag_init(&d);
    if (scenario != NULL)
        status = model_load_stack(&m, path, &scenario, 1, &d);
    else
        status = model_load(&m, path, &d);
    if (status == -1 && d.errors == 0)
        abort(); /* invalid content must come with an error */
    if (status == 0 && d.errors > 0)
        abort(); /* an error must make the load fail */
    if (status == 0) {
        struct table_spec spec;

        model_input_spec(&m.headcount, &spec);
        (void)model_basis_name(m.basis);
        model_release(&m);
    }
    diag_print(&d, null_stream);
    diag_release(&d);
}

static const uint8_t *find_split(const uint8_t *data, size_t size)
{
    size_t length = strlen(SPLIT_LINE);

    for (size_t i = 0; i + length <= size; i++)
        if (memcmp(data + i, SPLIT_LINE, length) == 0)
            return data + i;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *split;

    if (model_path[0] == '\0')
        prepare_folder();
    split = find_split(data, size);
    if (split == NULL) {
        fuzz_write_file(model_path, data, size);
        load(model_path, NULL);
        load(base_path, model_path);
        return 0;
    }

    /* Keep the newline before the split line in model.ini. */
    fuzz_write_file(model_path, data, (size_t)(split - data) + 1);
    fuzz_write_file(scenario_path, split + strlen(SPLIT_LINE),
                    size - (size_t)(split - data) - strlen(SPLIT_LINE));
    load(model_path, NULL);
    load(model_path, scenario_path);
    load(scenario_path, NULL);
    return 0;
}
