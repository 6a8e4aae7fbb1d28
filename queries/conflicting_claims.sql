-- Claims that disagree, side by side: amounts, polarity and how many sources back each side.
SELECT cc.reason, s.name AS subject,
       a.id AS claim_a, a.summary AS summary_a, a.amount_min AS min_a, a.amount_max AS max_a,
       a.currency AS currency_a, a.polarity AS polarity_a, a.sources AS sources_a,
       b.id AS claim_b, b.summary AS summary_b, b.amount_min AS min_b, b.amount_max AS max_b,
       b.currency AS currency_b, b.polarity AS polarity_b, b.sources AS sources_b
FROM claim_conflicts cc
JOIN claims a ON a.id = cc.claim_id
JOIN claims b ON b.id = cc.other_claim_id
LEFT JOIN entities s ON s.id = a.subject_id
WHERE (cc.claim_id < cc.other_claim_id
       OR NOT EXISTS (SELECT 1 FROM claim_conflicts r
                      WHERE r.claim_id = cc.other_claim_id AND r.other_claim_id = cc.claim_id))
  AND coalesce(a.review_status, '') != 'wrong' AND coalesce(b.review_status, '') != 'wrong'
ORDER BY a.sources + b.sources DESC, cc.claim_id
LIMIT 1000
