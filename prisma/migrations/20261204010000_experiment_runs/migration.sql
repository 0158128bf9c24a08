-- AlterTable
ALTER TABLE "experiment_runs" ADD COLUMN     "action" TEXT,
ADD COLUMN     "cr_name" TEXT,
ADD COLUMN     "cr_status" JSONB,
ADD COLUMN     "deadline_at" TIMESTAMPTZ(3),
ADD COLUMN     "duration_seconds" INTEGER,
ADD COLUMN     "lease_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "lease_owner" TEXT,
ADD COLUMN     "manifest_yaml" TEXT,
ADD COLUMN     "probe_state" JSONB,
ADD COLUMN     "targets" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "run_events" (
    "seq" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "from_status" "RunStatus",
    "to_status" "RunStatus",
    "actor" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "run_events_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "run_probe_results" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "probe" TEXT NOT NULL,
    "probe_type" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "latency_ms" INTEGER,
    "observed" TEXT,
    "message" TEXT NOT NULL,

    CONSTRAINT "run_probe_results_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "run_events_run_id_seq_idx" ON "run_events"("run_id", "seq");

-- CreateIndex
CREATE INDEX "run_probe_results_run_id_at_idx" ON "run_probe_results"("run_id", "at");

-- AddForeignKey
ALTER TABLE "run_events" ADD CONSTRAINT "run_events_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "experiment_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_probe_results" ADD CONSTRAINT "run_probe_results_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "experiment_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
