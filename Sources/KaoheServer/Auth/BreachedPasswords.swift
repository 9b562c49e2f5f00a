import Foundation

/// Passwords known from breaches (ASVS 2.1.7), shipped with Kaohe so that no password is sent anywhere to be checked.
/// Built from public lists (`Resources/Passwords/README.md`): every entry of 12 characters or more as it is, and the
/// "base words" people dress up with digits and symbols (`password`, `woaini`, `iloveyou`), so that `Password2026`,
/// `P@ssw0rd2026` and `woaini1314520` are refused with them.
struct BreachedPasswords: Sendable {
    let entries: Set<String>
    let bases: Set<String>

    static let shared = BreachedPasswords(directory: KaoheResources.directory + "Passwords/")

    init(entries: Set<String>, bases: Set<String>) {
        self.entries = entries
        self.bases = bases
    }

    init(directory: String) {
        func lines(_ name: String) -> Set<String> {
            let text = (try? String(contentsOfFile: directory + name, encoding: .utf8)) ?? ""
            return Set(text.split(whereSeparator: \.isNewline).map(String.init))
        }
        self.init(entries: lines("breached.txt"), bases: lines("breached-bases.txt"))
    }

    /// `lowered` as it is, in a breach.
    func contains(_ lowered: String) -> Bool { entries.contains(lowered) }

    /// A common word with digits or symbols around it, its letters perhaps written as look-alike digits: the
    /// word left once those are taken off and read back (`p@ssw0rd2026` → `password`) is a breached base.
    func isCommonWordWithTrimmings(_ lowered: String) -> Bool {
        let trimmings = CharacterSet.decimalDigits.union(.punctuationCharacters).union(.symbols)
            .union(.whitespaces)
        let word = lowered.trimmingCharacters(in: trimmings)
        guard word.count >= 4 else { return false }
        let readBack = String(word.map { Self.lookAlikes[$0] ?? $0 })
        return bases.contains(readBack) || bases.contains(word)
    }

    private static let lookAlikes: [Character: Character] = [
        "@": "a", "4": "a", "0": "o", "1": "i", "3": "e", "$": "s", "5": "s", "7": "t", "!": "i",
    ]
}
