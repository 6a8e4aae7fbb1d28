-- Companies that manufacture in each US state, from manufacturing claims whose object is a state.
SELECT st.name AS state, st.usps, st.fips, co.name AS company, count(*) AS claims,
       sum(c.sources) AS sources, min(c.first_seen) AS first_seen, max(c.last_seen) AS last_seen,
       group_concat(c.id, ' ') AS claim_ids, st.latitude, st.longitude
FROM claims c
JOIN entities st ON st.id = c.object_id
JOIN entities co ON co.id = c.subject_id
WHERE c.type = 'manufacturing'
  AND coalesce(c.review_status, '') != 'wrong'
  AND coalesce(c.polarity, 'affirmed') = 'affirmed'
  AND st.usps IS NOT NULL
  AND (:state = '' OR st.usps = upper(:state) OR st.fips = :state OR st.name = :state COLLATE NOCASE
       OR st.name_ja = :state)
GROUP BY st.id, co.id
ORDER BY st.name, sources DESC, co.name
LIMIT 2000
