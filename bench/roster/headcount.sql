-- Headcount from a personnel roster, the sqlite3 peer of bench/roster.sh.
--
--     sqlite3 -bail -cmd '.import --csv HQ.csv hq' \
--         -cmd '.import --csv ROSTER.csv roster' \
--         -cmd '.output HEADCOUNT.csv' :memory: < headcount.sql
--
-- The -cmd options import both files into an in-memory database, as text
-- columns named by their header lines, and send the output to a file.
-- The rules and the as-at date are fixed here and match the model that
-- bench/roster.sh writes for costshare.

-- List mode with a comma separator, because csv mode quotes any value
-- that contains a space ("Addis Ababa") and the other peers do not.
.mode list
.separator ,
.headers on

SELECT organisation, country, duty_station, count(*) AS headcount
FROM roster AS r
WHERE NOT (organisation = 'UN'
           AND entity IN ('MINUSMA', 'UNMISS', 'MONUSCO'))
  AND contract_type IN ('FT', 'CT', 'TA')
  AND start_date <= '2019-12-31'
  AND (end_date = ''
       OR (end_date >= '2019-12-31'
           AND end_date >= date(start_date, '+12 months', '-1 day')))
  AND NOT EXISTS (
        SELECT 1 FROM hq AS h
        WHERE h.organisation IN (r.organisation, '*')
          AND h.country = r.country
          AND h.duty_station = r.duty_station)
GROUP BY organisation, country, duty_station
ORDER BY organisation, country, duty_station;
