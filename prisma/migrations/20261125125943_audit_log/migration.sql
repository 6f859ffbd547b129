-- CreateTable
CREATE TABLE "audit_log" (
    "id" TEXT NOT NULL,
    "sale_id" TEXT,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_log_sale_id_created_at_idx" ON "audit_log"("sale_id", "created_at" DESC);
