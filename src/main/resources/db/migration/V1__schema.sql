-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.

create table dataset (
    id           uuid primary key,
    name         varchar(200)             not null,
    row_count    integer                  not null,
    feature_names text                    not null,
    label_names  text                     not null,
    task         varchar(20)              not null,
    classes      text,
    sha256       varchar(64)              not null,
    size_bytes   bigint                   not null,
    created_at   timestamp with time zone not null
);

create table dataset_data (
    dataset_id uuid primary key references dataset (id) on delete cascade,
    data       bytea not null
);

create table run (
    id               uuid primary key,
    name             varchar(200)             not null,
    status           varchar(20)              not null,
    spec             text                     not null,
    dataset_id       uuid,
    epoch            integer                  not null,
    epochs           integer                  not null,
    step             integer                  not null,
    steps_per_epoch  integer                  not null,
    global_step      bigint                   not null,
    loss             double precision,
    val_loss         double precision,
    accuracy         double precision,
    val_accuracy     double precision,
    best_epoch       integer,
    best_monitor     varchar(20),
    best_value       double precision,
    attempts         integer                  not null,
    cancel_requested boolean                  not null,
    worker           varchar(200),
    idempotency_key  varchar(200) unique,
    request_hash     varchar(64),
    created_at       timestamp with time zone not null,
    started_at       timestamp with time zone,
    finished_at      timestamp with time zone,
    error            text,
    version          bigint                   not null
);

create index run_status_created_idx on run (status, created_at);
create index run_created_idx on run (created_at);
create index run_dataset_idx on run (dataset_id);

create table run_tag (
    run_id    uuid         not null references run (id) on delete cascade,
    tag_key   varchar(100) not null,
    tag_value varchar(200) not null,
    primary key (run_id, tag_key)
);

create table run_status_history (
    run_id   uuid                     not null references run (id) on delete cascade,
    position integer                  not null,
    status   varchar(20)              not null,
    at       timestamp with time zone not null,
    reason   text,
    primary key (run_id, position)
);

create table epoch_metric (
    run_id             uuid    not null references run (id) on delete cascade,
    epoch              integer not null,
    loss               double precision,
    val_loss           double precision,
    accuracy           double precision,
    val_accuracy       double precision,
    learning_rate      double precision,
    duration_ms        bigint  not null,
    samples_per_second double precision,
    primary key (run_id, epoch)
);

create table step_loss (
    run_id uuid    not null references run (id) on delete cascade,
    step   bigint  not null,
    epoch  integer not null,
    loss   double precision,
    primary key (run_id, step)
);

create table run_checkpoint (
    run_id      uuid primary key references run (id) on delete cascade,
    epoch       integer                  not null,
    global_step bigint                   not null,
    data        bytea                    not null,
    created_at  timestamp with time zone not null
);

create table run_weights (
    run_id     uuid primary key references run (id) on delete cascade,
    data       bytea                    not null,
    sha256     varchar(64)              not null,
    created_at timestamp with time zone not null
);

create table weights (
    id         uuid primary key,
    tensors    text                     not null,
    data       bytea                    not null,
    size_bytes bigint                   not null,
    created_at timestamp with time zone not null
);

-- db-scheduler's table (its PostgreSQL definition)
create table scheduled_tasks (
    task_name            text                     not null,
    task_instance        text                     not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean                  not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   not null,
    priority             smallint,
    primary key (task_name, task_instance)
);

create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
