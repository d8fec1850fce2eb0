-- Runsweep test fixture: the part of Prefect 3's SQLite schema that retention touches.
--
-- Names, types, keys, ON DELETE actions and retention-relevant indexes follow Prefect's own
-- schema; columns are trimmed to those the seeder fills plus every NOT NULL column, so rows
-- written here also fit a real Prefect database. Every statement is idempotent: run against an
-- existing Prefect database, it changes nothing.
--
-- Storage as Prefect writes it: ids CHAR(36) lowercase hyphenated text (Prefect's randomblob()
-- default is left out: whoever inserts supplies the id), timestamps DATETIME holding UTC text
-- 'YYYY-MM-DD HH:MM:SS.ffffff', state types VARCHAR(9) holding the enum name, JSON as text.
-- Foreign keys act only on connections with PRAGMA foreign_keys = ON, as Prefect opens them.
-- Statements end with ';' at the end of a line; PrefectSchema splits them there.

CREATE TABLE IF NOT EXISTS flow (
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    name VARCHAR NOT NULL,
    tags JSON DEFAULT '[]' NOT NULL,
    CONSTRAINT pk_flow PRIMARY KEY (id),
    CONSTRAINT uq_flow__name UNIQUE (name)
);

-- Minimal: Prefect's NOT NULL "status" column is left out, as on PostgreSQL (an enum there).
CREATE TABLE IF NOT EXISTS deployment (
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    name VARCHAR NOT NULL,
    tags JSON DEFAULT '[]' NOT NULL,
    parameters JSON DEFAULT '{}' NOT NULL,
    flow_id CHAR(36) NOT NULL,
    infra_overrides JSON DEFAULT '{}' NOT NULL,
    enforce_parameter_schema BOOLEAN DEFAULT '0' NOT NULL,
    paused BOOLEAN DEFAULT '0' NOT NULL,
    CONSTRAINT pk_deployment PRIMARY KEY (id),
    CONSTRAINT fk_deployment__flow_id__flow FOREIGN KEY (flow_id) REFERENCES flow (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_deployment__flow_id ON deployment (flow_id);
CREATE UNIQUE INDEX IF NOT EXISTS uq_deployment__flow_id_name ON deployment (flow_id, name);

-- No foreign key to flow_run or task_run, as in Prefect: deleting a run leaves its artifacts.
CREATE TABLE IF NOT EXISTS artifact (
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    "key" VARCHAR,
    type VARCHAR,
    data JSON,
    task_run_id CHAR(36),
    flow_run_id CHAR(36),
    CONSTRAINT pk_artifact PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_artifact__flow_run_id ON artifact (flow_run_id);
CREATE INDEX IF NOT EXISTS ix_artifact__task_run_id ON artifact (task_run_id);
CREATE INDEX IF NOT EXISTS ix_artifact__key ON artifact ("key");
CREATE INDEX IF NOT EXISTS ix_artifact__updated ON artifact (updated);

-- The latest artifact of each key; latest_id has no foreign key, as in Prefect.
CREATE TABLE IF NOT EXISTS artifact_collection (
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    "key" VARCHAR NOT NULL,
    latest_id CHAR(36) NOT NULL,
    task_run_id CHAR(36),
    flow_run_id CHAR(36),
    type VARCHAR,
    data JSON,
    CONSTRAINT pk_artifact_collection PRIMARY KEY (id),
    CONSTRAINT uq_artifact_collection__key UNIQUE ("key")
);
CREATE INDEX IF NOT EXISTS ix_artifact_collection__key_latest_id ON artifact_collection ("key", latest_id);
CREATE INDEX IF NOT EXISTS ix_artifact_collection__updated ON artifact_collection (updated);

-- SQLite accepts keys to tables created later, so the circular keys sit inline, as in Prefect.
-- deployment_id has no foreign key in Prefect.
CREATE TABLE IF NOT EXISTS flow_run (
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    name VARCHAR NOT NULL,
    state_type VARCHAR(9),
    run_count INTEGER DEFAULT '0' NOT NULL,
    expected_start_time DATETIME,
    start_time DATETIME,
    end_time DATETIME,
    total_run_time DATETIME DEFAULT '0' NOT NULL,
    parameters JSON DEFAULT '{}' NOT NULL,
    context JSON DEFAULT '{}' NOT NULL,
    empirical_policy JSON DEFAULT '{}' NOT NULL,
    tags JSON DEFAULT '[]' NOT NULL,
    auto_scheduled BOOLEAN DEFAULT '0' NOT NULL,
    flow_id CHAR(36) NOT NULL,
    deployment_id CHAR(36),
    parent_task_run_id CHAR(36),
    state_id CHAR(36),
    state_name VARCHAR,
    state_timestamp DATETIME,
    CONSTRAINT pk_flow_run PRIMARY KEY (id),
    CONSTRAINT fk_flow_run__state_id__flow_run_state FOREIGN KEY (state_id) REFERENCES flow_run_state (id) ON DELETE SET NULL,
    CONSTRAINT fk_flow_run__parent_task_run_id__task_run FOREIGN KEY (parent_task_run_id) REFERENCES task_run (id) ON DELETE SET NULL,
    CONSTRAINT fk_flow_run__flow_id__flow FOREIGN KEY (flow_id) REFERENCES flow (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_flow_run__end_time_desc ON flow_run (end_time);
CREATE INDEX IF NOT EXISTS ix_flow_run__start_time ON flow_run (start_time);
CREATE INDEX IF NOT EXISTS ix_flow_run__expected_start_time_desc ON flow_run (expected_start_time);
CREATE INDEX IF NOT EXISTS ix_flow_run__state_type ON flow_run (state_type);
CREATE INDEX IF NOT EXISTS ix_flow_run__flow_id ON flow_run (flow_id);
CREATE INDEX IF NOT EXISTS ix_flow_run__deployment_id ON flow_run (deployment_id);
CREATE INDEX IF NOT EXISTS ix_flow_run__parent_task_run_id ON flow_run (parent_task_run_id);
CREATE INDEX IF NOT EXISTS ix_flow_run__state_id ON flow_run (state_id);

CREATE TABLE IF NOT EXISTS flow_run_state (
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    type VARCHAR(9) NOT NULL,
    timestamp DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    name VARCHAR NOT NULL,
    message VARCHAR,
    state_details JSON DEFAULT '{}' NOT NULL,
    flow_run_id CHAR(36) NOT NULL,
    result_artifact_id CHAR(36),
    CONSTRAINT pk_flow_run_state PRIMARY KEY (id),
    CONSTRAINT fk_flow_run_state__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE,
    CONSTRAINT fk_flow_run_state__result_artifact_id__artifact FOREIGN KEY (result_artifact_id) REFERENCES artifact (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS uq_flow_run_state__flow_run_id_timestamp_desc ON flow_run_state (flow_run_id, timestamp);
CREATE INDEX IF NOT EXISTS ix_flow_run_state__type ON flow_run_state (type);
CREATE INDEX IF NOT EXISTS ix_flow_run_state__result_artifact_id ON flow_run_state (result_artifact_id);

CREATE TABLE IF NOT EXISTS flow_run_input (
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    "key" VARCHAR NOT NULL,
    value TEXT NOT NULL,
    flow_run_id CHAR(36) NOT NULL,
    CONSTRAINT pk_flow_run_input PRIMARY KEY (id),
    CONSTRAINT uq_flow_run_input__flow_run_id_key UNIQUE (flow_run_id, "key"),
    CONSTRAINT fk_flow_run_input__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE
);

-- flow_run_id is NULL for autonomous task runs; state_id has no foreign key in Prefect.
CREATE TABLE IF NOT EXISTS task_run (
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    name VARCHAR NOT NULL,
    state_type VARCHAR(9),
    run_count INTEGER DEFAULT '0' NOT NULL,
    expected_start_time DATETIME,
    start_time DATETIME,
    end_time DATETIME,
    total_run_time DATETIME DEFAULT '0' NOT NULL,
    task_key VARCHAR NOT NULL,
    dynamic_key VARCHAR NOT NULL,
    empirical_policy JSON DEFAULT '{}' NOT NULL,
    task_inputs JSON DEFAULT '{}' NOT NULL,
    tags JSON DEFAULT '[]' NOT NULL,
    flow_run_id CHAR(36),
    state_id CHAR(36),
    state_name VARCHAR,
    state_timestamp DATETIME,
    flow_run_run_count INTEGER DEFAULT '0' NOT NULL,
    CONSTRAINT pk_task_run PRIMARY KEY (id),
    CONSTRAINT fk_task_run__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_task_run__flow_run_id ON task_run (flow_run_id);
CREATE UNIQUE INDEX IF NOT EXISTS uq_task_run__flow_run_id_task_key_dynamic_key ON task_run (flow_run_id, task_key, dynamic_key);
CREATE INDEX IF NOT EXISTS ix_task_run__end_time_desc ON task_run (end_time);
CREATE INDEX IF NOT EXISTS ix_task_run__start_time ON task_run (start_time);
CREATE INDEX IF NOT EXISTS ix_task_run__expected_start_time_desc ON task_run (expected_start_time);
CREATE INDEX IF NOT EXISTS ix_task_run__state_type ON task_run (state_type);

CREATE TABLE IF NOT EXISTS task_run_state (
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    type VARCHAR(9) NOT NULL,
    timestamp DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    name VARCHAR NOT NULL,
    message VARCHAR,
    state_details JSON DEFAULT '{}' NOT NULL,
    task_run_id CHAR(36) NOT NULL,
    result_artifact_id CHAR(36),
    CONSTRAINT pk_task_run_state PRIMARY KEY (id),
    CONSTRAINT fk_task_run_state__task_run_id__task_run FOREIGN KEY (task_run_id) REFERENCES task_run (id) ON DELETE CASCADE,
    CONSTRAINT fk_task_run_state__result_artifact_id__artifact FOREIGN KEY (result_artifact_id) REFERENCES artifact (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS uq_task_run_state__task_run_id_timestamp_desc ON task_run_state (task_run_id, timestamp);
CREATE INDEX IF NOT EXISTS ix_task_run_state__type ON task_run_state (type);
CREATE INDEX IF NOT EXISTS ix_task_run_state__result_artifact_id ON task_run_state (result_artifact_id);

-- No foreign key to flow_run or task_run, as in Prefect: deleting a run leaves its logs.
CREATE TABLE IF NOT EXISTS log (
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    name VARCHAR NOT NULL,
    level SMALLINT NOT NULL,
    flow_run_id CHAR(36),
    task_run_id CHAR(36),
    message TEXT NOT NULL,
    timestamp DATETIME NOT NULL,
    CONSTRAINT pk_log PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_log__flow_run_id ON log (flow_run_id);
CREATE INDEX IF NOT EXISTS ix_log__level ON log (level);
CREATE INDEX IF NOT EXISTS ix_log__updated ON log (updated);
CREATE INDEX IF NOT EXISTS ix_log__flow_run_id_timestamp ON log (flow_run_id, timestamp);
CREATE INDEX IF NOT EXISTS ix_log__task_run_id ON log (task_run_id);
CREATE INDEX IF NOT EXISTS ix_log__timestamp ON log (timestamp);

-- Events name their subject in text (resource_id = 'prefect.flow-run.<uuid>'), never by key.
CREATE TABLE IF NOT EXISTS events (
    occurred DATETIME NOT NULL,
    event TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    resource JSON NOT NULL,
    related_resource_ids JSON DEFAULT '[]' NOT NULL,
    related JSON DEFAULT '[]' NOT NULL,
    payload JSON NOT NULL,
    received DATETIME NOT NULL,
    recorded DATETIME NOT NULL,
    follows CHAR(36),
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    CONSTRAINT pk_events PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_events__occurred ON events (occurred);
CREATE INDEX IF NOT EXISTS ix_events__occurred_id ON events (occurred, id);
CREATE INDEX IF NOT EXISTS ix_events__event_occurred_id ON events (event, occurred, id);

-- event_id has no foreign key in Prefect. The indexes on occurred and on event_id are those of
-- Prefect 3.7.5 / 3.8.0 and later; databases from before lack them, and the tests that exercise
-- that slow case drop them.
CREATE TABLE IF NOT EXISTS event_resources (
    occurred DATETIME NOT NULL,
    resource_id TEXT NOT NULL,
    resource_role TEXT NOT NULL,
    resource JSON NOT NULL,
    event_id CHAR(36) NOT NULL,
    id CHAR(36) NOT NULL,
    created DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    updated DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) NOT NULL,
    CONSTRAINT pk_event_resources PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_event_resources__resource_id__occurred ON event_resources (resource_id, occurred);
CREATE INDEX IF NOT EXISTS ix_event_resources__occurred ON event_resources (occurred);
CREATE INDEX IF NOT EXISTS ix_event_resources__event_id ON event_resources (event_id);
