import Emulator
import Foundation
import Logging
import NgrokAPI
import NgrokModel
import Reconcile
import TestSupport
import Testing

/// `kill -9` at random moments during applies of 200 resources: each time the next apply
/// converges, with no duplicate, no orphan and an empty plan after.
@Suite(.serialized) struct CrashSafetyTests {
    static func manifests(_ count: Int) -> String {
        var out = ""
        func doc(_ kind: String, _ name: String, _ spec: String) {
            out += "---\napiVersion: ngrokctl/v1\nkind: \(kind)\nmetadata: {name: \(name)}\nspec:\n"
            out += spec.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        for i in 0..<count {
            doc("IPPolicy", "p\(i)", "rules: [{cidr: 10.\(i).0.0/16}, {cidr: 10.\(i).1.0/24}]")
            doc("Credential", "c\(i)", "acl: [\"bind:c\(i).example.com\"]")
            doc("EndpointConfiguration", "e\(i)", "type: tcp\nmodules:\n  ipPolicy: {ipPolicies: [p\(i)]}")
            doc("ReservedAddress", "a\(i)", "endpointConfiguration: e\(i)")
        }
        return out
    }

    @Test func killNineAtRandomMomentsNeverLeavesDuplicatesOrOrphans() async throws {
        let emulator = try await EmulatorFixture.start(apiKey: "crash-key")
        let (server, url) = (emulator.server, emulator.baseURL)
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stack = """
            apiVersion: ngrokctl/v1
            kind: Stack
            metadata: {name: crash}
            spec:
              prune: true
              maxDeletions: 1000
              tokenDirectory: tokens
              api: {requestsPerMinute: 60000, concurrency: 8}
            """
        try stack.write(to: dir.appendingPathComponent("ngrokctl.yaml"), atomically: true, encoding: .utf8)
        let resources = dir.appendingPathComponent("main.yaml")
        let full = Self.manifests(50)  // 200 resources (+100 rules)
        let env = ["NGROK_API_KEY": "crash-key"]
        let client = NgrokClient(
            configuration: NgrokClientConfiguration(baseURL: url, apiKey: APIKey("crash-key")), budget: .unlimited())
        let api = NgrokClientAPI(client: client)
        var generator = SplitMix(seed: 20261129)
        var interrupted = 0
        // How long an uninterrupted apply of everything takes here: kills land inside it.
        try full.write(to: resources, atomically: true, encoding: .utf8)
        let timing = ContinuousClock.now
        #expect(try await CLI.run(["apply", dir.path, "--api-url", url, "--auto-approve", "--max-deletions", "1000", "--allow-empty-stack"], environment: env).status == 0)
        let applySeconds = Double((ContinuousClock.now - timing).components.attoseconds) * 1e-18
            + Double((ContinuousClock.now - timing).components.seconds)
        try "".write(to: resources, atomically: true, encoding: .utf8)
        #expect(try await CLI.run(["apply", dir.path, "--api-url", url, "--auto-approve", "--max-deletions", "1000", "--allow-empty-stack"], environment: env).status == 0)
        for trial in 0..<20 {
            // Even trials create everything, odd trials delete everything: a crash in either direction.
            try (trial % 2 == 0 ? full : "").write(to: resources, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["apply", dir.path, "--api-url", url, "--auto-approve", "--max-deletions", "1000", "--allow-empty-stack"]
            process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Somewhere between 5% and 65% of a create-everything apply (deletes are quicker).
            let delay = applySeconds * (0.05 + Double(generator.next() % 600) / 1000)
            try await Task.sleep(for: .seconds(delay))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                interrupted += 1
            }
            try await CLI.offPool { process.waitUntilExit() }

            let resume = try await CLI.run(["apply", dir.path, "--api-url", url, "--auto-approve", "--max-deletions", "1000", "--allow-empty-stack"], environment: env)
            #expect(resume.status == 0, "trial \(trial): \(resume.all.suffix(2000))")
            let plan = try await CLI.run(["plan", dir.path, "--api-url", url, "--detailed-exitcode", "--max-deletions", "1000", "--allow-empty-stack"], environment: env)
            #expect(plan.status == 0, "trial \(trial): plan not empty: \(plan.all.suffix(2000))")

            let live = try await api.snapshot()
            let owned = live.owned(by: "crash")
            #expect(owned.values.allSatisfy { $0.count == 1 }, "trial \(trial): duplicates")
            let ownedIDs = Set(owned.values.joined().map(\.id))
            for kind in Kind.allCases {
                for object in live.all(kind) {
                    #expect(ownedIDs.contains(object.id), "trial \(trial): orphan \(object.id)")
                }
            }
            for rule in live.all(LiveState.ruleCollection) {
                guard case .object(let ref)? = rule.json["ip_policy"], let policy = ref["id"]?.stringValue else { continue }
                #expect(ownedIDs.contains(policy), "trial \(trial): orphan rule \(rule.id)")
            }
            #expect(owned.count == (trial % 2 == 0 ? 200 : 0))
        }
        #expect(interrupted >= 12, "only \(interrupted) of 20 applies were interrupted: the timing is off")
        await server.stop()
    }
}

/// A small deterministic generator for test timings.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
