-- Claims backed by the most distinct articles.
SELECT c.id AS claim_id, c.type, c.summary, s.name AS subject, o.name AS object, c.sources,
       c.evidence_count, c.modality, c.polarity, c.first_seen, c.last_seen, c.conflicts
FROM claims c
LEFT JOIN entities s ON s.id = c.subject_id
LEFT JOIN entities o ON o.id = c.object_id
WHERE (:type = '' OR c.type = :type)
  AND coalesce(c.review_status, '') != 'wrong'
ORDER BY c.sources DESC, c.evidence_count DESC, c.id
LIMIT 200
