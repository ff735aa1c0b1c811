import Controller
import Emulator
import Foundation
import GitSource
import Logging
import Manifests
import NgrokAPI
import NgrokModel
import Reconcile

/// `make bench`: each figure in its own process (`ngrokctl-bench NAME`), so that CPU time and peak
/// memory belong to one benchmark. Figures, not assertions: the numbers are printed with their targets.
@main
struct Bench {
    static func main() async throws {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first else {
            print("usage: ngrokctl-bench load|emulator|snapshot|plan|budget-plan|budget-shared|apply|controller|bigcommit|faults|secrets [N]")
            exit(2)
        }
        let n = args.dropFirst().first.flatMap { Int($0) }
        switch name {
        case "load": try load(resources: n ?? 10_000)
        case "emulator": try await emulator()
        case "snapshot": try await snapshot(objects: n ?? 10_000)
        case "plan": try await noOpPlan(resources: n ?? 10_000)
        case "budget-plan": try await budgetPlan(objects: n ?? 2_505)
        case "budget-shared": try await budgetShared(objects: n ?? 10_000)
        case "apply": try await applyUnderBudget(creates: n ?? 1_000)
        case "controller": try await controllerIdle(loops: n ?? 10)
        case "secrets": try await secretsPlan(secrets: n ?? 100)
        case "bigcommit": try await bigCommit(megabytes: n ?? 300)
        case "faults": try await faultScenario(seeds: n ?? 20)
        default:
            print("unknown benchmark \(name)")
            exit(2)
        }
    }

    /// A client of the bench emulator with the given budget.
    static func client(_ url: String, budget: APIBudget) -> NgrokClient {
        NgrokClient(configuration: NgrokClientConfiguration(baseURL: url, apiKey: APIKey("bench")), budget: budget)
    }

    static let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

    // MARK: Measurements

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func peakMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Hands freed heap pages back to the system (glibc's `malloc_trim`, looked up at run time).
    static func returnFreedMemory() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    /// Resets the process's peak resident set (Linux: `clear_refs` 5); false where unsupported.
    static func resetPeakResidentSet() -> Bool {
        FileManager.default.isWritableFile(atPath: "/proc/self/clear_refs")
            && (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil
    }

    /// `VmHWM` (peak resident set since the last reset) or `VmRSS` from /proc/self/status, in MB.
    static func statusMegabytes(_ field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return peakMegabytes() }
        return kilobytes / 1024
    }

    static func highWaterMegabytes() -> Double { statusMegabytes("VmHWM") }
    static func residentMegabytes() -> Double { statusMegabytes("VmRSS") }

    static func seconds(_ d: Duration) -> Double {
        d.seconds
    }

    static func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

    static func temporaryDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "ngrokctl-bench-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A stack of `count` resources of every kind (no secrets), spread over files of 500 documents.
    static func writeStack(_ count: Int, in dir: String, name: String = "bench", budget: Int = 100_000) throws {
        try """
        apiVersion: ngrokctl/v1
        kind: Stack
        metadata: {name: \(name)}
        spec:
          prune: true
          maxDeletions: 100000
          tokenDirectory: tokens
          api: {requestsPerMinute: \(budget), concurrency: 8}
        """.write(toFile: dir + "/ngrokctl.yaml", atomically: true, encoding: .utf8)
        var file = ""
        var inFile = 0
        var fileIndex = 0
        func flush() throws {
            guard !file.isEmpty else { return }
            try file.write(toFile: dir + "/r\(fileIndex).yaml", atomically: true, encoding: .utf8)
            file = ""
            inFile = 0
            fileIndex += 1
        }
        for i in 0..<count {
            let doc: String
            switch i % 5 {
            case 0: doc = "kind: Credential\nmetadata: {name: c\(i)}\nspec: {acl: [\"bind:c\(i).example.com\"], description: device \(i)}"
            case 1: doc = "kind: IPPolicy\nmetadata: {name: p\(i)}\nspec: {rules: [{cidr: 10.\(i % 256).\(i / 256 % 256).0/24}]}"
            case 2: doc = "kind: IPWhitelistEntry\nmetadata: {name: w\(i)}\nspec: {ipNet: 172.\(16 + i % 16).\(i / 16 % 256).\(i / 4096 % 256)}"
            case 3:
                doc = "kind: EndpointConfiguration\nmetadata: {name: e\(i)}\nspec:\n  type: https\n  modules:\n"
                    + "    compression: {}\n    requestHeaders: {add: {X-Id: \"${.ngrok.request_id}\"}}"
            default: doc = "kind: ReservedAddress\nmetadata: {name: a\(i)}\nspec: {region: eu, description: ssh \(i)}"
            }
            file += "---\napiVersion: ngrokctl/v1\n" + doc + "\n"
            inFile += 1
            if inFile == 500 { try flush() }
        }
        try flush()
    }

    // MARK: Benchmarks

    /// Load and validate 10,000 resources (target < 1 s CPU, < 150 MB).
    static func load(resources: Int) throws {
        let dir = try temporaryDirectory("load")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeStack(resources, in: dir)
        let cpu0 = cpuSeconds()
        let clock = ContinuousClock.now
        let loaded = StackSession.standard().load(.directory(dir, commit: nil))
        let wall = ContinuousClock.now - clock
        let cpu = cpuSeconds() - cpu0
        guard loaded.ok else {
            print("load: invalid stack: \(loaded.diagnostics.prefix(3))")
            exit(1)
        }
        print(
            "load+validate \(loaded.stack!.resources.count) resources: \(fmt(cpu)) s CPU, \(fmt(seconds(wall))) s wall, "
                + "peak RSS \(fmt(peakMegabytes(), 0)) MB   (target < 1 s CPU, < 150 MB)")
    }

    /// Planning a stack with N secrets (each in its own resource, so N slow fingerprints), after
    /// it was applied: wall and CPU time of load + plan (target < 2 s for 100), and one fingerprint.
    static func secretsPlan(secrets: Int) async throws {
        let dir = try temporaryDirectory("secrets")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        apiVersion: ngrokctl/v1
        kind: Stack
        metadata: {name: bench}
        spec: {prune: true, api: {requestsPerMinute: 100000, concurrency: 8}}
        """.write(toFile: dir + "/ngrokctl.yaml", atomically: true, encoding: .utf8)
        var docs: [String] = []
        var environment: [String: String] = [:]
        for i in 0..<secrets {
            environment["BENCH_SECRET_\(i)"] = "secret-value-\(i)"
            docs.append(
                "apiVersion: ngrokctl/v1\nkind: EndpointConfiguration\nmetadata: {name: e\(i)}\nspec:\n  type: https\n"
                    + "  modules: {webhookValidation: {provider: GITHUB, secret: {env: BENCH_SECRET_\(i)}}}")
        }
        try docs.joined(separator: "\n---\n").write(toFile: dir + "/main.yaml", atomically: true, encoding: .utf8)
        let server = try EmulatorServer(configuration: EmulatorConfiguration(apiKeys: ["bench"], rateLimit: nil, logger: quiet))
        let url = try await server.start()
        let api = NgrokClientAPI(client: client(url, budget: .unlimited(concurrency: 8)))
        let session = StackSession.standard(environment: environment)
        let first = try await session.plan(session.load(.directory(dir, commit: nil)), api: api, options: PlanOptions())
        _ = await Executor(api: api, concurrency: 8, tokens: nil, logger: quiet).execute(first)
        let cpu0 = cpuSeconds()
        let start = ContinuousClock.now
        let plan = try await session.plan(session.load(.directory(dir, commit: nil)), api: api, options: PlanOptions())
        let wall = seconds(ContinuousClock.now - start)
        let cpu = cpuSeconds() - cpu0
        let one = ContinuousClock.now
        _ = Fingerprint.of(
            stack: "bench", address: ResourceAddress(.endpointConfiguration, "x"), secrets: ["s": SecretValue("value")])
        let each = seconds(ContinuousClock.now - one) * 1000
        print(
            "plan of a stack with \(secrets) secrets (applied, \(plan.operations.count) changes): \(fmt(wall)) s wall, "
                + "\(fmt(cpu)) s CPU (target < 2 s); one fingerprint (PBKDF2-HMAC-SHA256, \(Fingerprint.rounds) rounds): "
                + "\(fmt(each, 1)) ms (target about 10 ms)")
        await server.stop()
    }

    /// Requests per second for list and create on loopback.
    static func emulator() async throws {
        let report = try await EmulatorBenchmark.run(creates: 2000, lists: 300, gets: 2000, connections: 4, dbPath: nil)
        print("emulator on loopback: \(report)")
    }

    /// A server with `resources` applied (no latency, no rate limit), backed by a database file.
    static func seeded(_ resources: Int, dir: String) async throws -> (db: String, stackDir: String) {
        let db = dir + "/account.sqlite"
        let stackDir = dir + "/stack"
        try FileManager.default.createDirectory(atPath: stackDir, withIntermediateDirectories: true)
        try writeStack(resources, in: stackDir)
        let server = try EmulatorServer(configuration: EmulatorConfiguration(dbPath: db, apiKeys: ["bench"], rateLimit: nil, logger: quiet))
        let url = try await server.start()
        let client = client(url, budget: .unlimited(concurrency: 8))
        let session = StackSession.standard()
        let loaded = session.load(.directory(stackDir, commit: nil))
        let api = NgrokClientAPI(client: client)
        let plan = try await session.plan(loaded, api: api, options: PlanOptions())
        let result = await Executor(api: api, concurrency: 8, tokens: TokenSink(directory: stackDir + "/tokens"), logger: quiet).execute(plan)
        guard result.ok else {
            print("seeding failed: \(result.failed) failed")
            exit(1)
        }
        await server.stop()
        return (db, stackDir)
    }

    static func latencyServer(db: String, latency: Duration) async throws -> (EmulatorServer, String) {
        let server = try EmulatorServer(
            configuration: EmulatorConfiguration(
                dbPath: db, apiKeys: ["bench"], rateLimit: nil, faults: FaultConfiguration(latency: .fixed(latency)),
                logger: quiet))
        return (server, try await server.start())
    }

    /// A snapshot of N objects with 50 ms latency: calls and wall time.
    static func snapshot(objects: Int) async throws {
        let dir = try temporaryDirectory("snapshot")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (db, _) = try await seeded(objects, dir: dir)
        let (server, url) = try await latencyServer(db: db, latency: .milliseconds(50))
        let client = client(url, budget: APIBudget())
        let start = ContinuousClock.now
        let live = try await NgrokClientAPI(client: client).snapshot()
        let wall = seconds(ContinuousClock.now - start)
        let stats = client.statistics
        var target = 0
        var largest = 0
        for collection in LiveState.collections {
            let count = live.all(collection).count
            target += (count + 99) / 100 + 1
            largest = max(largest, (count + 99) / 100)
        }
        print(
            "snapshot of \(live.count) objects (50 ms latency): \(stats.totalRequests) API calls (target ≤ \(target)), "
                + "\(fmt(wall)) s wall; the largest collection alone is \(largest) pages ≈ \(fmt(Double(largest) * 0.05)) s "
                + "of sequential page time (target ≤ 1.5×, i.e. \(fmt(Double(largest) * 0.075)) s), budget wait \(fmt(stats.budgetWaitSeconds)) s")
        await server.stop()
    }

    /// Planning CPU and memory: a no-op plan of N resources (the account read first, not measured).
    static func noOpPlan(resources: Int) async throws {
        let dir = try temporaryDirectory("plan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (db, stackDir) = try await seeded(resources, dir: dir)
        let server = try EmulatorServer(configuration: EmulatorConfiguration(dbPath: db, apiKeys: ["bench"], rateLimit: nil, logger: quiet))
        let url = try await server.start()
        let client = client(url, budget: .unlimited(concurrency: 8))
        let session = StackSession.standard()
        let live = try await NgrokClientAPI(client: client).snapshot()
        await server.stop()
        // The in-process emulator that seeded the account is gone (its freed memory handed back to
        // the system): from here the process holds what `ngrokctl plan` holds (the live state, the
        // loaded stack, the plan).
        returnFreedMemory()
        let resetHighWater = resetPeakResidentSet()
        let rss0 = residentMegabytes()
        let loaded = session.load(.directory(stackDir, commit: nil))
        var best = Double.infinity
        var operations = 0
        for _ in 0..<7 {
            let cpu0 = cpuSeconds()
            let plan = Planner(
                stack: loaded.stack!, live: live, secrets: loaded.secrets, canonicalCIDR: session.canonicalCIDR
            ).plan()
            best = min(best, cpuSeconds() - cpu0)
            operations = plan.operations.count
        }
        print(
            "planning \(loaded.stack!.resources.count) resources against \(live.count) objects: \(operations) operations, "
                + "\(fmt(best, 3)) s CPU (best of 7), peak RSS "
                + (resetHighWater
                    ? "\(fmt(highWaterMegabytes(), 0)) MB while loading and planning (resident before loading: \(fmt(rss0, 0)) MB)"
                    : "\(fmt(peakMegabytes(), 0)) MB for the whole process, seeding included")
                + "   (target ≤ 0.25 s, ≤ 150 MB)")
    }

    /// Resources of `writeStack` that make `objects` API objects (every fifth resource is a policy with one rule).
    static func resources(forObjects objects: Int) -> Int { Int((Double(objects) * 5 / 6).rounded()) }

    /// A latency server enforcing ngrok's limit (120 requests per rolling 60 s).
    static func limitedServer(db: String?, latency: Duration) async throws -> (EmulatorServer, String) {
        let server = try EmulatorServer(
            configuration: EmulatorConfiguration(
                dbPath: db, apiKeys: ["bench"], rateLimit: .ngrokDefault, faults: FaultConfiguration(latency: .fixed(latency)),
                logger: quiet))
        return (server, try await server.start())
    }

    /// Pages per collection of a live state (page size 100).
    static func pages(_ live: LiveState) -> (total: Int, largest: Int) {
        var total = 0
        var largest = 0
        for collection in LiveState.collections {
            let pages = max(1, (live.all(collection).count + 99) / 100)
            total += pages
            largest = max(largest, pages)
        }
        return (total, largest)
    }

    /// The budget: a no-op plan through a 50 ms link with the default budget (120/min, share 1,
    /// concurrency 4) against an emulator enforcing ngrok's limit.
    static func budgetPlan(objects: Int) async throws {
        let dir = try temporaryDirectory("budget-plan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (db, stackDir) = try await seeded(resources(forObjects: objects), dir: dir)
        let (server, url) = try await limitedServer(db: db, latency: .milliseconds(50))
        let client = client(url, budget: APIBudget())
        let session = StackSession.standard()
        let loaded = session.load(.directory(stackDir, commit: nil))
        let start = ContinuousClock.now
        let plan = try await session.plan(loaded, api: NgrokClientAPI(client: client), options: PlanOptions())
        let wall = seconds(ContinuousClock.now - start)
        let stats = client.statistics
        await server.stop()
        let (reader, readerURL) = try await latencyServer(db: db, latency: .zero)
        let live = try await NgrokClientAPI(client: self.client(readerURL, budget: .unlimited())).snapshot()
        await reader.stop()
        let (total, largest) = pages(live)
        let floor = Double(largest) * 0.05
        let collections = LiveState.collections.count
        // The window's floor: requests beyond 120 wait for the window to roll.
        let windowFloor = Double(max(0, (stats.totalRequests - 1) / 120)) * 60
        print(
            "no-op plan of \(live.count) objects through a 50 ms link, default budget: \(plan.operations.count) operations, "
                + "\(stats.totalRequests) API calls (minimum \(total); target ≤ 40 for 2,505 objects, ≤ 110 + 1 per collection = "
                + "\(110 + collections) for 10,000), \(fmt(wall)) s wall; floor: the largest collection's \(largest) sequential pages "
                + "= \(fmt(floor)) s (target ≤ 1.5 × floor + 2 s = \(fmt(1.5 * floor + 2)) s), the window's floor \(fmt(windowFloor, 0)) s; "
                + "\(stats.rateLimited) answered 429 (target 0), budget wait \(fmt(stats.budgetWaitSeconds)) s")
        if !plan.isEmpty {
            let byKind = Dictionary(grouping: plan.operations) { "\($0.action.rawValue) \($0.address.kind.rawValue)" }
            print("  not a no-op: " + byKind.map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", "))
            if let op = plan.operations.first {
                print("  e.g. \(op.action.rawValue) \(op.target): \(op.reason): " + op.changes.map(\.path).joined(separator: ", "))
            }
        }
    }

    /// The budget shared: three no-op plans in a row while another client of the same key spends
    /// 0.5 requests/s, against an emulator enforcing ngrok's limit.
    static func budgetShared(objects: Int) async throws {
        let dir = try temporaryDirectory("budget-shared")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (db, stackDir) = try await seeded(resources(forObjects: objects), dir: dir)
        let (server, url) = try await limitedServer(db: db, latency: .milliseconds(50))
        let client = client(url, budget: APIBudget())
        let other = self.client(url, budget: APIBudget(.init(requestsPerMinute: 120, concurrency: 1)))
        let noise = Task {
            while !Task.isCancelled {
                _ = try? await other.execute(.get, "/credentials?limit=1")
                try? await Task.sleep(for: .seconds(2))
            }
        }
        let session = StackSession.standard()
        let loaded = session.load(.directory(stackDir, commit: nil))
        let start = ContinuousClock.now
        for _ in 0..<3 { _ = try await session.plan(loaded, api: NgrokClientAPI(client: client), options: PlanOptions()) }
        let wall = seconds(ContinuousClock.now - start)
        noise.cancel()
        let stats = client.statistics
        let share = Double(stats.rateLimited) / Double(max(1, stats.totalRequests)) * 100
        print(
            "three no-op plans of \(objects) objects through a 50 ms link while another client spends 0.5 requests/s on the key: "
                + "\(stats.totalRequests) API calls, \(stats.rateLimited) answered 429 = \(fmt(share, 1)) % (target ≤ 2 %), "
                + "the other client \(other.statistics.totalRequests) calls (\(other.statistics.rateLimited) answered 429), "
                + "\(fmt(wall, 1)) s wall")
        await server.stop()
    }

    /// A commit holding an N MB blob (as `big.yaml`): reading it must not inflate the blob (its
    /// size comes from the object header), so the peak memory stays far below N MB.
    static func bigCommit(megabytes: Int) async throws {
        let dir = try temporaryDirectory("bigcommit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = try GitRepositorySource(configuration: GitSourceConfiguration(
            url: dir + "/remote.git", ref: "main", cacheDirectory: dir + "/cache"))
        func sh(_ script: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            process.environment = ["GIT_DIR": source.cachePath, "PATH": "/usr/bin:/bin", "GIT_AUTHOR_NAME": "b",
                                   "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try sh("git init -q --bare \"$GIT_DIR\"")
        let big = try sh("head -c \(megabytes * 1_000_000) /dev/zero | git hash-object -w --stdin")
        let stack = try sh("printf 'kind: Stack\\n' | git hash-object -w --stdin")
        let tree = try sh("printf '100644 blob \(big)\\tbig.yaml\\n100644 blob \(stack)\\tngrokctl.yaml\\n' | git mktree")
        let commit = try sh("git commit-tree \(tree) -m big")
        let before = peakMegabytes()
        let start = ContinuousClock.now
        let snapshot = try await source.snapshot(commit: commit)
        let refused: Bool
        do { _ = try snapshot.read("big.yaml", limit: 4 << 20); refused = false } catch { refused = true }
        let wall = seconds(ContinuousClock.now - start)
        print(
            "commit with a \(megabytes) MB blob: read in \(fmt(wall, 3)) s, blob refused without inflating: \(refused), "
                + "peak RSS \(fmt(peakMegabytes(), 0)) MB (before the read \(fmt(before, 0)) MB; target: no growth near \(megabytes) MB)")
    }

    /// N creates through a 50 ms link under the default budget, against an emulator enforcing ngrok's
    /// 120 requests per rolling 60 s: wall time next to the floor the window sets.
    static func applyUnderBudget(creates: Int) async throws {
        let dir = try temporaryDirectory("apply")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stackDir = dir + "/stack"
        try FileManager.default.createDirectory(atPath: stackDir, withIntermediateDirectories: true)
        try writeStack(creates, in: stackDir, budget: 120)
        let (server, url) = try await limitedServer(db: nil, latency: .milliseconds(50))
        let client = client(url, budget: APIBudget())
        let session = StackSession.standard()
        let loaded = session.load(.directory(stackDir, commit: nil))
        let api = NgrokClientAPI(client: client)
        let start = ContinuousClock.now
        let plan = try await session.plan(loaded, api: api, options: PlanOptions())
        let estimate = client.budget.estimatedSeconds(forRequests: plan.operations.count)
        let result = await Executor(api: api, concurrency: 4, tokens: TokenSink(directory: dir + "/tokens"), logger: quiet).execute(plan)
        let wall = seconds(ContinuousClock.now - start)
        let stats = client.statistics
        // The server admits 120 requests per rolling 60 s: N requests cannot finish before
        // ⌈N / 120⌉ − 1 full windows have passed.
        let floor = Double(max(0, (stats.totalRequests + 119) / 120 - 1)) * 60
        print(
            "apply of \(plan.operations.count) operations through a 50 ms link under 120/min: \(result.succeeded) succeeded, "
                + "\(stats.totalRequests) API calls (\(stats.rateLimited) answered 429), \(fmt(wall, 1)) s wall; the window's floor "
                + "is \(fmt(floor, 0)) s (⌈calls / 120⌉ − 1 windows of 60 s): \(fmt(wall / max(1, floor), 3)) × the floor (target ≤ 1.05); "
                + "announced up front: \(fmt(estimate, 0)) s")
        await server.stop()
    }

    /// The controller's CPU and memory over idle loops, and API calls per idle loop.
    static func controllerIdle(loops: Int) async throws {
        let dir = try temporaryDirectory("controller")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let repo = dir + "/repo"
        try FileManager.default.createDirectory(atPath: repo + "/stack", withIntermediateDirectories: true)
        try writeStack(50, in: repo + "/stack")
        for command in ["git init -q -b main", "git add -A", "git -c user.email=b@b -c user.name=b commit -qm init"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "cd '\(repo)' && \(command)"]
            try p.run()
            p.waitUntilExit()
        }
        let server = try EmulatorServer(configuration: EmulatorConfiguration(apiKeys: ["bench"], rateLimit: nil, logger: quiet))
        let url = try await server.start()
        let client = client(url, budget: .unlimited())
        let interval = Duration.milliseconds(500)
        let configuration = ControllerConfiguration(
            gitURL: repo, ref: "main", path: "stack", interval: interval, driftInterval: .seconds(3600), listenPort: 0,
            stateDirectory: dir + "/state", jitter: 0)
        let controller = try Controller(
            configuration: configuration, engine: ReconcileEngine(session: .standard(), client: client, logger: quiet, tokenBase: dir + "/state"),
            logger: quiet)
        let task = Task { try await controller.run() }
        // Wait for the first sync (it applies the 50 resources), then measure idle loops.
        while controller.status.lastSuccessTime == nil { try await Task.sleep(for: .milliseconds(50)) }
        let calls0 = client.statistics.totalRequests
        let cpu0 = cpuSeconds()
        try await Task.sleep(for: interval * loops)
        let cpu = cpuSeconds() - cpu0
        let calls = client.statistics.totalRequests - calls0
        print(
            "controller idle: \(loops) loops of \(seconds(interval)) s: \(fmt(cpu, 3)) s CPU (\(fmt(cpu / Double(loops) * 1000, 1)) ms per loop), "
                + "peak RSS \(fmt(peakMegabytes(), 0)) MB, \(fmt(Double(calls) / Double(loops), 1)) API calls per idle loop "
                + "(an unchanged poll is one git round trip and no API call)")
        task.cancel()
        await server.stop()
    }
}
