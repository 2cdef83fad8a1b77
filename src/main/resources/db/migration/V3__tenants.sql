-- Tenants, their API keys, and the tenant that owns each dataset, run and uploaded weights file.
-- What existed before belongs to the built-in tenant 'default'.

create table tenant (
    id                uuid primary key,
    name              varchar(100)             not null unique,
    max_queued_runs   integer,
    max_running_runs  integer,
    max_storage_bytes bigint,
    created_at        timestamp with time zone not null
);

insert into tenant (id, name, created_at) values ('00000000-0000-0000-0000-000000000001', 'default', current_timestamp);

create table api_key (
    id           uuid primary key,
    tenant_id    uuid                     not null references tenant (id) on delete cascade,
    name         varchar(100)             not null,
    role         varchar(20)              not null,
    prefix       varchar(32)              not null unique,
    hash         varchar(64)              not null,
    created_at   timestamp with time zone not null,
    expires_at   timestamp with time zone,
    revoked_at   timestamp with time zone,
    last_used_at timestamp with time zone
);

create index api_key_tenant_idx on api_key (tenant_id);

alter table dataset add column tenant_id uuid not null default '00000000-0000-0000-0000-000000000001';
alter table run add column tenant_id uuid not null default '00000000-0000-0000-0000-000000000001';
alter table weights add column tenant_id uuid not null default '00000000-0000-0000-0000-000000000001';

-- Idempotency keys are the caller's own: kept unique per tenant by storing them as '<tenant id>:<key>'.
alter table run alter column idempotency_key set data type varchar(240);
update run set idempotency_key = '00000000-0000-0000-0000-000000000001:' || idempotency_key where idempotency_key is not null;

create index run_tenant_status_idx on run (tenant_id, status, created_at);
create index dataset_tenant_idx on dataset (tenant_id, created_at);
create index weights_tenant_idx on weights (tenant_id);
