CREATE TYPE "public"."feedback_channel" AS ENUM('email', 'web_form', 'social', 'survey', 'chat', 'phone', 'store', 'review', 'other');--> statement-breakpoint
CREATE TYPE "public"."feedback_source" AS ENUM('api', 'csv', 'form', 'manual', 'email', 'demo');--> statement-breakpoint
CREATE TYPE "public"."feedback_status" AS ENUM('pending', 'processing', 'done', 'failed');--> statement-breakpoint
CREATE TYPE "public"."rating_kind" AS ENUM('nps', 'csat', 'stars');--> statement-breakpoint
CREATE TABLE "catalogue_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text DEFAULT 'product' NOT NULL,
	"name" text NOT NULL,
	"aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"journey_id" uuid,
	"given_touchpoint_id" text,
	"touchpoint_id" text,
	"text" text NOT NULL,
	"channel" "feedback_channel" NOT NULL,
	"source" "feedback_source" NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"customer_id" text,
	"customer_name" text,
	"customer_contact" text,
	"rating_kind" "rating_kind",
	"rating_value" smallint,
	"given_language" text,
	"external_id" text,
	"import_id" uuid,
	"created_by" uuid,
	"status" "feedback_status" DEFAULT 'pending' NOT NULL,
	"claim_token" uuid,
	"claimed_at" timestamp with time zone,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"analysed_count" smallint DEFAULT 0 NOT NULL,
	"error" text,
	"spam" boolean DEFAULT false NOT NULL,
	"analysis" jsonb,
	"language" text,
	"polarity" text,
	"score" real,
	"intent" text,
	"stage" text,
	"emotions" text[],
	"motives" text[],
	"products" text[],
	"places" text[],
	"corrected" text[],
	"search" "tsvector",
	"analysed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback_correction" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"feedback_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid,
	"field" text NOT NULL,
	"from_value" text,
	"to_value" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback_form" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"journey_id" uuid NOT NULL,
	"touchpoint_id" text,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"ask_rating" "rating_kind",
	"ask_contact" boolean DEFAULT true NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback_import" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"created_by" uuid,
	"filename" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"inserted" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"rejects" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "motive" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"key" text NOT NULL,
	"label_fr" text NOT NULL,
	"label_en" text NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"stage" text,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "place" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text DEFAULT 'store' NOT NULL,
	"name" text NOT NULL,
	"aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "touchpoint_daily" (
	"journey_id" uuid NOT NULL,
	"touchpoint_id" text NOT NULL,
	"day" date NOT NULL,
	"channel" "feedback_channel" NOT NULL,
	"workspace_id" uuid NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	"score_sum" double precision DEFAULT 0 NOT NULL,
	"score_sq" double precision DEFAULT 0 NOT NULL,
	"negative" integer DEFAULT 0 NOT NULL,
	"neutral" integer DEFAULT 0 NOT NULL,
	"positive" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "touchpoint_daily_journey_id_touchpoint_id_day_channel_pk" PRIMARY KEY("journey_id","touchpoint_id","day","channel")
);
--> statement-breakpoint
CREATE TABLE "workspace_model" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"model" text NOT NULL,
	"examples" integer NOT NULL,
	"trained_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalogue_item" ADD CONSTRAINT "catalogue_item_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_journey_id_journey_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journey"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_correction" ADD CONSTRAINT "feedback_correction_feedback_id_feedback_id_fk" FOREIGN KEY ("feedback_id") REFERENCES "public"."feedback"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_correction" ADD CONSTRAINT "feedback_correction_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_correction" ADD CONSTRAINT "feedback_correction_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_form" ADD CONSTRAINT "feedback_form_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_form" ADD CONSTRAINT "feedback_form_journey_id_journey_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journey"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_form" ADD CONSTRAINT "feedback_form_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_import" ADD CONSTRAINT "feedback_import_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_import" ADD CONSTRAINT "feedback_import_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "motive" ADD CONSTRAINT "motive_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "place" ADD CONSTRAINT "place_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "touchpoint_daily" ADD CONSTRAINT "touchpoint_daily_journey_id_journey_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journey"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "touchpoint_daily" ADD CONSTRAINT "touchpoint_daily_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_model" ADD CONSTRAINT "workspace_model_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalogue_item_workspace_idx" ON "catalogue_item" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_external_idx" ON "feedback" USING btree ("workspace_id","external_id");--> statement-breakpoint
CREATE INDEX "feedback_queue_idx" ON "feedback" USING btree ("status","created_at") WHERE status in ('pending', 'processing');--> statement-breakpoint
CREATE INDEX "feedback_workspace_received_idx" ON "feedback" USING btree ("workspace_id","received_at");--> statement-breakpoint
CREATE INDEX "feedback_touchpoint_idx" ON "feedback" USING btree ("journey_id","touchpoint_id","received_at");--> statement-breakpoint
CREATE INDEX "feedback_search_idx" ON "feedback" USING gin ("search");--> statement-breakpoint
CREATE INDEX "feedback_motives_idx" ON "feedback" USING gin ("motives");--> statement-breakpoint
CREATE INDEX "feedback_import_idx" ON "feedback" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "feedback_correction_workspace_idx" ON "feedback_correction" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_form_slug_idx" ON "feedback_form" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "feedback_form_journey_idx" ON "feedback_form" USING btree ("journey_id");--> statement-breakpoint
CREATE INDEX "feedback_import_workspace_idx" ON "feedback_import" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "motive_workspace_key_idx" ON "motive" USING btree ("workspace_id","key");--> statement-breakpoint
CREATE INDEX "place_workspace_idx" ON "place" USING btree ("workspace_id");