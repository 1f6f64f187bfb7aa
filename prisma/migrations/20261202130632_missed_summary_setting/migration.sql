-- AlterTable
ALTER TABLE "account" ADD COLUMN     "missed_summary" BOOLEAN NOT NULL DEFAULT true;

