-- données: café ☕
CREATE TABLE "ü" (id int);
