import Foundation
import KaoheCore
import NIOConcurrencyHelpers

/// The engine's score of a sheet not yet published, remembered for the sheet as it stands. The open quarter's
/// dashboard read and scored every entry of its page's sheets on every request (4 % of /healthz); now only a sheet
/// that changed since is read and scored again. A remembered score is never stale: every write that changes what
/// is scored raises the sheet's version (entries, dismissals, mitigation decisions, moves — the same version that
/// refuses a stale edit), and the rest of the engine's input is the key (the rubric, the 扣奖 base, the vetoes
/// that strike the unit).
enum SheetScores {
    struct Key: Hashable, Sendable {
        let sheet: UUID
        let version: Int
        let rubric: UUID
        let baseBonus: String?
        let vetoes: [String]

        init(_ row: SheetRow, vetoes: [String]) {
            (sheet, version, rubric, baseBonus, self.vetoes) = (
                row.id, row.version, row.rubricID, row.baseBonus, vetoes
            )
        }
    }

    /// A bureau's open quarter has 56,000 sheets at 1,000 branches; a dashboard pages fifty at a time.
    static let limit = 20_000

    private static let held = NIOLockedValueBox<[Key: UnitScore]>([:])

    static func remembered(_ key: Key) -> UnitScore? { held.withLockedValue { $0[key] } }

    static func remember(_ score: UnitScore, for key: Key) {
        held.withLockedValue { held in
            if held.count >= limit { held.removeAll(keepingCapacity: true) }
            held[key] = score
        }
    }
}
