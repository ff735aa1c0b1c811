import Controller
import Foundation
import Synchronization
import Testing

@Suite struct ServiceManagerTests {
    final class RecordingRunner: ServiceManager.CommandRunner {
        private let commands = Mutex<[[String]]>([])
        var recorded: [[String]] { commands.withLock { $0 } }
        func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
            commands.withLock { $0.append([executable] + arguments) }
            return (0, "")
        }
    }

    @Test func rendersTheUnit() {
        let unit = SystemdUnit(executablePath: "/usr/local/bin/ngrokctl", configPath: "/etc/ngrokctl/controller config.json")
        let text = unit.render()
        #expect(text.contains("ExecStart=/usr/local/bin/ngrokctl controller --config \"/etc/ngrokctl/controller config.json\"\n"))
        #expect(text.contains("EnvironmentFile=-/etc/ngrokctl/controller.env\n"))
        #expect(text.contains("[Install]\nWantedBy=multi-user.target\n"))
        #expect(text.contains("After=network-online.target"))
        #expect(text.contains("Restart=on-failure"))
        #expect(unit.fileName == "ngrokctl-controller.service")
        #expect(SystemdUnit.quote("/a/100%$x") == "/a/100%%$$x")
    }

    @Test func refusesWithoutSystemd() throws {
        let manager = ServiceManager(
            unitDirectory: NSTemporaryDirectory(), systemdMarker: "/nonexistent/run/systemd/system", runner: RecordingRunner())
        let unit = SystemdUnit(executablePath: "/usr/local/bin/ngrokctl", configPath: "/etc/ngrokctl/controller.json")
        let error = #expect(throws: ControllerError.self) { try manager.install(unit) { _ in } }
        #expect(error?.message.contains("systemd is not running on this host") == true)
        #expect(throws: ControllerError.self) { try manager.control(.status, unit) }
    }

    @Test func installValidatesWritesAndStarts() throws {
        let root = NSTemporaryDirectory() + "ngrokctl-systemd-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/run/systemd/system", withIntermediateDirectories: true)
        let config = root + "/controller.json"
        try "{}".write(toFile: config, atomically: true, encoding: .utf8)
        let runner = RecordingRunner()
        let manager = ServiceManager(
            unitDirectory: root + "/etc/systemd/system", systemdMarker: root + "/run/systemd/system",
            systemctl: "/bin/systemctl", runner: runner)
        let unit = SystemdUnit(executablePath: "/usr/local/bin/ngrokctl", configPath: config)

        // A config the hook rejects: nothing written, nothing run.
        #expect(throws: ControllerError.self) { try manager.install(unit) { _ in throw ControllerError("bad config") } }
        #expect(!FileManager.default.fileExists(atPath: manager.unitPath(unit)))
        #expect(runner.recorded.isEmpty)

        let path = try manager.install(unit) { _ in }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == unit.render())
        #expect(runner.recorded == [
            ["/bin/systemctl", "daemon-reload"], ["/bin/systemctl", "enable", "--now", "ngrokctl-controller.service"],
        ])
        try manager.control(.restart, unit)
        try manager.uninstall(unit)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(runner.recorded.suffix(3) == [
            ["/bin/systemctl", "restart", "--no-pager", "ngrokctl-controller.service"],
            ["/bin/systemctl", "disable", "--now", "ngrokctl-controller.service"],
            ["/bin/systemctl", "daemon-reload"],
        ])
    }
}
