DROP INDEX "feedback_motives_idx";--> statement-breakpoint
ALTER TABLE "feedback" SET (fillfactor = 80);--> statement-breakpoint
ALTER INDEX "feedback_search_idx" SET (gin_pending_list_limit = 32768);