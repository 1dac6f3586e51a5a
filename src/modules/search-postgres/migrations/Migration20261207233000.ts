import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * The dictionary of the search indexes' words ("did you mean", query
 * suggestions): table `search_word`, one row per index, scope and word with
 * the number of documents holding it, kept in step with each index table by
 * statement triggers, in the transaction of the write.
 *
 * Each index version (a physical index such as `product_v2`) has words of
 * its own: a reindex counts the new version while the old one still serves,
 * and a reader reads the version the Search Module searches.
 *
 * A scope is who may see the documents counted: `*` every document (admins),
 * `published` the published ones (a storefront of a store with one sales
 * channel), or a sales channel id (published and in that channel). So a word
 * only a draft holds is never offered to a storefront, and a word leaves the
 * dictionary with the last document holding it.
 *
 * Words are the default text search parser's words (letters, or letters and
 * digits) of a document's searchable text, lower-cased, 2 to 40 characters;
 * numbers alone (SKU parts) are left out. `word` is compared byte-wise
 * (collation "C") so that a prefix is a range of the primary key.
 *
 * Indexes that exist when this runs are attached and counted here; indexes
 * made later are attached by the provider (src/modules/search-postgres).
 */
export class Migration20261207233000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table if not exists "search_word" (
        "index_name" text not null,
        "scope" text not null,
        "word" text collate "C" not null,
        "documents" integer not null,
        constraint "search_word_pkey" primary key ("index_name", "scope", "word")
      );
    `)
    this.addSql(`create index if not exists "search_word_trgm" on "search_word" using gin ("word" gin_trgm_ops);`)
    this.addSql(`create index if not exists "search_word_unused" on "search_word" ("index_name") where "documents" <= 0;`)

    this.addSql(`
      create or replace function search_words(text) returns setof text
      language sql immutable parallel safe as $$
        select distinct lower(token)
        from ts_parse('default', coalesce($1, ''))
        -- asciiword, word, numword and the parts of hyphenated words
        where tokid in (1, 2, 3, 9, 10, 11) and length(token) between 2 and 40
      $$;
    `)
    this.addSql(`
      create or replace function search_word_scopes(jsonb) returns setof text
      language sql immutable parallel safe as $$
        select '*'
        union all
        select 'published' where $1->>'status' = 'published'
        union all
        select jsonb_array_elements_text($1->'sales_channel_ids')
        where $1->>'status' = 'published' and jsonb_typeof($1->'sales_channel_ids') = 'array'
      $$;
    `)
    // One trigger function for the four statement triggers of an index table;
    // its argument is the physical index name.
    this.addSql(`
      create or replace function search_word_follow() returns trigger
      language plpgsql as $$
      declare
        idx text := tg_argv[0];
      begin
        if tg_op = 'TRUNCATE' then
          delete from search_word where index_name = idx;
          return null;
        end if;
        if tg_op = 'INSERT' then
          insert into search_word (index_name, scope, word, documents)
          select idx, s, w, count(*)
          from new_rows r, search_word_scopes(r.indexed) s, search_words(r.search_text) w
          group by s, w order by s, w
          on conflict (index_name, scope, word)
          do update set documents = search_word.documents + excluded.documents;
        elsif tg_op = 'UPDATE' then
          insert into search_word (index_name, scope, word, documents)
          select idx, s, w, sum(n)
          from (
            select s, w, 1 as n from new_rows r, search_word_scopes(r.indexed) s, search_words(r.search_text) w
            union all
            select s, w, -1 from old_rows r, search_word_scopes(r.indexed) s, search_words(r.search_text) w
          ) change
          group by s, w having sum(n) <> 0 order by s, w
          on conflict (index_name, scope, word)
          do update set documents = search_word.documents + excluded.documents;
        else
          insert into search_word (index_name, scope, word, documents)
          select idx, s, w, -count(*)
          from old_rows r, search_word_scopes(r.indexed) s, search_words(r.search_text) w
          group by s, w order by s, w
          on conflict (index_name, scope, word)
          do update set documents = search_word.documents + excluded.documents;
        end if;
        delete from search_word where index_name = idx and documents <= 0;
        return null;
      end
      $$;
    `)
    // Attaches the triggers to an index table and counts what it holds, in
    // one transaction with the table locked against writes meanwhile.
    this.addSql(`
      create or replace function search_word_attach(idx text, tbl text) returns void
      language plpgsql as $$
      declare
        args text := format('(%L)', idx);
      begin
        execute format('lock table %I in share row exclusive mode', tbl);
        execute format('create or replace trigger search_word_ins after insert on %I referencing new table as new_rows for each statement execute function search_word_follow%s', tbl, args);
        execute format('create or replace trigger search_word_upd after update on %I referencing old table as old_rows new table as new_rows for each statement execute function search_word_follow%s', tbl, args);
        execute format('create or replace trigger search_word_del after delete on %I referencing old table as old_rows for each statement execute function search_word_follow%s', tbl, args);
        execute format('create or replace trigger search_word_trunc after truncate on %I for each statement execute function search_word_follow%s', tbl, args);
        delete from search_word where index_name = idx;
        execute format(
          'insert into search_word (index_name, scope, word, documents)
           select %L, s, w, count(*)
           from %I r, search_word_scopes(r.indexed) s, search_words(r.search_text) w
           group by s, w', idx, tbl);
      end
      $$;
    `)
    this.addSql(`
      do $$
      declare
        r record;
      begin
        for r in select name, table_name from search_postgres_index loop
          if to_regclass(format('%I', r.table_name)) is not null then
            perform search_word_attach(r.name, r.table_name);
          end if;
        end loop;
      end
      $$;
    `)
  }

  override async down(): Promise<void> {
    this.addSql(`
      do $$
      declare
        r record;
      begin
        for r in select table_name from search_postgres_index loop
          if to_regclass(format('%I', r.table_name)) is not null then
            execute format('drop trigger if exists search_word_ins on %I', r.table_name);
            execute format('drop trigger if exists search_word_upd on %I', r.table_name);
            execute format('drop trigger if exists search_word_del on %I', r.table_name);
            execute format('drop trigger if exists search_word_trunc on %I', r.table_name);
          end if;
        end loop;
      end
      $$;
    `)
    this.addSql(`drop function if exists search_word_attach(text, text);`)
    this.addSql(`drop function if exists search_word_follow();`)
    this.addSql(`drop function if exists search_word_scopes(jsonb);`)
    this.addSql(`drop function if exists search_words(text);`)
    this.addSql(`drop table if exists "search_word";`)
  }
}
