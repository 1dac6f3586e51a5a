import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * What Medusa's PostgreSQL search provider needs before its first index:
 * pg_trgm and unaccent, the accent-folding English text search
 * configuration it names `medusa_search_english`, and the table where it
 * records each index it holds (`search_postgres_index`).
 *
 * Written here rather than re-exported from the package's build output:
 * the class keeps the package migration's name, so a database where that
 * one ran has this one recorded as done and does not run it again, and a
 * new database gets the same objects. Every statement is idempotent.
 *
 * An extension the database role may not create is reported and skipped
 * (managed databases): migrations still apply, and the extension has to be
 * created by whoever may.
 */
export class Migration20260807120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      do $$
      begin
        begin
          create extension if not exists pg_trgm;
        exception when others then
          raise notice 'search: pg_trgm not created (%)', sqlerrm;
        end;
        begin
          create extension if not exists unaccent;
        exception when others then
          raise notice 'search: unaccent not created (%)', sqlerrm;
        end;
        begin
          if exists (select from pg_extension where extname = 'unaccent')
             and not exists (select from pg_ts_config where cfgname = 'medusa_search_english') then
            create text search configuration medusa_search_english (copy = english);
            alter text search configuration medusa_search_english
              alter mapping for word, hword, hword_part with unaccent, english_stem;
          end if;
        exception when others then
          raise notice 'search: medusa_search_english not created (%)', sqlerrm;
        end;
      end
      $$;
    `)
    this.addSql(`
      create table if not exists "search_postgres_index" (
        "name" text not null primary key,
        "table_name" text not null,
        "schema_hash" text not null,
        "plan" jsonb not null,
        "document_count" integer not null default 0,
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now()
      );
    `)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "search_postgres_index" cascade;`)
  }
}
