-- Affirmed investment claims ranked by their US-dollar value: one-off totals first, then amounts per year
-- (per month, per quarter), never mixed in one ranking; one row per tracked claim.
SELECT c.id AS claim_id,
       CASE WHEN c.period IS NULL THEN 'total' ELSE 'per ' || c.period END AS basis,
       s.name AS investor, o.name AS target, c.amount_usd, c.amount_min, c.amount_max, c.currency, c.unit,
       c.period, c.bound, c.approximate, c.modality, c.sources, c.first_seen, c.summary
FROM claims c
LEFT JOIN entities s ON s.id = c.subject_id
LEFT JOIN entities o ON o.id = c.object_id
WHERE c.type = 'investment'
  AND coalesce(c.review_status, '') != 'wrong'
  AND c.amount_usd IS NOT NULL
  AND coalesce(c.polarity, 'affirmed') = 'affirmed'
  AND c.amount_usd >= CAST(coalesce(nullif(trim(:min_usd), ''), '0') AS REAL)
  AND (coalesce(:basis, '') = '' OR (:basis = 'total' AND c.period IS NULL) OR :basis = 'per ' || c.period
       OR :basis = c.period)
ORDER BY c.period IS NOT NULL, c.period, c.amount_usd DESC, c.sources DESC, c.id
LIMIT 500
