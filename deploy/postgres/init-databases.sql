-- One database per service, each owned by a role of its own (docker-compose, development).
-- Run once by the postgres image on an empty data volume. A service can connect to its own
-- database only: no service reads another's data.
-- The passwords are for the local compose stack only; production sets its own.

CREATE ROLE billing LOGIN PASSWORD 'billing';
CREATE DATABASE billing OWNER billing;
REVOKE CONNECT, TEMPORARY ON DATABASE billing FROM PUBLIC;

CREATE ROLE ticketing LOGIN PASSWORD 'ticketing';
CREATE DATABASE ticketing OWNER ticketing;
REVOKE CONNECT, TEMPORARY ON DATABASE ticketing FROM PUBLIC;

CREATE ROLE documents LOGIN PASSWORD 'documents';
CREATE DATABASE documents OWNER documents;
REVOKE CONNECT, TEMPORARY ON DATABASE documents FROM PUBLIC;

CREATE ROLE notifications LOGIN PASSWORD 'notifications';
CREATE DATABASE notifications OWNER notifications;
REVOKE CONNECT, TEMPORARY ON DATABASE notifications FROM PUBLIC;

CREATE ROLE portal_bff LOGIN PASSWORD 'portal_bff';
CREATE DATABASE portal_bff OWNER portal_bff;
REVOKE CONNECT, TEMPORARY ON DATABASE portal_bff FROM PUBLIC;
