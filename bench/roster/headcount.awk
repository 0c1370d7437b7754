# Headcount from a personnel roster, the mawk peer of bench/roster.sh.
#
#     mawk -f headcount.awk hq.csv roster.csv > headcount.csv
#
# The first file is the headquarters list (organisation,country,
# duty_station, organisation "*" meaning every organisation), the second
# the roster. Both are plain CSV without quoted fields, as gen_roster
# writes them. The rules and the as-at date are fixed here and match the
# model that bench/roster.sh writes for costshare.
#
# Output: organisation,country,duty_station,headcount, one row per group
# with a positive count, sorted by the three keys in byte order by
# sort(1) under LC_ALL=C.

BEGIN {
    FS = ","
    as_at = "2019-12-31"
    counted_type["FT"] = 1
    counted_type["CT"] = 1
    counted_type["TA"] = 1
    excluded_entity["UN", "MINUSMA"] = 1
    excluded_entity["UN", "UNMISS"] = 1
    excluded_entity["UN", "MONUSCO"] = 1
}

# The headquarters list comes first: keyed by organisation, country and
# duty station.
FNR == 1 { next }
FILENAME == ARGV[1] {
    hq[$1, $2, $3] = 1
    next
}

# Roster columns: 1 organisation, 2 entity, 3 duty_station, 4 country,
# 5 contract_type, 6 start_date, 7 end_date, 8 grade.
{
    if (($1, $2) in excluded_entity)
        next
    if (!($5 in counted_type))
        next
    if ($6 > as_at || ($7 != "" && $7 < as_at))
        next
    if ($7 != "" && $7 < year_less_a_day($6))
        next
    if (($1, $4, $3) in hq || ("*", $4, $3) in hq)
        next
    count[$1 "," $4 "," $3]++
}

END {
    print "organisation,country,duty_station,headcount"
    fflush()
    sort = "LC_ALL=C sort -t, -k1,1 -k2,2 -k3,3"
    for (key in count)
        print key "," count[key] | sort
    close(sort)
}

# The date 12 months after START less one day, as YYYY-MM-DD. START's
# day of month is 1 to 28, so the same day a year later always exists.
function year_less_a_day(start,    y, m, d) {
    y = substr(start, 1, 4) + 1
    m = substr(start, 6, 2) + 0
    d = substr(start, 9, 2) + 0
    if (d > 1)
        return sprintf("%04d-%02d-%02d", y, m, d - 1)
    if (m == 1)
        return sprintf("%04d-12-31", y - 1)
    return sprintf("%04d-%02d-%02d", y, m - 1, month_days(y, m - 1))
}

function month_days(y, m) {
    if (m == 2)
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
    if (m == 4 || m == 6 || m == 9 || m == 11)
        return 30
    return 31
}
