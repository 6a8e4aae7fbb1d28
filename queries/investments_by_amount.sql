-- Affirmed investment claims ranked by their amount converted to US dollars.
SELECT c.id AS claim_id, s.name AS investor, o.name AS target, c.amount_usd, c.amount_min, c.amount_max,
       c.currency, c.period, c.bound, c.approximate, c.modality, c.sources, c.first_seen, c.summary
FROM claims c
LEFT JOIN entities s ON s.id = c.subject_id
LEFT JOIN entities o ON o.id = c.object_id
WHERE c.type = 'investment'
  AND coalesce(c.review_status, '') != 'wrong'
  AND c.amount_usd IS NOT NULL
  AND coalesce(c.polarity, 'affirmed') = 'affirmed'
  AND c.amount_usd >= CAST(coalesce(nullif(:min_usd, ''), '0') AS REAL)
ORDER BY c.amount_usd DESC, c.sources DESC, c.id
LIMIT 500
