-- One transaction of the load's writer: a log line of a random age up to 120 days, as Prefect writes them
-- with run history of every age around; pgbench -R 60 runs 60 of these a second.
INSERT INTO log (name, level, message, "timestamp")
VALUES ('load', 20, 'load line', now() - random() * interval '120 days');
