/// What a new password must be (every path that sets one: the first admin, `kaohe user create`, the users page,
/// a password change). Bcrypt reads only 72 bytes, so a longer one is refused rather than cut silently.
enum PasswordPolicy {
    static let minimumLength = 12
    static let maximumBytes = 72

    /// Why `password` is not acceptable for `username`, in words for the person choosing it; nil when it is.
    static func problem(_ password: String, username: String) -> String? {
        if password.count < minimumLength {
            return "密码至少 \(minimumLength) 个字符 (at least \(minimumLength) characters)"
        }
        if password.utf8.count > maximumBytes {
            return "密码不超过 \(maximumBytes) 字节（约 \(maximumBytes / 3) 个汉字）(at most \(maximumBytes) bytes)"
        }
        let lowered = password.lowercased()
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        if name.count >= 2, lowered.contains(name) {
            return "密码不能包含用户名 (must not contain the username)"
        }
        if Set(lowered).count < 4 || common.contains(lowered) || isRun(lowered) || isRepeat(lowered) {
            return "密码过于常见或简单，请换一个不易猜到的 (too common or too simple)"
        }
        if BreachedPasswords.shared.contains(lowered) {
            return "该密码已出现在泄露的密码库中，请换一个 (found in breached-password lists)"
        }
        if BreachedPasswords.shared.isCommonWordWithTrimmings(lowered) {
            return "常见单词加数字或符号很容易被猜到，请换一个 (a common word with digits or symbols added)"
        }
        return nil
    }

    /// `abcdabcdabcd`, `121212121212`: a short piece said again and again.
    private static func isRepeat(_ text: String) -> Bool {
        let characters = Array(text)
        return (1...max(1, characters.count / 2)).contains { size in
            characters.count % size == 0
                && stride(from: size, to: characters.count, by: size).allSatisfy {
                    characters[$0..<$0 + size] == characters[0..<size]
                }
        }
    }

    /// `123456789012`, `abcdefghijkl`: one step at a time.
    private static func isRun(_ text: String) -> Bool {
        let scalars = text.unicodeScalars.map(\.value)
        let steps = Set(zip(scalars, scalars.dropFirst()).map { Int($1) - Int($0) })
        return steps.count == 1 && [1, -1].contains(steps.first!)
    }

    /// The most guessed passwords of that length, in the world and in China's lists.
    static let common: Set<String> = [
        "123456789012", "1234567890123", "12345678901234", "password1234", "password12345", "passw0rd1234",
        "qwertyuiop12", "qwerty123456", "1qaz2wsx3edc", "1q2w3e4r5t6y", "q1w2e3r4t5y6", "zaq12wsxcde3",
        "admin1234567", "admin123456789", "administrator", "iloveyou1234", "woaini131452", "woaini520520",
        "5201314520131", "520131452013", "a12345678910", "a123456789012", "abc123456789", "abcd12345678",
        "aa123456789012", "qwe123qwe123", "asdfghjkl123", "zxcvbnm12345", "letmein12345", "welcome12345",
        "111111111111", "000000000000", "123123123123", "112233445566", "147258369000", "159357123456",
        "kaohe1234567", "kaohe-demo-2026", "dangzhibu123", "dangjian1234", "gongchandang", "zhongguo1234",
    ]
}
