import Foundation

/// Installs, removes and drives the controller's systemd service (like `ngrok service`).
public struct ServiceManager: Sendable {
    /// Runs a command and returns its exit status and combined output (a seam for tests).
    public protocol CommandRunner: Sendable {
        func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String)
    }

    public enum Command: String, Sendable, CaseIterable {
        case start, stop, restart, status, enable, disable
    }

    /// Where unit files go (`/etc/systemd/system`).
    public var unitDirectory: String
    /// Present only when systemd is the init system (`/run/systemd/system`).
    public var systemdMarker: String
    public var systemctl: String
    public var runner: any CommandRunner

    public init(
        unitDirectory: String = "/etc/systemd/system", systemdMarker: String = "/run/systemd/system",
        systemctl: String = "/usr/bin/systemctl", runner: any CommandRunner = ProcessRunner()
    ) {
        self.unitDirectory = unitDirectory
        self.systemdMarker = systemdMarker
        self.systemctl = systemctl
        self.runner = runner
    }

    public func unitPath(_ unit: SystemdUnit) -> String { unitDirectory + "/" + unit.fileName }

    /// Fails unless systemd runs this host.
    public func requireSystemd() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: systemdMarker, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ControllerError(
                "systemd is not running on this host (\(systemdMarker) is missing): run `ngrokctl controller --config FILE` "
                    + "under your own supervisor, or see examples/kubernetes")
        }
    }

    /// Validates the config (with the caller's check), writes the unit, reloads systemd, and
    /// enables and starts the service. Returns the unit path.
    @discardableResult
    public func install(_ unit: SystemdUnit, validateConfig: (String) throws -> Void) throws -> String {
        try requireSystemd()
        guard FileManager.default.fileExists(atPath: unit.configPath) else {
            throw ControllerError("config file \(unit.configPath) does not exist")
        }
        try validateConfig(unit.configPath)
        let path = unitPath(unit)
        do {
            try FileManager.default.createDirectory(atPath: unitDirectory, withIntermediateDirectories: true)
            try unit.render().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ControllerError("cannot write \(path): \(error.localizedDescription) (are you root?)")
        }
        try systemctl(["daemon-reload"])
        try systemctl(["enable", "--now", unit.fileName])
        return path
    }

    /// Stops and disables the service, removes the unit and reloads systemd.
    public func uninstall(_ unit: SystemdUnit) throws {
        try requireSystemd()
        let path = unitPath(unit)
        _ = try? systemctl(["disable", "--now", unit.fileName])
        if FileManager.default.fileExists(atPath: path) {
            do { try FileManager.default.removeItem(atPath: path) } catch {
                throw ControllerError("cannot remove \(path): \(error.localizedDescription)")
            }
        }
        try systemctl(["daemon-reload"])
    }

    /// `systemctl start|stop|restart|status|enable|disable UNIT`; returns its output.
    @discardableResult
    public func control(_ command: Command, _ unit: SystemdUnit) throws -> String {
        try requireSystemd()
        // `status` exits 3 for a stopped service: that is an answer, not a failure.
        return try systemctl([command.rawValue, "--no-pager", unit.fileName], acceptable: command == .status ? [0, 3] : [0])
    }

    @discardableResult
    private func systemctl(_ arguments: [String], acceptable: Set<Int32> = [0]) throws -> String {
        let (status, output) = try runner.run(systemctl, arguments)
        guard acceptable.contains(status) else {
            throw ControllerError("systemctl \(arguments.joined(separator: " ")) failed (exit \(status)): \(output)")
        }
        return output
    }
}

/// Runs commands with Foundation's `Process`.
public struct ProcessRunner: ServiceManager.CommandRunner {
    public init() {}

    public func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch {
            throw ControllerError("cannot run \(executable): \(error.localizedDescription)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
