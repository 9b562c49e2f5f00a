import Fluent
import Foundation
import SQLKit
import Testing
import ZIPFoundation

@testable import KaoheServer

extension ServerTests {
    /// Issue 26: the hand-kept lists of a kind of record are one registry. The tables the migrations create, the
    /// models whose properties are listed (`ModelPropertiesTests.models`) and the models the backup carries are the
    /// same set, so a table left out of the backup fails here instead of being silently not backed up.
    @Suite struct RegistryTests {
        /// The tables the backup leaves out, each with its reason. Nothing else may be missing from it.
        static let notBackedUp: [String: String] = [
            EvidenceBlob.schema: "证据文件以文件形式保存在备份的 evidence/ 下 (the bytes travel as files)",
            StoredResults.schema: "由考核表算出，首次读取时重算 (derived from the sheets, computed again when read)",
            KeptLedgerYear.schema: "由台账记录算出，恢复时重算 (derived from the ledger's rows, counted again by the restore)",
            KeptSheetReading.schema: "由台账与年度评议算出，首次读取时重算 (derived, counted again when first read)",
            LedgerEpoch.schema: "只用于判断保存的读数是否仍然有效 (only says whether a kept reading is current)",
        ]
        /// Fluent's own tables: its record of migrations, and the sessions a restore ends on purpose.
        static let fluentsOwn: Set<String> = ["_fluent_migrations", "_fluent_sessions"]

        static func tables(_ db: any Database) async throws -> Set<String> {
            let sql = db as! any SQLDatabase
            let rows =
                if sql.dialect.name == "sqlite" {
                    try await sql.raw(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    ).all()
                } else {
                    try await sql.raw(
                        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                    ).all()
                }
            return Set(try rows.map { try $0.decode(column: "name", as: String.self) })
        }

        @Test func theMigrationsCreateATableForEveryListedModelAndNoOther() async throws {
            try await withKaohe { app in
                let created = try await Self.tables(app.db).subtracting(Self.fluentsOwn)
                let modelled = Set(ModelPropertiesTests.models.map { $0.schema })
                #expect(created.subtracting(modelled).isEmpty, "tables with no model in ModelPropertiesTests.models")
                #expect(modelled.subtracting(created).isEmpty, "models whose table no migration creates")
            }
        }

        @Test func theBackupCarriesEveryModelOrSaysWhyNot() {
            let carried = Set(BackupArchive.tables.map { $0.schema })
            let modelled = Set(ModelPropertiesTests.models.map { $0.schema })
            #expect(
                modelled.subtracting(carried).subtracting(Self.notBackedUp.keys).isEmpty,
                "add the model to BackupArchive.tables, or say in notBackedUp why it is left out")
            #expect(carried.subtracting(modelled).isEmpty)
            #expect(carried.isDisjoint(with: Self.notBackedUp.keys))
            #expect(BackupArchive.tables.count == carried.count, "each table once")
        }

        @Test func aBackupOfTheDemoHoldsAFileForEveryTableOfTheDatabase() async throws {
            let archive = NSTemporaryDirectory() + "kaohe-registry-\(UUID().uuidString).zip"
            defer { try? FileManager.default.removeItem(atPath: archive) }
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                // act
                try await KaoheServerApp.backup(app, to: archive)
                // check
                let files = Set(try Archive(url: URL(fileURLWithPath: archive), accessMode: .read).map(\.path))
                let expected = try await Self.tables(app.db).subtracting(Self.fluentsOwn).subtracting(
                    Self.notBackedUp.keys)
                for table in expected.sorted() {
                    #expect(files.contains(BackupArchive.entryName(table: table)), "\(table) is not in the backup")
                }
            }
        }
    }
}
