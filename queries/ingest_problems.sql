-- Problems recorded while ingesting, errors first.
SELECT severity, stage, path, line, reason, hint, first_seen
FROM ingest_errors
ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, path, line
LIMIT 2000
