import Foundation
import KaoheServer

/// Long work on stderr (stdout stays for results): a bar redrawn in place on a terminal, and in a log (CI, a pipe)
/// one line a quarter of each step, so that neither floods.
final class ProgressBar: @unchecked Sendable {
    private struct Drawn {
        var step = ""
        var shown = -1
    }

    private let lock = NSLock()
    private var drawn = Drawn()  // guarded by lock
    private let isTerminal = isatty(FileHandle.standardError.fileDescriptor) != 0
    private let width = 30

    func update(_ progress: WorkProgress) {
        let percent = progress.total == 0 ? 100 : min(100, progress.done * 100 / progress.total)
        let line: String? = lock.withLock {
            if drawn.step != progress.step { drawn = Drawn(step: progress.step) }
            let shown = isTerminal ? percent : percent / 25 * 25
            guard shown != drawn.shown else { return nil }
            drawn.shown = shown
            let filled = percent * width / 100
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let text = "\(progress.step) \(bar) \(String(format: "%3d", percent))% \(progress.done)/\(progress.total)"
            return isTerminal ? "\r\u{1B}[2K" + text + (percent == 100 ? "\n" : "") : text + "\n"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }
}
