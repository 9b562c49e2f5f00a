import Crypto
import Foundation
import MultipartKit
import NIOCore
import Vapor

/// A multipart upload read as it arrives: its text fields kept in memory (checked by `InputGuard` like any other
/// text when they are read), each file written to disk under the data directory and hashed on the way, so a 20 MB
/// file over a slow line never sits in the server's memory. The files are deleted with the request unless the
/// evidence store has moved them under their hash.
///
/// A page keeps what was typed whatever the refusal: a text over its limit is refused when the handler reads the
/// form, which can then return the page with the text still in it; a file over the route's limit is left unread
/// and the fields sent before it are kept (`receive(…, keepingTypedFields:)`), and reading that file says so.
final class SpooledForm: Sendable {
    struct File: Sendable {
        let field: String
        let filename: String
        let url: URL
        let size: Int
        let sha256: String

        /// The first bytes, for the signature and text checks.
        func prefix(_ count: Int) throws -> Data {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            return try handle.read(upToCount: count) ?? Data()
        }

        func contents() throws -> Data { try Data(contentsOf: url) }
    }

    /// All text fields together: a form's notes and reasons are a few kilobytes, never megabytes.
    static let maxFieldBytes = 256 * 1024

    let fields: [(name: String, value: String)]
    let files: [File]
    /// The file fields left unread because the body went over the route's limit in them.
    let oversized: Set<String>
    private let directory: URL?

    private init(
        fields: [(name: String, value: String)], files: [File], oversized: Set<String>, directory: URL?
    ) {
        self.fields = fields
        self.files = files
        self.oversized = oversized
        self.directory = directory
    }

    deinit {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// The file sent as `field`; a browser sends an empty, nameless part when none was chosen. A file over the
    /// route's limit is refused here, naming its field, so that no handler takes it for a form sent without one.
    func file(_ field: String) throws -> File? {
        if oversized.contains(field) {
            throw ValidationProblem(field: field, rule: "文件过大，超过了上传上限 (file too large)")
        }
        return files.first { $0.field == field && !($0.filename.isEmpty && $0.size == 0) }
    }

    /// The text fields as the form's type, each first checked by `InputGuard` (422 naming the first it refuses).
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let refused = refusedField() { throw refused }
        return try typed(T.self)
    }

    /// What `InputGuard` refuses in the text fields, the first of them.
    func refusedField() -> ValidationProblem? {
        for field in fields {
            do {
                try InputGuard.check(field.name, field: "字段名")
                try InputGuard.check(field.value, field: field.name)
            } catch let refused as ValidationProblem {
                return refused
            } catch {
                return ValidationProblem(field: field.name, rule: "\(error)")
            }
        }
        return nil
    }

    /// The text fields as the form's type, as typed: decoded as a URL-encoded form of the same names would be.
    func typed<T: Decodable>(_ type: T.Type) throws -> T {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = fields.map { field in
            let name =
                field.name.addingPercentEncoding(withAllowedCharacters: allowed.union(CharacterSet(charactersIn: "[]")))
                ?? ""
            return name + "=" + (field.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
        return try URLEncodedFormDecoder().decode(T.self, from: encoded)
    }

    // MARK: Receiving

    private struct Key: StorageKey { typealias Value = SpooledForm }

    /// The text fields of a request to a spooled upload route as `T`: those `receive` kept, or, for a body that was
    /// not multipart (a form without a file), the body as Vapor decodes it.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) throws -> T {
        if let form = request.storage[Key.self] { return try form.decode(T.self) }
        return try request.content.decode(T.self)
    }

    /// A page's form as the person typed it, and what `InputGuard` refused in it, as `Request.typedForm` reads a
    /// form sent without a file.
    static func typed<T: Decodable>(_ type: T.Type, from request: Request) throws -> (
        form: T, refused: ValidationProblem?
    ) {
        guard let form = request.storage[Key.self] else { return try request.typedForm(T.self) }
        return (try form.typed(T.self), form.refusedField())
    }

    /// The file a request to a spooled upload route carries as `field`; one over the route's limit is refused.
    static func file(_ field: String, of request: Request) throws -> File? {
        try request.storage[Key.self]?.file(field)
    }

    /// Reads the multipart body of `request` as it streams: at most `max` bytes, all of it within `deadline` (408),
    /// a body that is not multipart as its header says is 400. Beyond `max` it is 413, unless `keepingTypedFields`
    /// and the body went over inside a file: then the rest is left unread, the fields already read are kept and
    /// the file is marked as over the limit, for a page to return with what was typed.
    static func receive(
        _ request: Request, max: Int, within deadline: TimeAmount, keepingTypedFields: Bool = false
    ) async throws {
        guard let boundary = request.headers.contentType?.parameters["boundary"], !boundary.isEmpty else {
            throw Abort(.badRequest, reason: "multipart 请求缺少 boundary (missing multipart boundary)")
        }
        let directory = try IncomingArea.of(request.application).directory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let receiver = Receiver(
            boundary: boundary, directory: directory, max: max, keepingTypedFields: keepingTypedFields,
            threadPool: request.application.threadPool, eventLoop: request.eventLoop)
        do {
            try await BodyDeadline.within(deadline, on: request.eventLoop) { promise in
                request.body.drain { result in receiver.take(result, completing: promise) }
            }
        } catch {
            // A file still open is closed when the receiver goes; its directory goes now.
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        request.storage[Key.self] = SpooledForm(
            fields: receiver.fields, files: receiver.files, oversized: receiver.oversized, directory: directory)
    }

    /// The parser's state. The parser runs on the request's event loop; the open file is written on the thread
    /// pool, one chunk at a time, because the body stream waits for each chunk's future before the next.
    private final class Receiver: @unchecked Sendable {
        private enum FileStep {
            case open(URL), write(ByteBuffer), close(field: String, filename: String, url: URL), discard(URL)
        }

        let parser: MultipartParser
        var names: MultipartNameCheck
        /// Once the request has failed (a parser that threw is in no known state) or a file went over the limit, later
        /// chunks are drained unread.
        var failed = false
        let directory: URL
        let max: Int
        let keepingTypedFields: Bool
        let threadPool: NIOThreadPool
        let eventLoop: any EventLoop

        var received = 0
        var inPart = false
        var fieldBytes = 0
        var fields: [(name: String, value: String)] = []
        var files: [File] = []
        var oversized: Set<String> = []
        var problem: (any Error)?

        // The part being parsed.
        var name: String?
        var filename: String?
        var text = ByteBuffer()
        var fileURL: URL?
        private var steps: [FileStep] = []

        // The file being written (thread pool only).
        var handle: FileHandle?
        var hasher = SHA256()
        var size = 0

        init(
            boundary: String, directory: URL, max: Int, keepingTypedFields: Bool, threadPool: NIOThreadPool,
            eventLoop: any EventLoop
        ) {
            self.parser = MultipartParser(boundary: boundary)
            self.names = MultipartNameCheck(boundary: boundary)
            self.directory = directory
            self.max = max
            self.keepingTypedFields = keepingTypedFields
            self.threadPool = threadPool
            self.eventLoop = eventLoop
            parser.onHeader = { [unowned self] field, value in self.header(field, value) }
            parser.onBody = { [unowned self] chunk in self.body(&chunk) }
            parser.onPartComplete = { [unowned self] in self.partComplete() }
        }

        func take(_ result: BodyStreamResult, completing promise: EventLoopPromise<Void>) -> EventLoopFuture<Void> {
            guard !failed else { return eventLoop.makeSucceededVoidFuture() }
            switch result {
            case .buffer(var chunk):
                let room = max - received
                received += chunk.readableBytes
                let over = received > max
                if over {
                    guard keepingTypedFields, room > 0 else {
                        return fail(promise, Abort(.payloadTooLarge, reason: "上传内容超过上限 (upload too large)"))
                    }
                    // Parsed up to the limit, to learn whether it was reached inside a file.
                    chunk = chunk.getSlice(at: chunk.readerIndex, length: room) ?? ByteBuffer()
                }
                do {
                    try names.check(chunk)
                    try parser.execute(chunk)
                } catch {
                    return fail(promise, Abort(.badRequest, reason: "multipart 请求体格式不正确 (malformed multipart body)"))
                }
                if let problem { return fail(promise, problem) }
                if over {
                    guard inPart, filename != nil, let field = name else {
                        return fail(promise, Abort(.payloadTooLarge, reason: "上传内容超过上限 (upload too large)"))
                    }
                    return leaveUnread(field, completing: promise)
                }
                let steps = self.steps
                self.steps = []
                guard !steps.isEmpty else { return eventLoop.makeSucceededVoidFuture() }
                let written = threadPool.runIfActive(eventLoop: eventLoop) { try self.run(steps) }
                written.whenFailure {
                    self.failed = true; promise.fail($0)
                }
                return written
            case .error(let error):
                return fail(promise, error)
            case .end:
                if inPart {
                    promise.fail(Abort(.badRequest, reason: "multipart 请求体不完整 (truncated multipart body)"))
                } else {
                    promise.succeed(())
                }
                return eventLoop.makeSucceededVoidFuture()
            }
        }

        /// The file being received went over the limit: it is dropped, the rest of the body is drained unread, and
        /// the form is complete with the fields that came before it.
        private func leaveUnread(_ field: String, completing promise: EventLoopPromise<Void>) -> EventLoopFuture<Void> {
            failed = true
            oversized.insert(field)
            var steps = self.steps
            self.steps = []
            if let fileURL { steps.append(.discard(fileURL)) }
            let dropped = threadPool.runIfActive(eventLoop: eventLoop) { try self.run(steps) }
            dropped.cascade(to: promise)
            return dropped
        }

        private func fail(_ promise: EventLoopPromise<Void>, _ error: any Error) -> EventLoopFuture<Void> {
            failed = true
            promise.fail(error)
            return eventLoop.makeSucceededVoidFuture()
        }

        private func header(_ field: String, _ value: String) {
            inPart = true
            guard field.lowercased() == "content-disposition" else { return }
            name = value.firstMatch(of: /[; ]name="([^"]*)"/).map { String($0.1) }
            filename = value.firstMatch(of: /filename="([^"]*)"/).map { String($0.1) }
        }

        private func body(_ chunk: inout ByteBuffer) {
            guard filename != nil else {
                fieldBytes += chunk.readableBytes
                if fieldBytes > SpooledForm.maxFieldBytes {
                    problem = problem ?? Abort(.payloadTooLarge, reason: "表单文字内容过多 (form fields too large)")
                } else {
                    text.writeBuffer(&chunk)
                }
                return
            }
            openFileIfNeeded()
            steps.append(.write(chunk))
        }

        private func partComplete() {
            defer { name = nil; filename = nil; text.clear(); fileURL = nil; inPart = false }
            guard problem == nil, let field = name else { return }
            if let filename {
                // A file's name is text kept and shown like any other: a NUL in it broke the write on PostgreSQL.
                do { try InputGuard.check(filename, field: field) } catch {
                    problem = error
                    return
                }
                openFileIfNeeded()
                if let fileURL { steps.append(.close(field: field, filename: filename, url: fileURL)) }
                return
            }
            // Checked when the handler reads the form (`decode`, `typed`), so that a page can keep a text it refuses.
            fields.append((name: field, value: String(decoding: text.readableBytesView, as: UTF8.self)))
        }

        private func openFileIfNeeded() {
            guard fileURL == nil else { return }
            let url = directory.appendingPathComponent(UUID().uuidString)
            fileURL = url
            steps.append(.open(url))
        }

        /// On the thread pool: the steps of one chunk, in order.
        private func run(_ steps: [FileStep]) throws {
            for step in steps {
                switch step {
                case .open(let url):
                    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
                    }
                    handle = try FileHandle(forWritingTo: url)
                    hasher = SHA256()
                    size = 0
                case .write(let chunk):
                    try handle?.write(contentsOf: chunk.readableBytesView)
                    hasher.update(data: chunk.readableBytesView)
                    size += chunk.readableBytes
                case .close(let field, let filename, let url):
                    // Durable before anyone is told it arrived: the store only renames it afterwards.
                    try handle?.synchronize()
                    try handle?.close()
                    handle = nil
                    let sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
                    // Read only after the whole body has arrived, when no job of this request is left running.
                    files.append(File(field: field, filename: filename, url: url, size: size, sha256: sha256))
                case .discard(let url):
                    try handle?.close()
                    handle = nil
                    try? FileManager.default.removeItem(at: url)
                }
            }
        }
    }
}
