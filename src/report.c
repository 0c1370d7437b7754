/*
 * report: shares.csv and the text summary of a JFA run.
 */
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outdir.h"
#include "util.h"

static mode_t current_umask(void)
{
    mode_t mask = umask(0);

    umask(mask);
    return mask;
}

/* Return whether text cell S gets an apostrophe, so that a spreadsheet
 * does not read it as a formula. */
static int needs_apostrophe(const char *s)
{
    return *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
}

void report_csv_text(FILE *f, const char *s)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;

    if (quote)
        fputc('"', f);
    if (needs_apostrophe(s))
        fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    if (quote)
        fputc('"', f);
}

void report_buffer_init(struct report_buffer *b, FILE *f)
{
    b->f = f;
    b->length = 0;
}

void report_buffer_flush(struct report_buffer *b)
{
    if (b->length > 0)
        fwrite(b->text, 1, b->length, b->f);
    b->length = 0;
}

void report_buffer_bytes(struct report_buffer *b, const char *s, size_t len)
{
    if (len > sizeof b->text - b->length) {
        report_buffer_flush(b);
        if (len > sizeof b->text) {
            fwrite(s, 1, len, b->f);
            return;
        }
    }
    memcpy(b->text + b->length, s, len);
    b->length += len;
}

void report_buffer_string(struct report_buffer *b, const char *s)
{
    report_buffer_bytes(b, s, strlen(s));
}

void report_buffer_char(struct report_buffer *b, char c)
{
    if (b->length == sizeof b->text)
        report_buffer_flush(b);
    b->text[b->length++] = c;
}

void report_buffer_csv_text(struct report_buffer *b, const char *s)
{
    size_t plain = strcspn(s, ",\"\r\n");

    /* Most cells are codes that need neither quotes nor an apostrophe. */
    if (s[plain] == '\0' && !needs_apostrophe(s)) {
        report_buffer_bytes(b, s, plain);
        return;
    }
    if (s[plain] != '\0')
        report_buffer_char(b, '"');
    if (needs_apostrophe(s))
        report_buffer_char(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            report_buffer_char(b, '"');
        report_buffer_char(b, *p);
    }
    if (s[plain] != '\0')
        report_buffer_char(b, '"');
}

void report_buffer_money(struct report_buffer *b, int64_t value,
                         unsigned decimals)
{
    if (sizeof b->text - b->length < MONEY_FORMAT_MAX)
        report_buffer_flush(b);
    money_format(b->text + b->length, value, decimals, 0);
    b->length += strlen(b->text + b->length);
}

static void write_shares_csv(FILE *f, const void *data)
{
    const struct jfa_result *r = data;
    const struct allocation *a = &r->allocation;
    unsigned decimals = r->model->decimals;
    char amount[MONEY_FORMAT_MAX], percent[MONEY_FORMAT_MAX];

    fputs("organisation,headcount,share_pct,amount,rule\n", f);
    for (size_t k = 0; k < r->n; k++) {
        report_csv_text(f, r->headcount.organisations[r->organisations[k]]);
        fprintf(
            f, ",%lld,%s,%s,%s\n", (long long)r->weights[k],
            money_format(percent, a->percent[k], ALLOCATE_PERCENT_DECIMALS, 0),
            money_format(amount, a->amount[k], decimals, 0),
            allocate_rule_name(a->rule[k]));
    }
}

void report_remove_stale(const char *dir, const char *name)
{
    DIR *folder = opendir(dir);
    size_t len = strlen(name);
    struct dirent *e;

    while (folder != NULL && (e = readdir(folder)) != NULL) {
        const char *p = e->d_name;
        char *end, *path;
        long pid;

        if (p[0] != '.' || strncmp(p + 1, name, len) != 0 || p[len + 1] != '.')
            continue;
        pid = strtol(p + len + 2, &end, 10);
        if (end == p + len + 2 || *end != '.' || strlen(end) != 7 ||
            pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        path = xasprintf("%s/%s", dir, p);
        unlink(path);
        free(path);
    }
    if (folder != NULL)
        closedir(folder);
}

/* The stdio buffer of an output file, in bytes: most reports take one
 * write(), and a 700 KB table about a dozen. */
#define WRITE_BUFFER_SIZE (64 * 1024)

/* Write DATA with WRITE to the new file open on FD, which is closed.
 * With SYNC, wait until it is on the disk.  Without, start writing it
 * and leave the wait to outdir_swap().  Returns 0, or -2 with an error
 * about TARGET in D. */
static int write_to_fd(int fd, const char *target, report_writer write,
                       const void *data, int sync, struct diag *d)
{
    FILE *f = fdopen(fd, "w");
    char *buffer;
    int status = 0;

    if (f == NULL) {
        diag_error(d, target, 0, 0, "cannot write: %s", strerror(errno));
        close(fd);
        return -2;
    }
    /* glibc ignores the size when setvbuf() is to allocate the buffer
     * itself, so it gets one. */
    buffer = xmalloc(WRITE_BUFFER_SIZE);
    setvbuf(f, buffer, _IOFBF, WRITE_BUFFER_SIZE);
    write(f, data);
    if (fflush(f) != 0 || ferror(f) || (sync && fsync(fd) != 0)) {
        diag_error(d, target, 0, 0, "cannot write: %s", strerror(errno));
        status = -2;
    }
    if (status == 0 && !sync) {
        int copy = dup(fd);

        outdir_start_writeback(fd);
        if (copy >= 0)
            outdir_flush_later(copy); /* else outdir_swap() reopens it */
    }
    if (fclose(f) != 0 && status == 0) {
        diag_error(d, target, 0, 0, "cannot write: %s", strerror(errno));
        status = -2;
    }
    free(buffer);
    return status;
}

/*
 * Write DIR/NAME in place, in the staging folder of the run.  The file
 * is new (O_EXCL), so nothing earlier is overwritten, and its mode is
 * 0666 less the umask, which open() applies.  It is not synced here,
 * because outdir_swap() flushes it by a copy of its descriptor before
 * anyone can see the folder.  A run killed halfway leaves only a staging
 * folder that is never swapped in and that the next run removes.
 */
static int write_in_staging(const char *dir, const char *target,
                            report_writer write, const void *data,
                            struct diag *d)
{
    int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
    int fd = open(target, flags, 0666);

    /* The first file of a folder creates it, so each folder is made
     * once, not once per file. */
    if (fd < 0 && errno == ENOENT &&
        (mkdir(dir, 0777) == 0 || make_folders(dir, 1) == 0))
        fd = open(target, flags, 0666);
    if (fd < 0) {
        diag_error(d, target, 0, 0, "cannot create: %s", strerror(errno));
        return -2;
    }
    if (write_to_fd(fd, target, write, data, 0, d) != 0) {
        unlink(target);
        return -2;
    }
    return 0;
}

/* Write DIR/NAME outside a staging folder: to a temporary file beside
 * it, synced, then renamed over it, so that a reader sees the old file
 * or the new one, never a part. */
static int replace_file(const char *dir, const char *name, const char *target,
                        report_writer write, const void *data, struct diag *d)
{
    char *temp = xasprintf("%s/.%s.%ld.XXXXXX", dir, name, (long)getpid());
    size_t len = strlen(temp);
    int fd = mkstemp(temp), status = -2;

    if (fd < 0 && errno == ENOENT) {
        if (make_folders(dir, 1) != 0) {
            diag_error(d, dir, 0, 0, "cannot create the output folder: %s",
                       strerror(errno));
            goto out;
        }
        /* A failed mkstemp leaves its last try in the template. */
        memcpy(temp + len - 6, "XXXXXX", 6);
        fd = mkstemp(temp);
    }
    if (fd < 0) {
        diag_error(d, target, 0, 0, "cannot create a temporary file: %s",
                   strerror(errno));
        goto out;
    }
    /* mkstemp creates the file 0600; give it the mode a new file gets. */
    if (fchmod(fd, 0666 & ~current_umask()) != 0) {
        diag_error(d, target, 0, 0, "cannot set the file mode: %s",
                   strerror(errno));
        close(fd);
        goto out;
    }
    if (write_to_fd(fd, target, write, data, 1, d) != 0)
        goto out;
    if (rename(temp, target) != 0) {
        diag_error(d, target, 0, 0, "cannot rename %s into place: %s", temp,
                   strerror(errno));
        goto out;
    }
    status = 0;
out:
    if (status != 0 && fd >= 0)
        unlink(temp);
    free(temp);
    return status;
}

int report_write_file(const char *dir, const char *name, report_writer write,
                      const void *data, struct diag *d)
{
    char *target = xasprintf("%s/%s", dir, name);
    int status = outdir_in_staging(dir)
                     ? write_in_staging(dir, target, write, data, d)
                     : replace_file(dir, name, target, write, data, d);

    free(target);
    return status;
}

int report_write_shares(const char *dir, const struct jfa_result *r,
                        struct diag *d)
{
    return report_write_file(dir, "shares.csv", write_shares_csv, r, d);
}

/* The percentages total 100, or 0 for a zero pool among zero weights,
 * where there is nothing to take a share of. */
static int percent_foots(const struct allocation *a)
{
    return a->percent_total == ALLOCATE_PERCENT_WHOLE ||
           (a->percent_total == 0 && a->pool == 0);
}

int report_check(const struct jfa_result *r, struct diag *d)
{
    const struct allocation *a = &r->allocation;
    char total[MONEY_FORMAT_MAX], pool[MONEY_FORMAT_MAX];
    int64_t amounts = 0, percents = 0;
    int ok = 1;

    /* Add the parts again rather than trust the totals kept with them. */
    for (size_t k = 0; k < a->n; k++) {
        amounts += a->amount[k];
        percents += a->percent[k];
    }
    if (amounts != a->pool || amounts != a->total) {
        diag_error(d, NULL, 0, 0,
                   "footing check failed: amounts sum to %s, pool is %s",
                   money_format(total, amounts, r->model->decimals, 1),
                   money_format(pool, a->pool, r->model->decimals, 1));
        ok = 0;
    }
    if (percents != a->percent_total || !percent_foots(a)) {
        diag_error(d, NULL, 0, 0,
                   "footing check failed: share_pct sums to %s, not 100",
                   money_format(total, a->percent_total,
                                ALLOCATE_PERCENT_DECIMALS, 0));
        ok = 0;
    }
    return ok ? 0 : -1;
}

char *report_percent_text(char *buf, int64_t share)
{
    size_t len;

    money_format(buf, share, SHARE_PERCENT_DECIMALS, 0);
    len = strlen(buf);
    while (len > 0 && buf[len - 1] == '0')
        buf[--len] = '\0';
    if (len > 0 && buf[len - 1] == '.')
        buf[--len] = '\0';
    return buf;
}

static void print_method(FILE *out, const struct jfa_result *r)
{
    const struct model *m = r->model;
    char amount[MONEY_FORMAT_MAX], share[MONEY_FORMAT_MAX];

    fprintf(out, "method: one pool shared by headcount, %s basis",
            model_basis_name(m->basis));
    if (m->basis == MODEL_BASIS_FIELD)
        fprintf(out, " (headquarters duty stations excluded)");
    if (m->floor > 0)
        fprintf(out, "; floor %s",
                money_format(amount, m->floor, m->decimals, 1));
    for (size_t i = 0; i < m->nbands; i++)
        fprintf(out, "; band below %s%% pays %s",
                report_percent_text(share, m->bands[i].upper),
                money_format(amount, m->bands[i].amount, m->decimals, 1));
    if (m->cap > 0)
        fprintf(out, "; cap %s%%", report_percent_text(share, m->cap));
    for (size_t i = 0; i < m->nfixed; i++)
        fprintf(out, "; %s fixed at %s%%", m->fixed[i].organisation,
                report_percent_text(share, m->fixed[i].share));
    fputc('\n', out);
}

static void print_inputs(FILE *out, const struct jfa_result *r)
{
    const struct model *m = r->model;
    char amount[MONEY_FORMAT_MAX];

    fprintf(out, "inputs:\n");
    fprintf(out, "  model         %s\n", m->display);
    fprintf(out, "  headcount     %s\n                sha256 %s\n",
            model_headcount_file(m), r->headcount.headcount_sha256);
    if (m->basis == MODEL_BASIS_FIELD)
        fprintf(out, "  headquarters  %s\n                sha256 %s\n",
                m->headquarters.display, r->headcount.headquarters_sha256);
    if (r->budget.from_file)
        fprintf(out, "  budget        %s\n                sha256 %s\n",
                m->budget.display, r->budget.sha256);
    else
        fprintf(out, "  budget        %s %s, set in the model\n",
                money_format(amount, r->budget.total, m->decimals, 1),
                m->currency);
    for (size_t i = 0; i < r->budget.nlines; i++) {
        const struct budget_line *l = &r->budget.lines[i];

        if (i == REPORT_MAX_LINES_SHOWN) {
            fprintf(out, "    and %zu more lines\n",
                    r->budget.nlines - REPORT_MAX_LINES_SHOWN);
            break;
        }
        fprintf(out, "    line %-12s %18s  %s\n", l->code,
                money_format(amount, l->amount, m->decimals, 1),
                l->description);
    }
}

static void print_headcount(FILE *out, const struct jfa_result *r)
{
    const struct headcount *h = &r->headcount;
    const struct model *m = r->model;
    char all[MONEY_FORMAT_MAX], basis[MONEY_FORMAT_MAX];
    char rows[MONEY_FORMAT_MAX];

    fprintf(out, "headcount: %s persons in %s rows",
            money_format(all, h->all_total, 0, 1),
            money_format(rows, (int64_t)h->ncells, 0, 1));
    if (m->basis == MODEL_BASIS_FIELD)
        fprintf(out,
                ", %s on the field basis (%zu rows at headquarters duty "
                "stations excluded)",
                money_format(basis, h->basis_total, 0, 1),
                h->headquarters_rows);
    fprintf(out, "\n");
    if (r->nuncharged == 0)
        return;
    fprintf(out, "not charged (no headcount on the %s basis):",
            model_basis_name(m->basis));
    for (size_t i = 0; i < r->nuncharged; i++)
        fprintf(out, " %s", h->organisations[r->uncharged[i]]);
    fprintf(out, "\n");
}

static void print_table(FILE *out, const struct jfa_result *r)
{
    const struct allocation *a = &r->allocation;
    unsigned decimals = r->model->decimals;
    char amount[MONEY_FORMAT_MAX], percent[MONEY_FORMAT_MAX];
    char persons[MONEY_FORMAT_MAX];
    int64_t weights = 0;

    fprintf(out, "\n%-14s %10s %9s %18s  %s\n", "organisation", "headcount",
            "share %", "amount", "rule");
    for (size_t k = 0; k < r->n; k++) {
        weights += r->weights[k];
        fprintf(
            out, "%-14s %10s %9s %18s  %s\n",
            r->headcount.organisations[r->organisations[k]],
            money_format(persons, r->weights[k], 0, 1),
            money_format(percent, a->percent[k], ALLOCATE_PERCENT_DECIMALS, 0),
            money_format(amount, a->amount[k], decimals, 1),
            allocate_rule_name(a->rule[k]));
    }
    fprintf(
        out, "%-14s %10s %9s %18s\n\n", "total",
        money_format(persons, weights, 0, 1),
        money_format(percent, a->percent_total, ALLOCATE_PERCENT_DECIMALS, 0),
        money_format(amount, a->total, decimals, 1));
}

void report_print_summary(FILE *out, const struct jfa_result *r)
{
    const struct model *m = r->model;
    const struct allocation *a = &r->allocation;
    char total[MONEY_FORMAT_MAX], pool[MONEY_FORMAT_MAX];
    char percent[MONEY_FORMAT_MAX];

    fprintf(out, "costshare %s: model %s (jfa), period %s, %s\n",
            COSTSHARE_VERSION, m->name, m->period, m->currency);
    print_method(out, r);
    print_inputs(out, r);
    print_headcount(out, r);
    print_table(out, r);

    fprintf(out, "check: amounts sum to %s, pool %s: %s\n",
            money_format(total, a->total, m->decimals, 1),
            money_format(pool, a->pool, m->decimals, 1),
            a->total == a->pool ? "ok" : "FAILED");
    fprintf(
        out, "check: share_pct sums to %s: %s\n",
        money_format(percent, a->percent_total, ALLOCATE_PERCENT_DECIMALS, 0),
        percent_foots(a) ? "ok" : "FAILED");
}
