import ArgumentParser
import KaoheServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "启动考核网站 Start the web application (migrates the database first).",
        discussion: """
            首次正式启动需设置 KAOHE_ADMIN_PASSWORD 以创建管理员 admin。
            The first real start needs KAOHE_ADMIN_PASSWORD to create the admin user.
            --demo 使用演示数据目录（KAOHE_DATA_DIR 或 ./data-demo），首次运行时创建演示局，所有演示用户密码 kaohe-demo。
            """
    )

    @Flag(help: "演示模式：创建并使用演示局 Serve the demo bureau (data in ./data-demo unless KAOHE_DATA_DIR is set).")
    var demo = false

    @Option(help: "监听地址 Address to listen on.")
    var hostname = "127.0.0.1"

    @Option(help: "端口 Port to listen on.")
    var port = 8080

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port 应在 1–65535 之间 (port must be 1–65535)") }
    }

    func run() async throws {
        try await reportingSettingsErrors {
            try await KaoheServerApp.serve(settings: .fromEnvironment(demo: demo), hostname: hostname, port: port)
        }
    }
}
