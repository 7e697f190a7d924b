-- jobs_by_subject (system_id, kind, subject_id) is a prefix of the UNIQUE (system_id, kind,
-- subject_id, due_at) index, which serves every query it served; keeping both cost one more
-- b-tree insert and delete for each of the tens of thousands of jobs a clock advance runs.
DROP INDEX jobs_by_subject;
