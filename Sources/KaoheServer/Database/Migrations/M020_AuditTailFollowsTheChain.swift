import Fluent
import SQLKit

/// The audit chain's tail is moved by the database at every event inserted, by a trigger, instead of by a second
/// statement of each change: every write of the bureau paid a round trip for it (issue 12), and no insert into the
/// chain, by any program, can now leave the tail behind. The tail is brought to the chain as it stands.
struct M020_AuditTailFollowsTheChain: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE OR REPLACE FUNCTION audit_tail_follows() RETURNS trigger AS $$
                BEGIN
                  INSERT INTO audit_tail (id, seq, hash) VALUES (1, NEW.seq, NEW.hash)
                  ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_tail_follows AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_tail_follows()
                """
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE TRIGGER audit_tail_follows AFTER INSERT ON audit_events BEGIN
                  INSERT OR REPLACE INTO audit_tail (id, seq, hash) VALUES (1, NEW.seq, NEW.hash);
                END
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER IF EXISTS audit_tail_follows ON audit_events").run()
            try await sql.raw("DROP FUNCTION IF EXISTS audit_tail_follows()").run()
        } else {
            try await sql.raw("DROP TRIGGER IF EXISTS audit_tail_follows").run()
        }
    }
}
