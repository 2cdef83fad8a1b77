-- Attempts that ended without the run's say: the instance died or froze, or the database stayed away
-- longer than the retry window. Past backprop.max-attempts the run fails instead of crash-looping.
alter table run add column lost_attempts integer not null default 0;
