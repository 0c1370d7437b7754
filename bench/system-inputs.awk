# Write the synthetic inputs of bench/system.sh into folder DIR:
#
#   awk -v dir=DIR -f bench/system-inputs.awk </dev/null
#
# 50 organisations (ORG01 to ORG50) and 190 countries (codes CAA to
# CHH), a headcount table with headquarters on the field basis, a JFA
# model with 36 budget lines, six months of actuals and posts, and an
# LCSSB model with 3 to 6 lines per country and three months of
# actuals.
#
# With -v ceb=FOLDER (the folder of the CEB 2019 headcount, given as an
# absolute path), the headcount is the real one instead: the models read
# FOLDER/duty_station_2019.csv and FOLDER/hq_duty_stations.csv as they
# are, and the countries and organisations of the budgets are the CEB
# file's (38 organisations, 192 countries, 1,923 pairs of the two).  The
# budgets are drawn as above.  The numbers come from the Park-Miller generator with a fixed
# seed, written out here because awk implementations differ in rand().
# NOTE: the output was checked to be the same from run to run with mawk
# 1.3.4 only; another awk should write the same bytes, but that is
# untested.
BEGIN {
    if (dir == "") {
        print "system-inputs.awk: set the output folder with -v dir=DIR" \
            > "/dev/stderr"
        exit 2
    }
    seed = 20201231
    norgs = 50
    ncountries = 190
    nhq = 6

    if (ceb != "")
        ceb_headcount()
    else
        headcount()
    jfa_budget()
    jfa_actuals()
    posts()
    lcssb_budget()
    agencies()
    models()
}

# Return the next number of the Park-Miller minimal standard generator,
# in 1 .. 2^31 - 2.  Every product stays below 2^53, so it is exact in
# the doubles awk computes with.
function next_random() {
    seed = (seed * 16807) % 2147483647
    return seed
}

# Return a whole number in LOW .. HIGH.
function uniform(low, high) {
    return low + next_random() % (high - low + 1)
}

function org_code(k) {
    return ceb != "" ? ceb_org[k] : sprintf("ORG%02d", k)
}

# Country I (0 .. 189) as C followed by two letters: CAA, CAB, ... CHH.
function country_code(i) {
    if (ceb != "")
        return ceb_country[i]
    return sprintf("C%c%c", 65 + int(i / 26), 65 + i % 26)
}

# Format cents as an amount with two decimals.
function money(cents) {
    return sprintf("%d.%02d", int(cents / 100), cents % 100)
}

# Organisation K is present in a country with a probability that falls
# with K: the first ten everywhere, the last ten in about one country in
# ten.  Its staff per duty station scale with its size.
function headcount(    file, hq, k, i, c, size, percent) {
    file = dir "/headcount.csv"
    hq = dir "/headquarters.csv"
    print "organisation,country,duty_station,headcount" > file
    print "organisation,country,duty_station" > hq
    for (k = 1; k <= norgs; k++) {
        size = k <= 10 ? 60 : k <= 25 ? 20 : k <= 40 ? 6 : 2
        percent = k <= 10 ? 100 : k <= 25 ? 70 : k <= 40 ? 35 : 10
        for (i = 0; i < ncountries; i++) {
            c = country_code(i)
            if (i == (k - 1) % nhq) {
                printf "%s,%s,Headquarters,%d\n", org_code(k), c,
                    size * uniform(20, 60) > file
                printf "%s,%s,Headquarters\n", org_code(k), c > hq
            } else if (uniform(1, 100) > percent) {
                continue
            }
            present[k, i] = 1
            printf "%s,%s,Capital,%d\n", org_code(k), c,
                size * uniform(1, 8) > file
            if (uniform(1, 2) == 1)
                printf "%s,%s,other duty stations,%d\n", org_code(k), c,
                    size * uniform(0, 12) > file
        }
    }
    close(file)
    close(hq)
}

# Read the CEB 2019 headcount: the countries in byte order of their
# codes, the organisations ranked by staff (most first, then by code),
# and which organisation has staff in which country.
function ceb_headcount(    file, line, f, n, k, i, j, t, code, rank) {
    file = ceb "/duty_station_2019.csv"
    n = 0
    while ((getline line < file) > 0) {
        sub(/\r$/, "", line)
        if (++n == 1)
            continue
        split(line, f, ",")
        if (!(f[3] in country_index)) {
            country_index[f[3]] = 0
            ceb_country[ncountries_read++] = f[3]
        }
        if (!(f[6] in staff))
            org_list[norgs_read++] = f[6]
        staff[f[6]] += f[7]
        pair[f[6], f[3]] = 1
    }
    close(file)
    sort_strings(ceb_country, ncountries_read)
    for (i = 0; i < ncountries_read; i++)
        country_index[ceb_country[i]] = i
    # Insertion sort of the organisations, most staff first.
    for (i = 1; i < norgs_read; i++) {
        code = org_list[i]
        for (j = i - 1; j >= 0 && before(code, org_list[j]); j--)
            org_list[j + 1] = org_list[j]
        org_list[j + 1] = code
    }
    for (k = 1; k <= norgs_read; k++) {
        ceb_org[k] = org_list[k - 1]
        rank[ceb_org[k]] = k
    }
    for (t in pair) {
        split(t, f, SUBSEP)
        present[rank[f[1]], country_index[f[2]]] = 1
        orgs_in[country_index[f[2]]]++
    }
    norgs = norgs_read
    ncountries = ncountries_read
}

# Return whether organisation A ranks before B: more staff, then code.
function before(a, b) {
    if (staff[a] != staff[b])
        return staff[a] > staff[b]
    return a < b
}

function sort_strings(list, n,    i, j, v) {
    for (i = 1; i < n; i++) {
        v = list[i]
        for (j = i - 1; j >= 0 && list[j] > v; j--)
            list[j + 1] = list[j]
        list[j + 1] = v
    }
}

function jfa_budget(    file, line, cents) {
    file = dir "/jfa_budget.csv"
    nobjects = split("posts;other staff costs;travel;contractual " \
        "services;general operating expenses;supplies and materials;" \
        "furniture and equipment;grants and contributions", object, ";")
    njfa = 36
    print "line,description,object,amount" > file
    for (line = 1; line <= njfa; line++) {
        cents = uniform(50000, 8000000) * 100 + uniform(0, 99)
        jfa_amount[line] = cents
        printf "J%02d,Budget line %d,%s,%s\n", line, line,
            object[(line - 1) % nobjects + 1], money(cents) > file
    }
    close(file)
}

# Each month spends a twelfth of the line, give or take a fifth.
function jfa_actuals(    file, line, month) {
    file = dir "/jfa_actuals.csv"
    print "line,month,amount" > file
    for (line = 1; line <= njfa; line++)
        for (month = 1; month <= 6; month++)
            printf "J%02d,2020-%02d,%s\n", line, month,
                money(int(jfa_amount[line] / 12 * uniform(80, 120) / 100)) \
                > file
    close(file)
}

function posts(    file) {
    file = dir "/posts.csv"
    print "category,authorised,encumbered" > file
    print "Professional,520,468" > file
    print "National Professional Officer,240,221" > file
    print "General Service,810,752" > file
    close(file)
}

# 3 to 6 lines per country out of eight kinds.  About one line in six
# leaves out one organisation present in the country, and about one in
# fifteen is shared only by two of them.
function lcssb_budget(    file, actuals, kinds, kind, i, c, n, j, cents,
                          list, month, excluded, first, second) {
    file = dir "/lcssb_budget.csv"
    actuals = dir "/lcssb_actuals.csv"
    kinds = split("SOC:Security operations centre:contractual services;" \
        "LSA:Local security assistants:posts;" \
        "ARV:Armoured vehicle pool:furniture and equipment;" \
        "RAD:Radio room:general operating expenses;" \
        "TRN:Security training:travel;" \
        "GRD:Guard force:contractual services;" \
        "MED:Medical evacuation cover:other staff costs;" \
        "SAF:Safe rooms:supplies and materials", kind, ";")
    print "country,line,description,object,amount,excluded,included" > file
    print "country,line,month,amount,commitments" > actuals
    for (i = 0; i < ncountries; i++) {
        c = country_code(i)
        n = uniform(3, 6)
        for (j = 1; j <= n; j++) {
            split(kind[j], part, ":")
            cents = uniform(5000, 400000) * 100 + uniform(0, 99)
            list = ","
            excluded = first = second = ""
            if (uniform(1, 12) <= 2) {
                excluded = present_org(i, 11, 50)
                list = sprintf("%s,", excluded)
            } else if (uniform(1, 12) == 1) {
                first = present_org(i, 1, 10)
                second = present_org(i, 11, 25)
                list = sprintf(",\"%s; %s\"", first, second)
            }
            if (ceb != "" && !usable(i, excluded, first, second))
                list = ","
            printf "%s,%s,%s,%s,%s,%s\n", c, part[1], part[2], part[3],
                money(cents), list > file
            for (month = 1; month <= 3; month++)
                printf "%s,%s,2020-%02d,%s,%s\n", c, part[1], month,
                    money(int(cents / 12 * uniform(70, 130) / 100)),
                    (month == 3 ? money(int(cents / 50)) : "") > actuals
        }
    }
    close(file)
    close(actuals)
}

# Return the first organisation in FROM .. TO with staff in country I,
# starting from a drawn one; ORG01, present everywhere, when none is.
# On the CEB headcount, TO stops at the last organisation, and the
# answer is empty when none is present.
function present_org(i, from, to,    start, k, step) {
    start = uniform(from, to)
    if (ceb != "" && to > norgs)
        to = norgs
    for (step = 0; step <= to - from; step++) {
        k = from + (start - from + step) % (to - from + 1)
        if ((k, i) in present)
            return org_code(k)
    }
    return ceb != "" ? "" : org_code(1)
}

# Return whether a line of country I may leave out EXCLUDED, or be
# shared by FIRST and SECOND only, on the CEB headcount: nobody is left
# out of a country with one organisation, the administering agency is
# never left out, and the two named must be there and differ.
function usable(i, excluded, first, second) {
    if (excluded != "")
        return orgs_in[i] >= 2 && excluded != agency_of(i)
    if (first != "" || second != "")
        return first != "" && second != "" && first != second
    return 1
}

# The administering agency of country I: ORG01, or on the CEB headcount
# the organisation with the most staff there.
function agency_of(i,    k) {
    if (ceb == "")
        return org_code(1)
    for (k = 1; k <= norgs; k++)
        if ((k, i) in present)
            return org_code(k)
}

# ORG01 is present everywhere and administers every country's budget;
# on the CEB headcount, the organisation with most staff in the country
# does.
function agencies(    file, i) {
    file = dir "/lcssb_agencies.csv"
    print "country,agency" > file
    for (i = 0; i < ncountries; i++)
        printf "%s,%s\n", country_code(i), agency_of(i) > file
    close(file)
}

# The models of 2020 with every report, and the same models for 2019
# without actuals, whose runs give the 2020 runs a previous period in
# the store and so a year_on_year.csv.
function models() {
    jfa_model("jfa-2020.ini", 2020, 1)
    jfa_model("jfa-2019.ini", 2019, 0)
    lcssb_model("lcssb-2020.ini", 2020, 1)
    lcssb_model("lcssb-2019.ini", 2019, 0)
}

# The [headcount] section: the synthetic table, or the CEB file read as
# it is published, with its own column names.
function headcount_section(file) {
    if (ceb == "") {
        print "[headcount]\nfile = headcount.csv\n" > file
        return
    }
    print "[headcount]\nfile = " ceb "/duty_station_2019.csv" > file
    print "column.organisation = ORGCD\ncolumn.country = ISO" > file
    print "column.duty_station = DS\ncolumn.headcount = Count\n" > file
}

function jfa_model(name, period, spent,    file) {
    file = dir "/" name
    print "; JFA of the whole-system benchmark (bench/system.sh)." > file
    print "[model]\nname = system-jfa\nkind = jfa" > file
    print "period = " period "\ncurrency = USD\n" > file
    headcount_section(file)
    if (ceb != "")
        print "[headquarters]\nfile = " ceb "/hq_duty_stations.csv\n" \
            "column.organisation = organization\n" > file
    else
        print "[headquarters]\nfile = headquarters.csv\n" > file
    print "[budget]\nfile = jfa_budget.csv\n" > file
    if (spent) {
        print "[actuals]\nfile = jfa_actuals.csv\nunder_spent = 10\n" > file
        print "[posts]\nfile = posts.csv\n" > file
    }
    print "[rules]\nbasis = field\nfloor = 75000.00" > file
    close(file)
}

function lcssb_model(name, period, spent,    file) {
    file = dir "/" name
    print "; LCSSB of the whole-system benchmark (bench/system.sh)." > file
    print "[model]\nname = system-lcssb\nkind = lcssb" > file
    print "period = " period "\ncurrency = USD\n" > file
    headcount_section(file)
    print "[budget]\nfile = lcssb_budget.csv\n" > file
    print "[agencies]\nfile = lcssb_agencies.csv\n" > file
    if (spent)
        print "[actuals]\nfile = lcssb_actuals.csv\nunder_spent = 10\n" \
            > file
    print "[rules]\nbasis = total" > file
    close(file)
}
