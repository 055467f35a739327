CREATE TABLE "journey_daily" (
	"journey_id" uuid NOT NULL,
	"day" date NOT NULL,
	"workspace_id" uuid NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	"score_sum" double precision DEFAULT 0 NOT NULL,
	"score_sq" double precision DEFAULT 0 NOT NULL,
	"negative" integer DEFAULT 0 NOT NULL,
	"neutral" integer DEFAULT 0 NOT NULL,
	"positive" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "journey_daily_journey_id_day_pk" PRIMARY KEY("journey_id","day")
);
--> statement-breakpoint
ALTER TABLE "journey_daily" ADD CONSTRAINT "journey_daily_journey_id_journey_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journey"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_daily" ADD CONSTRAINT "journey_daily_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "journey_daily_workspace_day_idx" ON "journey_daily" USING btree ("workspace_id","day");--> statement-breakpoint
CREATE INDEX "feedback_products_idx" ON "feedback" USING gin ("products");--> statement-breakpoint
CREATE INDEX "feedback_places_idx" ON "feedback" USING gin ("places");--> statement-breakpoint
CREATE INDEX "touchpoint_daily_workspace_day_idx" ON "touchpoint_daily" USING btree ("workspace_id","day");--> statement-breakpoint
INSERT INTO "journey_daily" ("journey_id", "day", "workspace_id", "n", "score_sum", "score_sq", "negative", "neutral", "positive")
SELECT "journey_id", "day", "workspace_id", sum("n"), sum("score_sum"), sum("score_sq"), sum("negative"), sum("neutral"), sum("positive")
FROM "touchpoint_daily" GROUP BY "journey_id", "day", "workspace_id";
