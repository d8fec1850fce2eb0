-- Runsweep test fixture: the part of Prefect 3's PostgreSQL schema that retention touches.
--
-- Names, types, keys, ON DELETE actions and retention-relevant indexes follow Prefect's own
-- schema; columns are trimmed to those the seeder fills plus every NOT NULL column, so rows
-- written here also fit a real Prefect database. Every statement is idempotent: run against an
-- existing Prefect database, it changes nothing. Needs PostgreSQL 13+ (core gen_random_uuid()).
-- Statements end with ';' at the end of a line; PrefectSchema splits them there.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type
                   WHERE typname = 'state_type' AND typnamespace = current_schema()::regnamespace) THEN
        CREATE TYPE state_type AS ENUM (
            'SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED',
            'CANCELLED', 'CRASHED', 'PAUSED', 'CANCELLING');
    END IF;
END
$$;

CREATE TABLE IF NOT EXISTS flow (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    name character varying NOT NULL,
    tags jsonb DEFAULT '[]'::jsonb NOT NULL,
    CONSTRAINT pk_flow PRIMARY KEY (id),
    CONSTRAINT uq_flow__name UNIQUE (name)
);

-- Minimal: Prefect's NOT NULL "status" column is left out, as it needs a second enum type.
CREATE TABLE IF NOT EXISTS deployment (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    name character varying NOT NULL,
    tags jsonb DEFAULT '[]'::jsonb NOT NULL,
    parameters jsonb DEFAULT '{}'::jsonb NOT NULL,
    flow_id uuid NOT NULL,
    infra_overrides jsonb DEFAULT '{}'::jsonb NOT NULL,
    enforce_parameter_schema boolean DEFAULT false NOT NULL,
    paused boolean DEFAULT false NOT NULL,
    CONSTRAINT pk_deployment PRIMARY KEY (id),
    CONSTRAINT fk_deployment__flow_id__flow FOREIGN KEY (flow_id) REFERENCES flow(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_deployment__flow_id ON deployment USING btree (flow_id);
CREATE UNIQUE INDEX IF NOT EXISTS uq_deployment__flow_id_name ON deployment USING btree (flow_id, name);

-- No foreign key to flow_run or task_run, as in Prefect: deleting a run leaves its artifacts.
CREATE TABLE IF NOT EXISTS artifact (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    key character varying,
    type character varying,
    data json,
    task_run_id uuid,
    flow_run_id uuid,
    CONSTRAINT pk_artifact PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_artifact__flow_run_id ON artifact USING btree (flow_run_id);
CREATE INDEX IF NOT EXISTS ix_artifact__task_run_id ON artifact USING btree (task_run_id);
CREATE INDEX IF NOT EXISTS ix_artifact__key ON artifact USING btree (key);
CREATE INDEX IF NOT EXISTS ix_artifact__updated ON artifact USING btree (updated);

-- The latest artifact of each key; latest_id has no foreign key, as in Prefect.
CREATE TABLE IF NOT EXISTS artifact_collection (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    key character varying NOT NULL,
    latest_id uuid NOT NULL,
    task_run_id uuid,
    flow_run_id uuid,
    type character varying,
    data json,
    CONSTRAINT pk_artifact_collection PRIMARY KEY (id),
    CONSTRAINT uq_artifact_collection__key UNIQUE (key)
);
CREATE INDEX IF NOT EXISTS ix_artifact_collection__key_latest_id ON artifact_collection USING btree (key, latest_id);
CREATE INDEX IF NOT EXISTS ix_artifact_collection__updated ON artifact_collection USING btree (updated);

-- deployment_id has no foreign key in Prefect. state_id and parent_task_run_id get theirs
-- below, once the tables they point at exist.
CREATE TABLE IF NOT EXISTS flow_run (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    name character varying NOT NULL,
    state_type state_type,
    run_count integer DEFAULT 0 NOT NULL,
    expected_start_time timestamp with time zone,
    start_time timestamp with time zone,
    end_time timestamp with time zone,
    total_run_time interval DEFAULT '00:00:00'::interval NOT NULL,
    parameters jsonb DEFAULT '{}'::jsonb NOT NULL,
    context jsonb DEFAULT '{}'::jsonb NOT NULL,
    empirical_policy jsonb DEFAULT '{}'::jsonb NOT NULL,
    tags jsonb DEFAULT '[]'::jsonb NOT NULL,
    auto_scheduled boolean DEFAULT false NOT NULL,
    flow_id uuid NOT NULL,
    deployment_id uuid,
    parent_task_run_id uuid,
    state_id uuid,
    state_name character varying,
    state_timestamp timestamp with time zone,
    CONSTRAINT pk_flow_run PRIMARY KEY (id),
    CONSTRAINT fk_flow_run__flow_id__flow FOREIGN KEY (flow_id) REFERENCES flow(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_flow_run__end_time_desc ON flow_run USING btree (end_time DESC);
CREATE INDEX IF NOT EXISTS ix_flow_run__start_time ON flow_run USING btree (start_time);
CREATE INDEX IF NOT EXISTS ix_flow_run__expected_start_time_desc ON flow_run USING btree (expected_start_time DESC);
CREATE INDEX IF NOT EXISTS ix_flow_run__state_type ON flow_run USING btree (state_type);
CREATE INDEX IF NOT EXISTS ix_flow_run__flow_id ON flow_run USING btree (flow_id);
CREATE INDEX IF NOT EXISTS ix_flow_run__deployment_id ON flow_run USING btree (deployment_id);
CREATE INDEX IF NOT EXISTS ix_flow_run__parent_task_run_id ON flow_run USING btree (parent_task_run_id);
CREATE INDEX IF NOT EXISTS ix_flow_run__state_id ON flow_run USING btree (state_id);

CREATE TABLE IF NOT EXISTS flow_run_state (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    type state_type NOT NULL,
    "timestamp" timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    name character varying NOT NULL,
    message character varying,
    state_details jsonb DEFAULT '{}'::jsonb NOT NULL,
    flow_run_id uuid NOT NULL,
    result_artifact_id uuid,
    CONSTRAINT pk_flow_run_state PRIMARY KEY (id),
    CONSTRAINT fk_flow_run_state__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run(id) ON DELETE CASCADE,
    CONSTRAINT fk_flow_run_state__result_artifact_id__artifact FOREIGN KEY (result_artifact_id) REFERENCES artifact(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS uq_flow_run_state__flow_run_id_timestamp_desc ON flow_run_state USING btree (flow_run_id, "timestamp" DESC);
CREATE INDEX IF NOT EXISTS ix_flow_run_state__type ON flow_run_state USING btree (type);
CREATE INDEX IF NOT EXISTS ix_flow_run_state__result_artifact_id ON flow_run_state USING btree (result_artifact_id);

CREATE TABLE IF NOT EXISTS flow_run_input (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    key character varying NOT NULL,
    value text NOT NULL,
    flow_run_id uuid NOT NULL,
    CONSTRAINT pk_flow_run_input PRIMARY KEY (id),
    CONSTRAINT uq_flow_run_input__flow_run_id_key UNIQUE (flow_run_id, key),
    CONSTRAINT fk_flow_run_input__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run(id) ON DELETE CASCADE
);

-- flow_run_id is NULL for autonomous task runs; state_id has no foreign key in Prefect.
CREATE TABLE IF NOT EXISTS task_run (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    name character varying NOT NULL,
    state_type state_type,
    run_count integer DEFAULT 0 NOT NULL,
    expected_start_time timestamp with time zone,
    start_time timestamp with time zone,
    end_time timestamp with time zone,
    total_run_time interval DEFAULT '00:00:00'::interval NOT NULL,
    task_key character varying NOT NULL,
    dynamic_key character varying NOT NULL,
    empirical_policy jsonb DEFAULT '{}'::jsonb NOT NULL,
    task_inputs jsonb DEFAULT '{}'::jsonb NOT NULL,
    tags jsonb DEFAULT '[]'::jsonb NOT NULL,
    flow_run_id uuid,
    state_id uuid,
    state_name character varying,
    state_timestamp timestamp with time zone,
    flow_run_run_count integer DEFAULT 0 NOT NULL,
    CONSTRAINT pk_task_run PRIMARY KEY (id),
    CONSTRAINT fk_task_run__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_task_run__flow_run_id ON task_run USING btree (flow_run_id);
CREATE UNIQUE INDEX IF NOT EXISTS uq_task_run__flow_run_id_task_key_dynamic_key ON task_run USING btree (flow_run_id, task_key, dynamic_key);
CREATE INDEX IF NOT EXISTS ix_task_run__end_time_desc ON task_run USING btree (end_time DESC);
CREATE INDEX IF NOT EXISTS ix_task_run__start_time ON task_run USING btree (start_time);
CREATE INDEX IF NOT EXISTS ix_task_run__expected_start_time_desc ON task_run USING btree (expected_start_time DESC);
CREATE INDEX IF NOT EXISTS ix_task_run__state_type ON task_run USING btree (state_type);

CREATE TABLE IF NOT EXISTS task_run_state (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    type state_type NOT NULL,
    "timestamp" timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    name character varying NOT NULL,
    message character varying,
    state_details jsonb DEFAULT '{}'::jsonb NOT NULL,
    task_run_id uuid NOT NULL,
    result_artifact_id uuid,
    CONSTRAINT pk_task_run_state PRIMARY KEY (id),
    CONSTRAINT fk_task_run_state__task_run_id__task_run FOREIGN KEY (task_run_id) REFERENCES task_run(id) ON DELETE CASCADE,
    CONSTRAINT fk_task_run_state__result_artifact_id__artifact FOREIGN KEY (result_artifact_id) REFERENCES artifact(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS uq_task_run_state__task_run_id_timestamp_desc ON task_run_state USING btree (task_run_id, "timestamp" DESC);
CREATE INDEX IF NOT EXISTS ix_task_run_state__type ON task_run_state USING btree (type);
CREATE INDEX IF NOT EXISTS ix_task_run_state__result_artifact_id ON task_run_state USING btree (result_artifact_id);

-- The circular keys, as in Prefect: both pointers survive the deletion of their target as NULL.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conname = 'fk_flow_run__state_id__flow_run_state' AND conrelid = 'flow_run'::regclass) THEN
        ALTER TABLE flow_run ADD CONSTRAINT fk_flow_run__state_id__flow_run_state
            FOREIGN KEY (state_id) REFERENCES flow_run_state(id) ON DELETE SET NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conname = 'fk_flow_run__parent_task_run_id__task_run' AND conrelid = 'flow_run'::regclass) THEN
        ALTER TABLE flow_run ADD CONSTRAINT fk_flow_run__parent_task_run_id__task_run
            FOREIGN KEY (parent_task_run_id) REFERENCES task_run(id) ON DELETE SET NULL;
    END IF;
END
$$;

-- No foreign key to flow_run or task_run, as in Prefect: deleting a run leaves its logs.
CREATE TABLE IF NOT EXISTS log (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    name character varying NOT NULL,
    level smallint NOT NULL,
    flow_run_id uuid,
    task_run_id uuid,
    message text NOT NULL,
    "timestamp" timestamp with time zone NOT NULL,
    CONSTRAINT pk_log PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_log__flow_run_id ON log USING btree (flow_run_id);
CREATE INDEX IF NOT EXISTS ix_log__level ON log USING btree (level);
CREATE INDEX IF NOT EXISTS ix_log__updated ON log USING btree (updated);
CREATE INDEX IF NOT EXISTS ix_log__flow_run_id_timestamp ON log USING btree (flow_run_id, "timestamp");
CREATE INDEX IF NOT EXISTS ix_log__task_run_id ON log USING btree (task_run_id);
CREATE INDEX IF NOT EXISTS ix_log__timestamp ON log USING btree ("timestamp");

-- Events name their subject in text (resource_id = 'prefect.flow-run.<uuid>'), never by key.
CREATE TABLE IF NOT EXISTS events (
    occurred timestamp with time zone NOT NULL,
    event text NOT NULL,
    resource_id text NOT NULL,
    resource jsonb NOT NULL,
    related_resource_ids jsonb DEFAULT '[]'::jsonb NOT NULL,
    related jsonb DEFAULT '[]'::jsonb NOT NULL,
    payload jsonb NOT NULL,
    received timestamp with time zone NOT NULL,
    recorded timestamp with time zone NOT NULL,
    follows uuid,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT pk_events PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_events__occurred ON events USING btree (occurred);
CREATE INDEX IF NOT EXISTS ix_events__occurred_id ON events USING btree (occurred, id);
CREATE INDEX IF NOT EXISTS ix_events__event_occurred_id ON events USING btree (event, occurred, id);

-- event_id has no foreign key in Prefect: rows are deleted by occurred, before their events.
CREATE TABLE IF NOT EXISTS event_resources (
    occurred timestamp with time zone NOT NULL,
    resource_id text NOT NULL,
    resource_role text NOT NULL,
    resource json NOT NULL,
    event_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT pk_event_resources PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_event_resources__resource_id__occurred ON event_resources USING btree (resource_id, occurred);
CREATE INDEX IF NOT EXISTS ix_event_resources__occurred ON event_resources USING btree (occurred);
CREATE INDEX IF NOT EXISTS ix_event_resources__event_id ON event_resources USING btree (event_id);
