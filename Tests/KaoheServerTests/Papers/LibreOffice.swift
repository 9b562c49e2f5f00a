import Foundation
import Testing

/// LibreOffice headless, as Debian packages it (`libreoffice-writer-nogui`), and poppler's `pdftotext`: a paper is
/// opened as an office would open it and printed to PDF, and the PDF's text read back. `scripts/test` installs both
/// and sets `KAOHE_REQUIRE_OFFICE=1`, so that in CI a missing office is a failure, not a skip.
enum LibreOffice {
    static var office: String? {
        ["/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    static var present: Bool {
        let found = office != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext")
        if !found, ProcessInfo.processInfo.environment["KAOHE_REQUIRE_OFFICE"] == "1" {
            Issue.record("KAOHE_REQUIRE_OFFICE=1 but LibreOffice or pdftotext is missing")
        }
        return found
    }

    /// The text of the PDF LibreOffice prints `docx` to; throws with LibreOffice's words when it cannot open it.
    static func pdfText(of docx: Data, named name: String = "paper") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kaohe-office-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("\(name).docx")
        try docx.write(to: input)
        // A profile of its own: two conversions at once would otherwise wait on one profile's lock.
        let converted = try run(
            office!,
            [
                "-env:UserInstallation=file://\(folder.path)/profile", "--headless", "--convert-to", "pdf",
                "--outdir", folder.path, input.path,
            ])
        let pdf = folder.appendingPathComponent("\(name).pdf")
        guard FileManager.default.fileExists(atPath: pdf.path) else {
            throw OfficeFailure(message: "LibreOffice wrote no PDF: \(converted)")
        }
        return try run("/usr/bin/pdftotext", ["-layout", pdf.path, "-"])
    }

    struct OfficeFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
