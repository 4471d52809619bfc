-- 0066: worker_log (0001) recorded messages taken by a worker that was still a shell (RecordingHandler). Every worker
-- is built now; the handler and its table go.
DROP TABLE IF EXISTS worker_log;
