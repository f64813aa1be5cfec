CREATE TABLE c (id int);
-- atlas:sum ignore
