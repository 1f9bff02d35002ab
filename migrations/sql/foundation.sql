-- Foundation: extensions, the eight context schemas, the shared-kernel schema, and the common
-- functions of the design (データ整合性管理 / データ暗号化).  Runs as ses_owner.

CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- スキーマ定義 (Database per Service パターン)
CREATE SCHEMA project_context;
CREATE SCHEMA engineer_context;
CREATE SCHEMA matching_context;
CREATE SCHEMA contract_context;
CREATE SCHEMA timesheet_context;
CREATE SCHEMA billing_context;
CREATE SCHEMA report_context;
CREATE SCHEMA notification_context;
-- Shared kernel, not a bounded context: users and login sessions, the transactional outbox of
-- domain events, and the company calendar used by every context.
CREATE SCHEMA platform;

-- ---------------------------------------------------------------------------------------------
-- Identity settings, set transaction-locally by the application for every request and job.
-- Policies call them as (SELECT platform.current_xxx()) so each is evaluated once per query.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION platform.current_user_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.current_user_id', true), '')::uuid $$;

CREATE FUNCTION platform.current_engineer_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.current_engineer_id', true), '')::uuid $$;

CREATE FUNCTION platform.current_customer_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.current_customer_id', true), '')::uuid $$;

CREATE FUNCTION platform.current_partner_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.current_partner_id', true), '')::uuid $$;

-- The application role (admin, project_manager, engineer, customer, finance, partner).
CREATE FUNCTION platform.current_app_role() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.current_role', true), '') $$;

-- ---------------------------------------------------------------------------------------------
-- 共通トリガー関数
-- ---------------------------------------------------------------------------------------------
-- 汎用更新日時更新関数
CREATE FUNCTION public.update_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$;

-- バージョン自動増分関数 (the ORM uses version as its optimistic lock: UPDATE ... WHERE version = ?)
CREATE FUNCTION public.increment_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.version = OLD.version + 1;
    RETURN NEW;
END;
$$;

-- ソフトデリート関数: a DELETE by an application role becomes "SET deleted_at = now()".
-- Only the owner role (maintenance: partition moves, archiving purges) deletes for real.
CREATE FUNCTION public.soft_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_user = 'ses_owner' THEN
        RETURN OLD;
    END IF;
    EXECUTE format(
        'UPDATE %I.%I SET deleted_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP '
        'WHERE id = $1 AND deleted_at IS NULL',
        TG_TABLE_SCHEMA, TG_TABLE_NAME
    ) USING OLD.id;
    RETURN NULL;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- クロスコンテキスト参照整合性 (no physical foreign keys between contexts)
-- ---------------------------------------------------------------------------------------------
-- SECURITY DEFINER: existence is checked regardless of what the caller's policies let it read
-- (an engineer's timesheet must be able to reference its contract).
CREATE FUNCTION public.validate_cross_context_reference(
    target_schema text,
    target_table text,
    target_id uuid
) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    record_exists boolean;
BEGIN
    EXECUTE format(
        'SELECT EXISTS(SELECT 1 FROM %I.%I WHERE id = $1 AND deleted_at IS NULL)',
        target_schema, target_table
    ) INTO record_exists USING target_id;
    RETURN record_exists;
END;
$$;

-- The design's validate_<table>_<target>_reference triggers, written once: the trigger's
-- arguments are triples (column, target schema, target table).  A reference is checked when
-- it is inserted or changed; unchanged references are not re-checked on every update.
CREATE FUNCTION public.validate_cross_context_references() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    i integer := 0;
    new_row jsonb := to_jsonb(NEW);
    old_row jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) ELSE '{}'::jsonb END;
    ref_id uuid;
BEGIN
    WHILE i < TG_NARGS LOOP
        ref_id := (new_row ->> TG_ARGV[i])::uuid;
        IF ref_id IS NOT NULL AND ref_id IS DISTINCT FROM (old_row ->> TG_ARGV[i])::uuid THEN
            IF NOT validate_cross_context_reference(TG_ARGV[i + 1], TG_ARGV[i + 2], ref_id) THEN
                RAISE EXCEPTION USING
                    ERRCODE = 'foreign_key_violation',
                    MESSAGE = format('Referenced %s.%s does not exist or is deleted: %s',
                                     TG_ARGV[i + 1], TG_ARGV[i + 2], ref_id),
                    DETAIL = format('%s.%s.%s = %s', TG_TABLE_SCHEMA, TG_TABLE_NAME,
                                    TG_ARGV[i], ref_id),
                    COLUMN = TG_ARGV[i],
                    TABLE = TG_TABLE_NAME,
                    SCHEMA = TG_TABLE_SCHEMA;
            END IF;
        END IF;
        i := i + 3;
    END LOOP;
    RETURN NEW;
END;
$$;

-- Attaches the common triggers (updated_at, version, soft delete) to every table of a schema.
-- Partitioned tables get them once on the parent; PostgreSQL clones them to each partition.
CREATE FUNCTION platform.attach_common_triggers(target_schema text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = target_schema AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                      AND a.attname = 'version' AND NOT a.attisdropped)
    LOOP
        EXECUTE format('CREATE TRIGGER trigger_%s_updated_at BEFORE UPDATE ON %I.%I '
                       'FOR EACH ROW EXECUTE FUNCTION public.update_updated_at()',
                       t.relname, target_schema, t.relname);
        EXECUTE format('CREATE TRIGGER trigger_%s_version BEFORE UPDATE ON %I.%I '
                       'FOR EACH ROW EXECUTE FUNCTION public.increment_version()',
                       t.relname, target_schema, t.relname);
        EXECUTE format('CREATE TRIGGER trigger_%s_soft_delete BEFORE DELETE ON %I.%I '
                       'FOR EACH ROW EXECUTE FUNCTION public.soft_delete()',
                       t.relname, target_schema, t.relname);
    END LOOP;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- 機密データ暗号化 (pgcrypto).  The key lives outside the database: the application sets
-- app.encryption_key transaction-locally, only for the roles allowed to read personal data.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.encrypt_personal_data(data text) RETURNS text
LANGUAGE plpgsql STRICT SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    key text := nullif(current_setting('app.encryption_key', true), '');
BEGIN
    IF key IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'personal data encryption key is not available to this session';
    END IF;
    RETURN encode(pgp_sym_encrypt(data, key, 'cipher-algo=aes256'), 'base64');
END;
$$;

CREATE FUNCTION public.decrypt_personal_data(encrypted_data text) RETURNS text
LANGUAGE plpgsql STRICT SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    key text := nullif(current_setting('app.encryption_key', true), '');
BEGIN
    IF key IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'personal data encryption key is not available to this session';
    END IF;
    RETURN pgp_sym_decrypt(decode(encrypted_data, 'base64'), key);
END;
$$;

REVOKE ALL ON FUNCTION public.encrypt_personal_data(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.decrypt_personal_data(text) FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- パーティショニング: partitions are created ahead of time (migration, scheduled job, bulk
-- loaders) so an insert for next month or next year always finds its partition.
-- ---------------------------------------------------------------------------------------------
-- Creates partition p_name of p_parent FOR VALUES FROM (p_from) TO (p_to) unless it exists.
CREATE FUNCTION platform.ensure_partition(p_parent regclass, p_name text, p_from text, p_to text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_schema text;
BEGIN
    SELECT n.nspname INTO v_schema
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_parent;
    IF to_regclass(format('%I.%I', v_schema, p_name)) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%s) TO (%s)',
                   v_schema, p_name, p_parent, p_from, p_to);
    RETURN true;
END;
$$;
REVOKE ALL ON FUNCTION platform.ensure_partition(regclass, text, text, text) FROM PUBLIC;
