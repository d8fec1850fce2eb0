-- Runsweep test fixture: the part of Milvaion's PostgreSQL schema that retention touches.
--
-- Names (quoted PascalCase), types, keys, ON DELETE actions and the retention-relevant indexes follow
-- Milvaion's EF Core model; columns are trimmed to every NOT NULL column plus those the preset and its
-- tests read, so rows written here also fit a real Milvaion database. Every statement is idempotent: run
-- against an existing Milvaion database, it changes nothing. Statements end with ';' at the end of a line.

CREATE TABLE IF NOT EXISTS "ScheduledJobs" (
    "Id" uuid NOT NULL,
    "DisplayName" text NULL,
    "ExecuteAt" timestamp with time zone NOT NULL,
    "IsActive" boolean NOT NULL,
    "ConcurrentExecutionPolicy" integer NOT NULL,
    "JobNameInWorker" character varying(200) NOT NULL,
    "Version" integer NOT NULL,
    "IsExternal" boolean NOT NULL DEFAULT false,
    CONSTRAINT "PK_ScheduledJobs" PRIMARY KEY ("Id")
);

CREATE TABLE IF NOT EXISTS "Workflows" (
    "Id" uuid NOT NULL,
    "Name" character varying(200) NOT NULL,
    "IsActive" boolean NOT NULL,
    "FailureStrategy" integer NOT NULL,
    "MaxStepRetries" integer NOT NULL,
    "Version" integer NOT NULL,
    "Definition" jsonb NOT NULL,
    CONSTRAINT "PK_Workflows" PRIMARY KEY ("Id")
);

-- "Status": 0 Pending, 1 Running, 2 Completed, 3 Failed, 4 Cancelled, 5 PartiallyCompleted.
CREATE TABLE IF NOT EXISTS "WorkflowRuns" (
    "Id" uuid NOT NULL,
    "WorkflowId" uuid NOT NULL,
    "WorkflowVersion" integer NOT NULL,
    "CorrelationId" uuid NOT NULL,
    "Status" integer NOT NULL,
    "StartTime" timestamp with time zone NULL,
    "EndTime" timestamp with time zone NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_WorkflowRuns" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_WorkflowRuns_Workflows_WorkflowId" FOREIGN KEY ("WorkflowId")
        REFERENCES "Workflows" ("Id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "IX_WorkflowRuns_WorkflowId" ON "WorkflowRuns" ("WorkflowId");

-- "Status": 0 Queued, 1 Running, 2 Completed, 3 Failed, 4 Cancelled, 5 TimedOut, 6 Unknown, 7 Skipped.
-- "EndTime" is NULL until a run ends. The key to "WorkflowRuns" has no ON DELETE action (NO ACTION).
CREATE TABLE IF NOT EXISTS "JobOccurrences" (
    "Id" uuid NOT NULL,
    "JobName" text NULL,
    "JobId" uuid NOT NULL,
    "JobVersion" integer NOT NULL,
    "CorrelationId" uuid NOT NULL,
    "WorkerId" character varying(100) NULL,
    "Status" integer NOT NULL,
    "StartTime" timestamp with time zone NULL,
    "EndTime" timestamp with time zone NULL,
    "DurationMs" bigint NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "DispatchRetryCount" integer NOT NULL,
    "LastHeartbeat" timestamp with time zone NULL,
    "StatusChangeLogs" jsonb NULL,
    "StepRetryCount" integer NOT NULL DEFAULT 0,
    "WorkflowRunId" uuid NULL,
    CONSTRAINT "PK_JobOccurrences" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_JobOccurrences_ScheduledJobs_JobId" FOREIGN KEY ("JobId")
        REFERENCES "ScheduledJobs" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_JobOccurrences_WorkflowRuns_WorkflowRunId" FOREIGN KEY ("WorkflowRunId")
        REFERENCES "WorkflowRuns" ("Id")
);
CREATE INDEX IF NOT EXISTS "IX_JobOccurrences_JobId" ON "JobOccurrences" ("JobId");
CREATE INDEX IF NOT EXISTS "IX_JobOccurrences_WorkflowRunId" ON "JobOccurrences" ("WorkflowRunId");
CREATE INDEX IF NOT EXISTS "IX_JobOccurrences_Status_CreatedAt_Covering"
    ON "JobOccurrences" ("Status", "CreatedAt" DESC)
    INCLUDE ("Id", "JobId", "JobName", "CorrelationId", "WorkerId", "StartTime", "EndTime", "DurationMs");
CREATE INDEX IF NOT EXISTS "IX_JobOccurrences_CreatedAt_Recent"
    ON "JobOccurrences" ("CreatedAt" DESC)
    INCLUDE ("Id", "JobId", "JobName", "CorrelationId", "WorkerId", "Status", "StartTime", "EndTime", "DurationMs");
CREATE INDEX IF NOT EXISTS "IX_JobOccurrences_Zombie_Running_Heartbeat"
    ON "JobOccurrences" ("LastHeartbeat") WHERE "Status" = 1;

CREATE TABLE IF NOT EXISTS "JobOccurrenceLogs" (
    "Id" uuid NOT NULL,
    "OccurrenceId" uuid NOT NULL,
    "Timestamp" timestamp with time zone NOT NULL,
    "Level" text NULL,
    "Message" text NULL,
    CONSTRAINT "PK_JobOccurrenceLogs" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_JobOccurrenceLogs_JobOccurrences_OccurrenceId" FOREIGN KEY ("OccurrenceId")
        REFERENCES "JobOccurrences" ("Id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "IX_JobOccurrenceLogs_OccurrenceId" ON "JobOccurrenceLogs" ("OccurrenceId");

-- Dead-letter rows: deleting an occurrence deletes its dead-letter row with it.
CREATE TABLE IF NOT EXISTS "FailedOccurrences" (
    "Id" uuid NOT NULL,
    "JobId" uuid NOT NULL,
    "OccurrenceId" uuid NOT NULL,
    "CorrelationId" uuid NOT NULL,
    "JobDisplayName" character varying(200) NOT NULL,
    "JobNameInWorker" character varying(200) NOT NULL,
    "FailedAt" timestamp with time zone NOT NULL,
    "RetryCount" integer NOT NULL,
    "FailureType" integer NOT NULL,
    "Resolved" boolean NOT NULL,
    "ResolvedAt" timestamp with time zone NULL,
    CONSTRAINT "PK_FailedOccurrences" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_FailedOccurrences_JobOccurrences_OccurrenceId" FOREIGN KEY ("OccurrenceId")
        REFERENCES "JobOccurrences" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_FailedOccurrences_ScheduledJobs_JobId" FOREIGN KEY ("JobId")
        REFERENCES "ScheduledJobs" ("Id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "IX_FailedOccurrences_JobId" ON "FailedOccurrences" ("JobId");
CREATE INDEX IF NOT EXISTS "IX_FailedOccurrences_OccurrenceId" ON "FailedOccurrences" ("OccurrenceId");
CREATE INDEX IF NOT EXISTS "IX_FailedOccurrences_Resolved_FailedAt" ON "FailedOccurrences" ("Resolved", "FailedAt" DESC);

CREATE TABLE IF NOT EXISTS "ActivityLogs" (
    "Id" integer GENERATED BY DEFAULT AS IDENTITY,
    "UserName" character varying(100) NOT NULL,
    "Activity" smallint NOT NULL,
    "ActivityDate" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_ActivityLogs" PRIMARY KEY ("Id")
);
CREATE INDEX IF NOT EXISTS "IX_ActivityLogs_ActivityDate" ON "ActivityLogs" ("ActivityDate" DESC);

-- "CreationDate" is the real column ("CreatedDate", which Milvaion's own cleanup names, does not exist).
CREATE TABLE IF NOT EXISTS "InternalNotifications" (
    "Id" bigint GENERATED BY DEFAULT AS IDENTITY,
    "RecipientUserName" text NULL,
    "RecipientUserId" integer NOT NULL,
    "Type" smallint NOT NULL,
    "SeenDate" timestamp with time zone NULL,
    "Text" text NULL,
    "RelatedEntityType" smallint NOT NULL,
    "CreationDate" timestamp with time zone NULL,
    CONSTRAINT "PK_InternalNotifications" PRIMARY KEY ("Id")
);
CREATE INDEX IF NOT EXISTS "IX_InternalNotifications_RecipientUserName" ON "InternalNotifications" ("RecipientUserName");
