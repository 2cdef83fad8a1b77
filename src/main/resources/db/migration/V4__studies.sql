-- Studies: hyperparameter searches whose trials are ordinary runs. A trial's run may stop at an epoch
-- budget (its rung) and wait, checkpointed, for the study to promote or prune it.
alter table run add column epoch_budget integer;

create table study (
    id          uuid primary key,
    tenant_id   uuid                     not null,
    name        varchar(200)             not null,
    request     text                     not null,
    status      varchar(20)              not null,
    rung        integer                  not null,
    reason      text,
    created_at  timestamp with time zone not null,
    finished_at timestamp with time zone,
    version     bigint                   not null
);

create index study_tenant_idx on study (tenant_id, created_at);
create index study_status_idx on study (status);

create table study_trial (
    study_id uuid    not null references study (id) on delete cascade,
    position integer not null,
    params   text    not null,
    run_id   uuid,
    pruned   boolean not null,
    primary key (study_id, position)
);
