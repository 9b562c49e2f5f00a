import Vapor

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = Settings }

    /// The settings this application was configured with.
    public var kaoheSettings: Settings {
        get {
            guard let settings = storage[SettingsKey.self] else { fatalError("configure(_:settings:) was not called") }
            return settings
        }
        set { storage[SettingsKey.self] = newValue }
    }
}

extension Request {
    var kaoheSettings: Settings { application.kaoheSettings }

    /// The API answers JSON; everything else is a page for people.
    var wantsJSON: Bool {
        url.path.hasPrefix("/api/") || url.path == "/openapi.json" || url.path == "/healthz"
    }
}
