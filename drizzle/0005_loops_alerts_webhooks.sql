CREATE TYPE "public"."action_status" AS ENUM('todo', 'doing', 'blocked', 'done', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."follow_up_status" AS ENUM('todo', 'done', 'waived');--> statement-breakpoint
CREATE TYPE "public"."loop_stage" AS ENUM('listen', 'solve', 'measure', 'follow_up', 'closed', 'cancelled');--> statement-breakpoint
CREATE TABLE "alert" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"detector_id" text NOT NULL,
	"scope_key" text NOT NULL,
	"journey_id" uuid,
	"touchpoint_id" text,
	"motive" text,
	"kinds" text[] NOT NULL,
	"item_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"peak" jsonb NOT NULL,
	"latest" jsonb NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"last_firing_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"loop_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_detector" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_up" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"loop_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"feedback_id" uuid,
	"customer_id" text,
	"customer_name" text,
	"customer_contact" text,
	"spoke_at" timestamp with time zone,
	"assignee_id" uuid,
	"due_date" date,
	"status" "follow_up_status" DEFAULT 'todo' NOT NULL,
	"message" text,
	"method" text,
	"outcome" text,
	"note" text,
	"waive_reason" text,
	"done_at" timestamp with time zone,
	"done_by" uuid,
	"due_notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loop" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"journey_id" uuid NOT NULL,
	"title" text NOT NULL,
	"problem" text DEFAULT '' NOT NULL,
	"touchpoint_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"motive" text,
	"owner_id" uuid,
	"stage" "loop_stage" DEFAULT 'listen' NOT NULL,
	"stage_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rational_need" text DEFAULT '' NOT NULL,
	"emotional_need" text DEFAULT '' NOT NULL,
	"baseline_days" integer DEFAULT 28 NOT NULL,
	"after_days" integer DEFAULT 14 NOT NULL,
	"baseline" jsonb,
	"settled_at" timestamp with time zone,
	"after_window_end" timestamp with time zone,
	"measurement" jsonb,
	"alert_id" uuid,
	"cancel_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "loop_action" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"loop_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"title" text NOT NULL,
	"owner_id" uuid,
	"due_date" date,
	"status" "action_status" DEFAULT 'todo' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"due_notified_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loop_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"loop_id" uuid NOT NULL,
	"actor_id" uuid,
	"type" text NOT NULL,
	"action_id" uuid,
	"follow_up_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loop_item" (
	"loop_id" uuid NOT NULL,
	"feedback_id" uuid NOT NULL,
	"metrics" jsonb,
	"added_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loop_item_loop_id_feedback_id_pk" PRIMARY KEY("loop_id","feedback_id")
);
--> statement-breakpoint
CREATE TABLE "message_template" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"language" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "touchpoint_visit" (
	"user_id" uuid NOT NULL,
	"journey_id" uuid NOT NULL,
	"touchpoint_id" text NOT NULL,
	"visited_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "touchpoint_visit_user_id_journey_id_touchpoint_id_pk" PRIMARY KEY("user_id","journey_id","touchpoint_id")
);
--> statement-breakpoint
CREATE TABLE "webhook" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"events" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_delivery" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"webhook_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status" integer,
	"last_error" text,
	"claim_token" uuid,
	"claimed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "feedback_import" ADD COLUMN "file" "bytea";--> statement-breakpoint
ALTER TABLE "feedback_import" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "alert" ADD CONSTRAINT "alert_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert" ADD CONSTRAINT "alert_journey_id_journey_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journey"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert" ADD CONSTRAINT "alert_loop_id_loop_id_fk" FOREIGN KEY ("loop_id") REFERENCES "public"."loop"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_detector" ADD CONSTRAINT "alert_detector_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_loop_id_loop_id_fk" FOREIGN KEY ("loop_id") REFERENCES "public"."loop"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_feedback_id_feedback_id_fk" FOREIGN KEY ("feedback_id") REFERENCES "public"."feedback"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_assignee_id_user_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_done_by_user_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop" ADD CONSTRAINT "loop_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop" ADD CONSTRAINT "loop_journey_id_journey_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journey"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop" ADD CONSTRAINT "loop_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop" ADD CONSTRAINT "loop_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop_action" ADD CONSTRAINT "loop_action_loop_id_loop_id_fk" FOREIGN KEY ("loop_id") REFERENCES "public"."loop"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop_action" ADD CONSTRAINT "loop_action_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop_action" ADD CONSTRAINT "loop_action_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop_action" ADD CONSTRAINT "loop_action_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop_event" ADD CONSTRAINT "loop_event_loop_id_loop_id_fk" FOREIGN KEY ("loop_id") REFERENCES "public"."loop"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop_event" ADD CONSTRAINT "loop_event_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop_item" ADD CONSTRAINT "loop_item_loop_id_loop_id_fk" FOREIGN KEY ("loop_id") REFERENCES "public"."loop"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop_item" ADD CONSTRAINT "loop_item_feedback_id_feedback_id_fk" FOREIGN KEY ("feedback_id") REFERENCES "public"."feedback"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop_item" ADD CONSTRAINT "loop_item_added_by_user_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_template" ADD CONSTRAINT "message_template_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_template" ADD CONSTRAINT "message_template_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "touchpoint_visit" ADD CONSTRAINT "touchpoint_visit_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "touchpoint_visit" ADD CONSTRAINT "touchpoint_visit_journey_id_journey_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journey"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook" ADD CONSTRAINT "webhook_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook" ADD CONSTRAINT "webhook_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_webhook_id_webhook_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhook"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_detector_idx" ON "alert" USING btree ("workspace_id","detector_id");--> statement-breakpoint
CREATE INDEX "alert_open_idx" ON "alert" USING btree ("workspace_id","resolved_at","opened_at");--> statement-breakpoint
CREATE INDEX "alert_touchpoint_idx" ON "alert" USING btree ("journey_id","touchpoint_id");--> statement-breakpoint
CREATE INDEX "follow_up_loop_idx" ON "follow_up" USING btree ("loop_id");--> statement-breakpoint
CREATE INDEX "follow_up_assignee_idx" ON "follow_up" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_item_idx" ON "follow_up" USING btree ("loop_id","feedback_id");--> statement-breakpoint
CREATE INDEX "loop_workspace_idx" ON "loop" USING btree ("workspace_id","stage","updated_at");--> statement-breakpoint
CREATE INDEX "loop_journey_idx" ON "loop" USING btree ("journey_id","stage");--> statement-breakpoint
CREATE INDEX "loop_action_loop_idx" ON "loop_action" USING btree ("loop_id","position");--> statement-breakpoint
CREATE INDEX "loop_action_owner_idx" ON "loop_action" USING btree ("owner_id","status","due_date");--> statement-breakpoint
CREATE INDEX "loop_event_loop_idx" ON "loop_event" USING btree ("loop_id","id");--> statement-breakpoint
CREATE INDEX "loop_item_feedback_idx" ON "loop_item" USING btree ("feedback_id");--> statement-breakpoint
CREATE INDEX "message_template_workspace_idx" ON "message_template" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "webhook_workspace_idx" ON "webhook" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "webhook_delivery_queue_idx" ON "webhook_delivery" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_delivery_webhook_idx" ON "webhook_delivery" USING btree ("webhook_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_delivery_event_idx" ON "webhook_delivery" USING btree ("webhook_id","event_id");