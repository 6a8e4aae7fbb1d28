-- Passages dropped as repeats (within an article or of an earlier article), with their first copy;
-- most recently ingested first.
SELECT a.title AS article, a.published, p.idx, p.duplicate_kind, substr(p.text, 1, 200) AS text,
       p.article_id, oa.title AS first_copy_in, o.article_id AS first_copy_article_id, p.duplicate_of
FROM passages p
JOIN articles a ON a.id = p.article_id
LEFT JOIN passages o ON o.id = p.duplicate_of
LEFT JOIN articles oa ON oa.id = o.article_id
-- The unary + keeps SQLite scanning passages newest-first and stopping at the limit, instead of
-- collecting every duplicate through idx_passages_dup and sorting them all.
WHERE +p.duplicate_of IS NOT NULL
ORDER BY p.rowid DESC
LIMIT 1000
