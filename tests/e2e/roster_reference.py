"""Count a roster the slow, obvious way, for roster.test.sh to compare
with costshare headcount.  It reads the model's rules from the command
line, not from the model, so that the two share no code.

usage: roster_reference.py ROSTER HEADQUARTERS AS_AT TYPES MONTHS EXCLUDED
TYPES and EXCLUDED are comma-separated; EXCLUDED items are ORG:ENTITY.
"""
import calendar
import csv
import datetime
import sys

roster, hq_path, as_at, types, months, excluded = sys.argv[1:7]
as_at = datetime.date.fromisoformat(as_at)
types = {t.strip().upper() for t in types.split(',')}
months = int(months)
excluded = {tuple(x.strip().upper().split(':')) for x in excluded.split(',')}


def plus_months(day, n):
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


with open(hq_path, newline='') as f:
    headquarters = {(r['organisation'], r['country'], r['duty_station'])
                    for r in csv.DictReader(f)}

counts = {}
with open(roster, newline='') as f:
    for r in csv.DictReader(f):
        org = r['organisation'].strip().upper()
        if (org, r['entity'].strip().upper()) in excluded:
            continue
        if r['contract_type'].strip().upper() not in types:
            continue
        start = datetime.date.fromisoformat(r['start_date'].strip())
        end = r['end_date'].strip()
        end = datetime.date.fromisoformat(end) if end else None
        if start > as_at or (end is not None and end < as_at):
            continue
        if end is not None and \
                end + datetime.timedelta(days=1) < plus_months(start, months):
            continue
        key = (org, r['country'].strip().upper(), r['duty_station'].strip())
        if key in headquarters or ('*',) + key[1:] in headquarters:
            continue
        counts[key] = counts.get(key, 0) + 1

out = csv.writer(sys.stdout, lineterminator='\n')
out.writerow(['organisation', 'country', 'duty_station', 'headcount'])
for key in sorted(counts, key=lambda k: [x.encode() for x in k]):
    out.writerow(list(key) + [counts[key]])
