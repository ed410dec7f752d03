ALTER TABLE "certificates" ALTER COLUMN "decision_date" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "certificates" ALTER COLUMN "valid_from" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "certificates" ALTER COLUMN "valid_to" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "certificates" ADD COLUMN "recognition_year" smallint;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_date_or_year_check" CHECK (("certificates"."decision_date" is not null and "certificates"."valid_from" is not null and "certificates"."valid_to" is not null) or ("certificates"."decision_date" is null and "certificates"."valid_from" is null and "certificates"."valid_to" is null and "certificates"."recognition_year" between 1990 and 2100));