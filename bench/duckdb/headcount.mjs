// Headcount from a personnel roster, the DuckDB peer of bench/roster.sh.
//
//     node headcount.mjs ROSTER.csv HQ.csv HEADCOUNT.csv
//
// DuckDB reads both files with read_csv and writes the result with COPY,
// using its default number of threads. The rules and the as-at date are
// fixed here and match the model that bench/roster.sh writes for
// costshare. Exit status: 0 written, 1 query failed, 2 usage error.
import { DuckDBInstance } from '@duckdb/node-api';

// The query, with the roster path as $1, the headquarters list as $2 and
// the output as $3.
const headcountQuery = `
COPY (
  SELECT organisation, country, duty_station, count(*) AS headcount
  FROM read_csv($1, header = true, delim = ',',
                columns = {
                  'organisation': 'VARCHAR', 'entity': 'VARCHAR',
                  'duty_station': 'VARCHAR', 'country': 'VARCHAR',
                  'contract_type': 'VARCHAR', 'start_date': 'DATE',
                  'end_date': 'DATE', 'grade': 'VARCHAR'}) AS r
  -- read_csv turns empty fields into NULL, so entity needs coalesce
  -- and an open-ended appointment has a NULL end_date.
  WHERE NOT (organisation = 'UN'
             AND coalesce(entity, '') IN ('MINUSMA', 'UNMISS', 'MONUSCO'))
    AND contract_type IN ('FT', 'CT', 'TA')
    AND start_date <= DATE '2019-12-31'
    AND (end_date IS NULL
         OR (end_date >= DATE '2019-12-31'
             AND end_date >= start_date + INTERVAL 12 MONTH
                             - INTERVAL 1 DAY))
    AND NOT EXISTS (
          SELECT 1
          FROM read_csv($2, header = true, delim = ',',
                        columns = {
                          'organisation': 'VARCHAR', 'country': 'VARCHAR',
                          'duty_station': 'VARCHAR'}) AS h
          WHERE h.organisation IN (r.organisation, '*')
            AND h.country = r.country
            AND h.duty_station = r.duty_station)
  GROUP BY organisation, country, duty_station
  ORDER BY organisation, country, duty_station
) TO $3 (FORMAT csv, HEADER true, DELIMITER ',')`;

async function main(args) {
  if (args.length !== 3) {
    console.error('usage: node headcount.mjs ROSTER.csv HQ.csv HEADCOUNT.csv');
    return 2;
  }
  const [roster, hq, output] = args;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(headcountQuery, [roster, hq, output]);
  } catch (error) {
    console.error(`headcount.mjs: ${error.message}`);
    return 1;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
