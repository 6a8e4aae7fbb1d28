-- The quotes behind one claim, with their articles and character offsets into the stored text.
SELECT e.claim_id, a.title, a.published, a.source_path, e.quote, e.article_id, e.start, e."end",
       e.modality, e.polarity, e.amount_text, t.name AS attributed_to, e.passage_id
FROM claim_evidence e
JOIN articles a ON a.id = e.article_id
LEFT JOIN entities t ON t.id = e.attributed_to_id
WHERE e.claim_id = :claim_id
ORDER BY a.published, e.article_id, e.start
LIMIT 1000
