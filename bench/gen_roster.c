/*
 * gen_roster: write a synthetic personnel roster, and optionally the
 * headquarters list that goes with it, for bench/roster.sh.
 *
 *     gen_roster RECORDS ROSTER.csv [HQ.csv]
 *
 * One roster record is one appointment: organisation, entity, duty
 * station, country, contract type, start and end dates, grade. A fixed
 * seed drives the generator, so the same command writes byte-identical
 * files, and a roster of N records is the first N records of any larger
 * one. Start dates use days 1 to 28 only, so adding 12 months to a start
 * date never needs a rule for short months and every peer agrees on it.
 *
 * Exit status: 0 written, 2 usage error, 3 system error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STATIONS 3

struct country {
    const char *code; /* ISO 3166 alpha-3 */
    int weight;       /* relative share of the records placed by country */
    const char *stations[MAX_STATIONS]; /* the first is the largest */
};

struct organisation {
    const char *code;
    int weight; /* relative share of all records */
    const char *hq_country;
    const char *hq_station;
};

/* Duty stations are plain ASCII without commas or quotes, so every peer
 * can read the roster without CSV quoting. "Santo Domingo" is a prefix of
 * "Santo Domingo Este": a peer that sorts whole lines instead of fields
 * puts them in the wrong order. */
static const struct country countries[] = {
    {"AFG", 25, {"Kabul", "Herat", "Mazar-i-Sharif"}},
    {"AGO", 2, {"Luanda"}},
    {"ALB", 1, {"Tirana"}},
    {"AND", 1, {"Andorra la Vella"}},
    {"ARE", 2, {"Abu Dhabi", "Dubai"}},
    {"ARG", 2, {"Buenos Aires"}},
    {"ARM", 1, {"Yerevan"}},
    {"ATG", 1, {"Saint Johns"}},
    {"AUS", 1, {"Canberra", "Sydney"}},
    {"AUT", 6, {"Vienna"}},
    {"AZE", 1, {"Baku"}},
    {"BDI", 4, {"Bujumbura", "Gitega"}},
    {"BEL", 3, {"Brussels"}},
    {"BEN", 2, {"Cotonou", "Porto-Novo"}},
    {"BFA", 6, {"Ouagadougou", "Bobo-Dioulasso", "Kaya"}},
    {"BGD", 8, {"Dhaka", "Coxs Bazar"}},
    {"BGR", 1, {"Sofia"}},
    {"BHR", 1, {"Manama"}},
    {"BHS", 1, {"Nassau"}},
    {"BIH", 2, {"Sarajevo"}},
    {"BLR", 1, {"Minsk"}},
    {"BLZ", 1, {"Belmopan"}},
    {"BOL", 2, {"La Paz", "Santa Cruz"}},
    {"BRA", 3, {"Brasilia", "Rio de Janeiro"}},
    {"BRB", 1, {"Bridgetown"}},
    {"BRN", 1, {"Bandar Seri Begawan"}},
    {"BTN", 1, {"Thimphu"}},
    {"BWA", 1, {"Gaborone"}},
    {"CAF", 10, {"Bangui", "Bambari", "Bria"}},
    {"CAN", 2, {"Ottawa", "Montreal"}},
    {"CHE", 20, {"Geneva", "Bern", "Zurich"}},
    {"CHL", 2, {"Santiago"}},
    {"CHN", 2, {"Beijing"}},
    {"CIV", 3, {"Abidjan", "Bouake"}},
    {"CMR", 5, {"Yaounde", "Maroua", "Douala"}},
    {"COD", 30, {"Kinshasa", "Goma", "Bukavu"}},
    {"COG", 2, {"Brazzaville"}},
    {"COL", 6, {"Bogota", "Medellin", "Cucuta"}},
    {"COM", 1, {"Moroni"}},
    {"CPV", 1, {"Praia"}},
    {"CRI", 1, {"San Jose"}},
    {"CUB", 1, {"Havana"}},
    {"CYP", 2, {"Nicosia"}},
    {"CZE", 1, {"Prague"}},
    {"DEU", 5, {"Berlin", "Bonn", "Hamburg"}},
    {"DJI", 2, {"Djibouti"}},
    {"DMA", 1, {"Roseau"}},
    {"DNK", 4, {"Copenhagen"}},
    {"DOM", 2, {"Santo Domingo", "Santo Domingo Este"}},
    {"DZA", 2, {"Algiers"}},
    {"ECU", 2, {"Quito"}},
    {"EGY", 4, {"Cairo"}},
    {"ERI", 1, {"Asmara"}},
    {"ESP", 2, {"Madrid", "Valencia"}},
    {"EST", 1, {"Tallinn"}},
    {"ETH", 15, {"Addis Ababa", "Gambella", "Dire Dawa"}},
    {"FIN", 1, {"Helsinki"}},
    {"FJI", 1, {"Suva"}},
    {"FRA", 5, {"Paris", "Lyon", "Marseille"}},
    {"FSM", 1, {"Palikir"}},
    {"GAB", 1, {"Libreville"}},
    {"GBR", 2, {"London"}},
    {"GEO", 2, {"Tbilisi"}},
    {"GHA", 2, {"Accra"}},
    {"GIN", 2, {"Conakry"}},
    {"GMB", 1, {"Banjul"}},
    {"GNB", 1, {"Bissau"}},
    {"GNQ", 1, {"Malabo"}},
    {"GRC", 2, {"Athens"}},
    {"GRD", 1, {"Saint Georges"}},
    {"GTM", 2, {"Guatemala City"}},
    {"GUY", 1, {"Georgetown"}},
    {"HND", 2, {"Tegucigalpa"}},
    {"HRV", 1, {"Zagreb"}},
    {"HTI", 6, {"Port-au-Prince", "Les Cayes"}},
    {"HUN", 1, {"Budapest"}},
    {"IDN", 2, {"Jakarta"}},
    {"IND", 3, {"New Delhi", "Mumbai"}},
    {"IRL", 1, {"Dublin"}},
    {"IRN", 2, {"Tehran"}},
    {"IRQ", 10, {"Baghdad", "Erbil", "Basra"}},
    {"ISL", 1, {"Reykjavik"}},
    {"ISR", 1, {"Tel Aviv"}},
    {"ITA", 10, {"Rome", "Turin", "Brindisi"}},
    {"JAM", 1, {"Kingston"}},
    {"JOR", 10, {"Amman", "Zarqa"}},
    {"JPN", 2, {"Tokyo"}},
    {"KAZ", 1, {"Astana", "Almaty"}},
    {"KEN", 15, {"Nairobi", "Dadaab", "Kakuma"}},
    {"KGZ", 1, {"Bishkek"}},
    {"KHM", 2, {"Phnom Penh"}},
    {"KIR", 1, {"Tarawa"}},
    {"KNA", 1, {"Basseterre"}},
    {"KOR", 1, {"Seoul", "Incheon"}},
    {"KWT", 1, {"Kuwait City"}},
    {"LAO", 1, {"Vientiane"}},
    {"LBN", 10, {"Beirut", "Tyre"}},
    {"LBR", 3, {"Monrovia"}},
    {"LBY", 5, {"Tripoli", "Benghazi"}},
    {"LCA", 1, {"Castries"}},
    {"LIE", 1, {"Vaduz"}},
    {"LKA", 2, {"Colombo"}},
    {"LSO", 1, {"Maseru"}},
    {"LTU", 1, {"Vilnius"}},
    {"LUX", 1, {"Luxembourg"}},
    {"LVA", 1, {"Riga"}},
    {"MAR", 2, {"Rabat"}},
    {"MCO", 1, {"Monaco"}},
    {"MDA", 2, {"Chisinau"}},
    {"MDG", 2, {"Antananarivo"}},
    {"MDV", 1, {"Male"}},
    {"MEX", 2, {"Mexico City"}},
    {"MHL", 1, {"Majuro"}},
    {"MKD", 1, {"Skopje"}},
    {"MLI", 15, {"Bamako", "Gao", "Timbuktu"}},
    {"MLT", 1, {"Valletta"}},
    {"MMR", 6, {"Yangon", "Naypyidaw", "Sittwe"}},
    {"MNE", 1, {"Podgorica"}},
    {"MNG", 1, {"Ulaanbaatar"}},
    {"MOZ", 4, {"Maputo", "Pemba"}},
    {"MRT", 2, {"Nouakchott"}},
    {"MUS", 1, {"Port Louis"}},
    {"MWI", 2, {"Lilongwe"}},
    {"MYS", 1, {"Kuala Lumpur"}},
    {"NAM", 1, {"Windhoek"}},
    {"NER", 6, {"Niamey", "Agadez"}},
    {"NGA", 10, {"Abuja", "Maiduguri", "Lagos"}},
    {"NIC", 1, {"Managua"}},
    {"NLD", 3, {"Amsterdam", "The Hague"}},
    {"NOR", 1, {"Oslo"}},
    {"NPL", 2, {"Kathmandu"}},
    {"NRU", 1, {"Yaren"}},
    {"NZL", 1, {"Wellington"}},
    {"OMN", 1, {"Muscat"}},
    {"PAK", 8, {"Islamabad", "Peshawar", "Quetta"}},
    {"PAN", 3, {"Panama City"}},
    {"PER", 2, {"Lima"}},
    {"PHL", 3, {"Manila", "Cotabato"}},
    {"PLW", 1, {"Ngerulmud"}},
    {"PNG", 1, {"Port Moresby"}},
    {"POL", 1, {"Warsaw"}},
    {"PRK", 1, {"Pyongyang"}},
    {"PRT", 1, {"Lisbon"}},
    {"PRY", 1, {"Asuncion"}},
    {"PSE", 8, {"Gaza", "Ramallah", "Nablus"}},
    {"QAT", 1, {"Doha"}},
    {"ROU", 1, {"Bucharest"}},
    {"RUS", 2, {"Moscow"}},
    {"RWA", 3, {"Kigali"}},
    {"SAU", 1, {"Riyadh"}},
    {"SDN", 20, {"Khartoum", "El Fasher", "Nyala"}},
    {"SEN", 4, {"Dakar"}},
    {"SGP", 1, {"Singapore"}},
    {"SLB", 1, {"Honiara"}},
    {"SLE", 2, {"Freetown"}},
    {"SLV", 1, {"San Salvador"}},
    {"SMR", 1, {"San Marino"}},
    {"SOM", 20, {"Mogadishu", "Hargeisa", "Garowe"}},
    {"SRB", 2, {"Belgrade"}},
    {"SSD", 30, {"Juba", "Malakal", "Bentiu"}},
    {"STP", 1, {"Sao Tome"}},
    {"SUR", 1, {"Paramaribo"}},
    {"SVK", 1, {"Bratislava"}},
    {"SVN", 1, {"Ljubljana"}},
    {"SWE", 1, {"Stockholm"}},
    {"SWZ", 1, {"Mbabane"}},
    {"SYC", 1, {"Victoria"}},
    {"SYR", 15, {"Damascus", "Aleppo", "Homs"}},
    {"TCD", 8, {"NDjamena", "Abeche"}},
    {"TGO", 1, {"Lome"}},
    {"THA", 4, {"Bangkok"}},
    {"TJK", 1, {"Dushanbe"}},
    {"TKM", 1, {"Ashgabat"}},
    {"TLS", 1, {"Dili"}},
    {"TON", 1, {"Nukualofa"}},
    {"TTO", 1, {"Port of Spain"}},
    {"TUN", 2, {"Tunis"}},
    {"TUR", 8, {"Ankara", "Gaziantep", "Istanbul"}},
    {"TUV", 1, {"Funafuti"}},
    {"TZA", 4, {"Dar es Salaam", "Dodoma", "Kigoma"}},
    {"UGA", 6, {"Kampala", "Gulu"}},
    {"UKR", 6, {"Kyiv", "Kharkiv", "Dnipro"}},
    {"URY", 1, {"Montevideo"}},
    {"USA", 20, {"New York", "Washington", "Miami"}},
    {"UZB", 1, {"Tashkent"}},
    {"VCT", 1, {"Kingstown"}},
    {"VEN", 3, {"Caracas"}},
    {"VNM", 2, {"Hanoi"}},
    {"VUT", 1, {"Port Vila"}},
    {"WSM", 1, {"Apia"}},
    {"YEM", 15, {"Sanaa", "Aden", "Hodeidah"}},
    {"ZAF", 2, {"Pretoria", "Johannesburg"}},
    {"ZMB", 2, {"Lusaka"}},
    {"ZWE", 2, {"Harare"}},
};

/* Real UN system codes with invented sizes, the Secretariat (UN) the
 * largest, and one headquarters duty station each. */
static const struct organisation organisations[] = {
    {"UN", 300, "USA", "New York"},
    {"UNICEF", 140, "USA", "New York"},
    {"UNDP", 120, "USA", "New York"},
    {"WFP", 110, "ITA", "Rome"},
    {"UNHCR", 100, "CHE", "Geneva"},
    {"WHO", 90, "CHE", "Geneva"},
    {"UNRWA", 80, "JOR", "Amman"},
    {"FAO", 70, "ITA", "Rome"},
    {"IOM", 70, "CHE", "Geneva"},
    {"UNOPS", 60, "DNK", "Copenhagen"},
    {"UNFPA", 40, "USA", "New York"},
    {"WBG", 40, "USA", "Washington"},
    {"ILO", 35, "CHE", "Geneva"},
    {"UNESCO", 30, "FRA", "Paris"},
    {"IAEA", 25, "AUT", "Vienna"},
    {"PAHO", 20, "USA", "Washington"},
    {"UNWOMEN", 20, "USA", "New York"},
    {"IMF", 10, "USA", "Washington"},
    {"IFC", 10, "USA", "Washington"},
    {"UNAIDS", 8, "CHE", "Geneva"},
    {"UNEP", 8, "KEN", "Nairobi"},
    {"UNIDO", 8, "AUT", "Vienna"},
    {"ITU", 8, "CHE", "Geneva"},
    {"WIPO", 8, "CHE", "Geneva"},
    {"IFAD", 7, "ITA", "Rome"},
    {"ICAO", 6, "CAN", "Montreal"},
    {"UNHABITAT", 6, "KEN", "Nairobi"},
    {"UNV", 5, "DEU", "Bonn"},
    {"WMO", 4, "CHE", "Geneva"},
    {"ICC", 4, "NLD", "The Hague"},
    {"ITC", 3, "CHE", "Geneva"},
    {"WTO", 3, "CHE", "Geneva"},
    {"UPU", 2, "CHE", "Bern"},
    {"IMO", 2, "GBR", "London"},
    {"UNFCCC", 2, "DEU", "Bonn"},
    {"UNU", 2, "JPN", "Tokyo"},
    {"OPCW", 2, "NLD", "The Hague"},
    {"CTBTO", 2, "AUT", "Vienna"},
    {"UNWTO", 1, "ESP", "Madrid"},
    {"UNITAR", 1, "CHE", "Geneva"},
    {"UNSSC", 1, "ITA", "Turin"},
    {"UNCDF", 1, "USA", "New York"},
    {"IARC", 1, "FRA", "Lyon"},
    {"ISA", 1, "JAM", "Kingston"},
    {"ITLOS", 1, "DEU", "Hamburg"},
    {"UNICC", 1, "CHE", "Geneva"},
    {"UNJSPF", 1, "USA", "New York"},
    {"UNRISD", 1, "CHE", "Geneva"},
    {"UNIDIR", 1, "CHE", "Geneva"},
    {"UNICRI", 1, "ITA", "Turin"},
    {"IRMCT", 1, "NLD", "The Hague"},
};

/* Headquarters rows for every organisation ("*"). */
static const struct organisation every_organisation_hq[] = {
    {"*", 0, "AUT", "Vienna"},
    {"*", 0, "NLD", "The Hague"},
};

/* UN peacekeeping missions, each in its own country. The benchmark
 * excludes them from the UN's count but not from other organisations'. */
static const struct {
    const char *code;
    const char *country;
    int weight;
} missions[] = {
    {"MONUSCO", "COD", 40},
    {"UNMISS", "SSD", 35},
    {"MINUSMA", "MLI", 25},
};

/* Sub-entities of the UN other than missions. "" leaves entity empty. */
static const char *const un_entities[] = {
    "", "UN", "DPPA", "DPO", "DOS", "OCHA", "OHCHR", "DSS", "ECA", "ESCWA",
};

static const struct {
    const char *code;
    int weight;
    unsigned graded; /* per cent of its records that have a grade */
} contract_types[] = {
    {"FT", 45, 92},   {"CT", 10, 92},  {"TA", 10, 92},
    {"PA", 5, 20},    {"SSA", 15, 20}, {"CONS", 15, 20},
};

static const char *const grades[] = {
    "P-1",  "P-2",  "P-3",  "P-4",  "P-5",  "D-1",  "D-2",
    "G-2",  "G-3",  "G-4",  "G-5",  "G-6",  "G-7",  "NO-A",
    "NO-B", "NO-C", "NO-D", "FS-4", "FS-5", "FS-6",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The as-at date of the benchmark, for the records placed around it. */
#define AS_AT_YEAR 2019
#define FIRST_START_YEAR 1990
#define START_YEARS 31 /* 1990 to 2020 */

/* State of the xorshift64* generator. The seed is fixed, so every run
 * writes the same files. */
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint32_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

/* A number in [0, n), by scaling rather than modulo. */
static uint32_t rng_below(uint32_t n)
{
    return (uint32_t)(((uint64_t)rng_next() * n) >> 32);
}

/* Pick an index from cumulative weights CUMULATIVE[0..n-1] (the last one
 * is the total) by binary search. */
static size_t pick_weighted(const uint32_t *cumulative, size_t n)
{
    uint32_t r = rng_below(cumulative[n - 1]);
    size_t lo = 0;
    size_t hi = n - 1;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (r < cumulative[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};

    if (month == 2 && is_leap(year))
        return 29;
    return days[month - 1];
}

struct date {
    int year;
    int month;
    int day;
};

/* Days from 0001-01-01 in the proleptic Gregorian calendar. */
static long day_number(struct date d)
{
    long y = d.year - 1;
    long n = y * 365 + y / 4 - y / 100 + y / 400;

    for (int m = 1; m < d.month; m++)
        n += days_in_month(d.year, m);
    return n + d.day - 1;
}

static struct date date_from_day_number(long n)
{
    struct date d = {(int)(n * 400 / 146097) + 1, 1, 1};

    /* The estimate is within one year either way. */
    while (day_number(d) > n)
        d.year--;
    for (struct date next = {d.year + 1, 1, 1}; day_number(next) <= n;
         next.year++)
        d.year = next.year;
    n -= day_number(d);
    while (n >= days_in_month(d.year, d.month)) {
        n -= days_in_month(d.year, d.month);
        d.month++;
    }
    d.day = (int)n + 1;
    return d;
}

static struct date add_days(struct date d, long days)
{
    return date_from_day_number(day_number(d) + days);
}

/* Return START plus 12 months, minus DAYS days. START's day of month is
 * at most 28, so the same day a year later exists. */
static struct date year_later_less(struct date start, long days)
{
    struct date d = {start.year + 1, start.month, start.day};

    return add_days(d, -days);
}

static int date_before(struct date a, struct date b)
{
    return day_number(a) < day_number(b);
}

/* Output buffer: records are appended here and written in large
 * blocks. */
struct out {
    FILE *file;
    const char *path;
    char buf[1 << 16];
    size_t len;
};

static int out_flush(struct out *o)
{
    if (o->len > 0 && fwrite(o->buf, 1, o->len, o->file) != o->len)
        return -1;
    o->len = 0;
    return 0;
}

/* Append S; a single field is far shorter than the buffer. */
static int out_string(struct out *o, const char *s)
{
    size_t n = strlen(s);

    if (o->len + n > sizeof o->buf && out_flush(o) != 0)
        return -1;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    return 0;
}

static void format_digits(char *p, int value, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

static int out_date(struct out *o, struct date d)
{
    char text[11];

    format_digits(text, d.year, 4);
    text[4] = '-';
    format_digits(text + 5, d.month, 2);
    text[7] = '-';
    format_digits(text + 8, d.day, 2);
    text[10] = '\0';
    return out_string(o, text);
}

static size_t find_country(const char *code)
{
    for (size_t i = 0; i < COUNT(countries); i++)
        if (strcmp(countries[i].code, code) == 0)
            return i;
    return COUNT(countries);
}

static size_t station_count(const struct country *c)
{
    size_t n = 0;

    while (n < MAX_STATIONS && c->stations[n] != NULL)
        n++;
    return n;
}

/* Check that a headquarters duty station is one the roster uses, so the
 * field basis really excludes records; 0 if it is. */
static int check_hq(const struct organisation *org)
{
    size_t i = find_country(org->hq_country);

    if (i < COUNT(countries))
        for (size_t s = 0; s < station_count(&countries[i]); s++)
            if (strcmp(countries[i].stations[s], org->hq_station) == 0)
                return 0;
    fprintf(stderr,
            "gen_roster: headquarters \"%s %s\" of %s is not a duty "
            "station in the country table\n",
            org->hq_country, org->hq_station, org->code);
    return -1;
}

/* Cumulative weights of each table, filled once by init_tables. */
static uint32_t organisation_weights[COUNT(organisations)];
static uint32_t country_weights[COUNT(countries)];
static uint32_t mission_weights[COUNT(missions)];
static uint32_t contract_weights[COUNT(contract_types)];
static size_t hq_country_index[COUNT(organisations)];
static size_t mission_country_index[COUNT(missions)];

static int init_tables(void)
{
    uint32_t total = 0;

    for (size_t i = 0; i < COUNT(organisations); i++) {
        if (check_hq(&organisations[i]) != 0)
            return -1;
        hq_country_index[i] = find_country(organisations[i].hq_country);
        total += (uint32_t)organisations[i].weight;
        organisation_weights[i] = total;
    }
    for (size_t i = 0; i < COUNT(every_organisation_hq); i++)
        if (check_hq(&every_organisation_hq[i]) != 0)
            return -1;

    total = 0;
    for (size_t i = 0; i < COUNT(countries); i++) {
        total += (uint32_t)countries[i].weight;
        country_weights[i] = total;
    }

    total = 0;
    for (size_t i = 0; i < COUNT(missions); i++) {
        mission_country_index[i] = find_country(missions[i].country);
        total += (uint32_t)missions[i].weight;
        mission_weights[i] = total;
    }

    total = 0;
    for (size_t i = 0; i < COUNT(contract_types); i++) {
        total += (uint32_t)contract_types[i].weight;
        contract_weights[i] = total;
    }
    return 0;
}

/* The first duty station of a country takes 60 % of its records. */
static const char *pick_station(const struct country *c)
{
    size_t n = station_count(c);

    if (n == 1 || rng_below(100) < 60)
        return c->stations[0];
    return c->stations[1 + rng_below((uint32_t)(n - 1))];
}

/* Pick an end date, or return 0 for an open-ended record (about 35 %).
 * About 8 % of records sit on purpose at the edges of the rules. Those
 * end 12 months on, 12 months less a day (the shortest that counts), a
 * day less than that, or on the days around the as-at date. */
static int pick_end(struct date start, struct date *end)
{
    static const struct date around_as_at[3] = {
        {AS_AT_YEAR, 12, 30}, {AS_AT_YEAR, 12, 31}, {AS_AT_YEAR + 1, 1, 1}};
    uint32_t r = rng_below(100);

    if (r < 35)
        return 0;
    if (r < 40)
        *end = year_later_less(start, (long)rng_below(3));
    else if (r < 43) {
        *end = around_as_at[rng_below(3)];
        if (date_before(*end, start))
            *end = start;
    } else if (r < 70)
        *end = add_days(start, (long)rng_below(365));
    else
        *end = add_days(start, 365 + (long)rng_below(7300));
    return 1;
}

/* Append one random roster record to O. */
static int write_record(struct out *o)
{
    size_t org = pick_weighted(organisation_weights, COUNT(organisations));
    const char *code = organisations[org].code;
    const char *entity;
    const struct country *country;
    const char *station;
    size_t type;
    const char *grade = "";
    struct date start, end;
    int has_end;
    int failed = 0;

    if (org == 0 && rng_below(100) < 25) {
        size_t m = pick_weighted(mission_weights, COUNT(missions));

        entity = missions[m].code;
        country = &countries[mission_country_index[m]];
        station = pick_station(country);
    } else {
        uint32_t r = rng_below(100);

        if (org == 0)
            entity = un_entities[rng_below(COUNT(un_entities))];
        else if (r < 45)
            entity = "";
        else if (r < 95)
            entity = code;
        else
            entity = missions[rng_below(COUNT(missions))].code;

        if (rng_below(100) < 20) {
            country = &countries[hq_country_index[org]];
            station = organisations[org].hq_station;
        } else {
            country =
                &countries[pick_weighted(country_weights, COUNT(countries))];
            station = pick_station(country);
        }
    }

    type = pick_weighted(contract_weights, COUNT(contract_types));
    if (rng_below(100) < contract_types[type].graded)
        grade = grades[rng_below(COUNT(grades))];

    start.year = FIRST_START_YEAR + (int)rng_below(START_YEARS);
    start.month = 1 + (int)rng_below(12);
    start.day = 1 + (int)rng_below(28);
    has_end = pick_end(start, &end);

    failed |= out_string(o, code);
    failed |= out_string(o, ",");
    failed |= out_string(o, entity);
    failed |= out_string(o, ",");
    failed |= out_string(o, station);
    failed |= out_string(o, ",");
    failed |= out_string(o, country->code);
    failed |= out_string(o, ",");
    failed |= out_string(o, contract_types[type].code);
    failed |= out_string(o, ",");
    failed |= out_date(o, start);
    failed |= out_string(o, ",");
    if (has_end)
        failed |= out_date(o, end);
    failed |= out_string(o, ",");
    failed |= out_string(o, grade);
    failed |= out_string(o, "\n");
    return failed ? -1 : 0;
}

/* Open PATH for writing into O. On failure, print a message and return
 * -1. */
static int out_open(struct out *o, const char *path)
{
    o->path = path;
    o->len = 0;
    o->file = fopen(path, "wb");
    if (o->file == NULL) {
        fprintf(stderr, "gen_roster: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Flush and close O. If any write failed, print a message and return
 * -1. */
static int out_close(struct out *o, int failed)
{
    if (out_flush(o) != 0)
        failed = 1;
    if (ferror(o->file))
        failed = 1;
    if (fclose(o->file) != 0)
        failed = 1;
    if (failed) {
        fprintf(stderr, "gen_roster: %s: write failed: %s\n", o->path,
                strerror(errno));
        return -1;
    }
    return 0;
}

static int write_roster(const char *path, long records)
{
    static struct out o;
    int failed;

    if (out_open(&o, path) != 0)
        return -1;
    failed = out_string(&o, "organisation,entity,duty_station,country,"
                            "contract_type,start_date,end_date,grade\n");
    for (long i = 0; i < records && !failed; i++)
        failed = write_record(&o);
    return out_close(&o, failed);
}

static int write_hq_row(struct out *o, const struct organisation *org)
{
    int failed = 0;

    failed |= out_string(o, org->code);
    failed |= out_string(o, ",");
    failed |= out_string(o, org->hq_country);
    failed |= out_string(o, ",");
    failed |= out_string(o, org->hq_station);
    failed |= out_string(o, "\n");
    return failed;
}

static int write_hq(const char *path)
{
    static struct out o;
    int failed;

    if (out_open(&o, path) != 0)
        return -1;
    failed = out_string(&o, "organisation,country,duty_station\n");
    for (size_t i = 0; i < COUNT(organisations); i++)
        failed |= write_hq_row(&o, &organisations[i]);
    for (size_t i = 0; i < COUNT(every_organisation_hq); i++)
        failed |= write_hq_row(&o, &every_organisation_hq[i]);
    return out_close(&o, failed);
}

int main(int argc, char **argv)
{
    char *end;
    long records;

    if (argc < 3 || argc > 4) {
        fputs("usage: gen_roster RECORDS ROSTER.csv [HQ.csv]\n", stderr);
        return 2;
    }
    errno = 0;
    records = strtol(argv[1], &end, 10);
    if (errno != 0 || end == argv[1] || *end != '\0' || records < 0) {
        fprintf(stderr,
                "gen_roster: invalid record count \"%s\": expected a "
                "whole number, 0 or more\n",
                argv[1]);
        return 2;
    }

    if (init_tables() != 0)
        return 3;
    if (write_roster(argv[2], records) != 0)
        return 3;
    if (argc == 4 && write_hq(argv[3]) != 0)
        return 3;
    return 0;
}
