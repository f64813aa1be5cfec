-- atlas:sum ignore
-- local seed data, not part of the history
INSERT INTO orders VALUES (gen_random_uuid(), 1, now());
