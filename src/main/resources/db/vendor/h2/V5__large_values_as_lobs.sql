-- H2 keeps a bytea (VARBINARY) value inside its row, and MVStore writes a changed page in one buffer:
-- a 20 MB model's checkpoint, weights and dataset in one leaf page asked for a 100 MB buffer at commit,
-- and when the heap could not give it H2 closed the database for every session. A BLOB is stored
-- apart from its row in small blocks, so what a commit writes no longer grows with the values.
-- PostgreSQL keeps bytea out of line already (TOAST) and has nothing to change.
alter table dataset_data alter column data set data type binary large object;
alter table run_checkpoint alter column data set data type binary large object;
alter table run_weights alter column data set data type binary large object;
alter table weights alter column data set data type binary large object;
